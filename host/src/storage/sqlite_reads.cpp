#include "storage/sqlite_reads.hpp"

#include <sqlite3.h>

namespace payhost::host {

void end_sqlite_reads(void* connection) noexcept {
  auto* db = static_cast<sqlite3*>(connection);
  for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st != nullptr;
       st = sqlite3_next_stmt(db, st)) {
    if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
  }
  // A transaction a unit of work began and did not end (a bug, but not the next user's).
  if (sqlite3_get_autocommit(db) == 0) sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
}

}  // namespace payhost::host
