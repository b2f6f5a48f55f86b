// What SQLite says about the state of its files: errors that mean writes cannot succeed
// (disk full, I/O errors, corruption) rather than that one write was wrong, and the
// integrity check run at start.
#pragma once

#include <string>
#include <string_view>

#include <soci/soci.h>

namespace payhost::host {

// True for SQLite's messages of SQLITE_FULL, SQLITE_IOERR, SQLITE_CORRUPT, SQLITE_NOTADB,
// SQLITE_READONLY and SQLITE_CANTOPEN (SOCI's exceptions carry them).
bool is_storage_fault(std::string_view message) noexcept;

// PRAGMA quick_check: "" if the file is sound, else SQLite's first complaint. It reads every
// page (about a second per GB).
std::string sqlite_quick_check(soci::session& sql);

}  // namespace payhost::host
