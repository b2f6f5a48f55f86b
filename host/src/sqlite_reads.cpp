#include "sqlite_reads.hpp"

#include <sqlite3.h>

namespace payhost::host {

void end_sqlite_reads(void* connection) noexcept {
  auto* db = static_cast<sqlite3*>(connection);
  for (sqlite3_stmt* st = sqlite3_next_stmt(db, nullptr); st != nullptr;
       st = sqlite3_next_stmt(db, st)) {
    if (sqlite3_stmt_busy(st)) sqlite3_reset(st);
  }
}

}  // namespace payhost::host
