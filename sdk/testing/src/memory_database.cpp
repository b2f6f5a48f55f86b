#include "payhost/sdk/testing/memory_database.hpp"

#include <soci/sqlite3/soci-sqlite3.h>

namespace payhost::sdk::testing {

MemoryDatabase::MemoryDatabase() : sql_(*soci::factory_sqlite3(), ":memory:") {
  sql_ << "PRAGMA foreign_keys = ON";
}

Status MemoryDatabase::transact(const std::function<Status(soci::session&)>& work) noexcept {
  std::lock_guard lock(mutex_);
  // As the host's databases do: work that asks for a retry is rolled back and run again.
  constexpr int kAttempts = 5;
  for (int attempt = 1;; ++attempt) {
    try {
      soci::transaction tr(sql_);
      auto status = work(sql_);
      if (status) {
        tr.commit();
        return status;
      }
      tr.rollback();
      if (status.error().kind != ErrorKind::retry || attempt == kAttempts) return status;
    } catch (...) {
      return database_error_from_current_exception();
    }
  }
}

Status MemoryDatabase::with_session(const std::function<Status(soci::session&)>& work) noexcept {
  std::lock_guard lock(mutex_);
  try {
    return work(sql_);
  } catch (...) {
    return database_error_from_current_exception();
  }
}

Status MemoryDatabase::migrate(const std::vector<Migration>& migrations) {
  for (const auto& migration : migrations) {
    auto status = transact([&](soci::session& sql) -> Status {
      for (const auto& statement : migration.sqlite)
        sql << statement;
      return {};
    });
    if (!status) return status;
  }
  return {};
}

}  // namespace payhost::sdk::testing
