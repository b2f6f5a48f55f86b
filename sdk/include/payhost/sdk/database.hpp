// SQL through the host's connection pool (SOCI sessions). Plugins use only their own
// tables; the host owns charges, events and idempotency keys.
#pragma once

#include <functional>
#include <string>

#include "payhost/sdk/result.hpp"

namespace soci {
class session;
}

namespace payhost::sdk {

enum class Dialect { sqlite, postgresql };

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const noexcept = 0;

  // Runs `work` in one transaction on a pooled session and commits if it returns ok.
  // Errors of kind `retry` (lock contention, serialization failure) roll back and run
  // `work` again, a few times; any other error rolls back and is returned.
  virtual Status transact(const std::function<Status(soci::session&)>& work) noexcept = 0;
  // Runs `work` on a pooled session without opening a transaction (reads).
  virtual Status with_session(const std::function<Status(soci::session&)>& work) noexcept = 0;
};

// Turns an exception thrown by SOCI or the driver into an Error: contention becomes
// `retry`, anything else `internal`. Call from a catch block.
Error database_error_from_current_exception();

// The safe way for plugin code to use Database: exceptions thrown by `work` (SOCI throws)
// are caught here, inside the plugin, and turned into errors.
template <class Work>
Status transact(Database& db, Work&& work) {
  return db.transact([&](soci::session& sql) -> Status {
    try {
      return work(sql);
    } catch (...) {
      return database_error_from_current_exception();
    }
  });
}

template <class Work>
Status with_session(Database& db, Work&& work) {
  return db.with_session([&](soci::session& sql) -> Status {
    try {
      return work(sql);
    } catch (...) {
      return database_error_from_current_exception();
    }
  });
}

}  // namespace payhost::sdk
