// An online copy of payhostd's SQLite database, taken while hosts keep writing to it.
//
// SQLite's backup API copies the pages of one snapshot: the copy holds every transaction
// committed before it started and none after. The snapshot is a read transaction held on a
// connection of its own for the whole copy, so in WAL mode writers go on (they append to the
// log; the checkpoint cannot pass the snapshot until the copy ends, so the log grows
// meanwhile). Pages are copied in steps with pauses between them, so the copy does not take
// the disk from the hosts serving.
#pragma once

#include <chrono>
#include <string>

#include "payhost/sdk/result.hpp"

namespace payhost::host {

struct SqliteBackupOptions {
  int pages_per_step = 256;  // 1 MiB of 4 KiB pages
  std::chrono::milliseconds pause_between_steps{5};
  bool replace_existing = false;  // --force: an existing destination is replaced
};

struct SqliteBackupSummary {
  long long pages = 0;      // pages copied (the database's size in pages)
  long long page_size = 0;  // bytes
  int steps = 0;            // sqlite3_backup_step calls that copied pages
};

// Copies the database `source` to `destination`: written to a temporary file beside it
// (mode 0600), checked with PRAGMA integrity_check, synced, then renamed into place, so
// `destination` is either absent or a complete, sound copy. Refuses a missing source, a
// destination whose directory does not exist, and an existing destination unless
// `replace_existing`.
sdk::Result<SqliteBackupSummary> backup_sqlite_database(const std::string& source,
                                                        const std::string& destination,
                                                        const SqliteBackupOptions& options = {});

}  // namespace payhost::host
