// A kept SQLite statement that has returned a row but was not stepped to its end keeps its
// connection's read transaction open: the connection then goes on reading the snapshot it
// took and misses what other connections commit after (in WAL mode), and the checkpoint
// cannot pass that snapshot. Ending them before a unit of work starts on the connection
// keeps each read current.
#pragma once

namespace payhost::host {

// `connection` is the connection's sqlite3* (SOCI wraps the type in a namespace of its
// own, hence void*). Statements stay prepared; only their read ends. A transaction left
// open is rolled back.
void end_sqlite_reads(void* connection) noexcept;

}  // namespace payhost::host
