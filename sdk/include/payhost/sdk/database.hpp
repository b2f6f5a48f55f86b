// SQL through the host's connection pool (SOCI sessions). Plugins use only their own
// tables; the host owns charges, events and idempotency keys.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>

#include "payhost/sdk/result.hpp"

namespace soci {
class session;
}

namespace payhost::sdk {

enum class Dialect { sqlite, postgresql };

// A statement prepared once per pooled connection and executed again and again (see
// with_statement): it owns the variables its statement is bound to, so it never moves.
struct CachedStatement {
  CachedStatement() = default;
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;
  virtual ~CachedStatement() = default;
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const noexcept = 0;

  // Runs `work` in one transaction on a pooled session and commits if it returns ok.
  // Errors of kind `retry` (lock contention, serialization failure) roll back and run
  // `work` again, a few times; any other error rolls back and is returned.
  // The host may run `work` on another thread, in one transaction with other writers' work
  // (SQLite's group commit: each in a savepoint of its own, so an error or exception still
  // undoes only this work). So `work` must not rely on thread-local state or on a lock
  // the calling thread holds; the calling thread waits until it has run.
  virtual Status transact(const std::function<Status(soci::session&)>& work) noexcept = 0;
  // Runs `work` on a pooled session without opening a transaction (reads).
  virtual Status with_session(const std::function<Status(soci::session&)>& work) noexcept = 0;

  // Where the statement known by `key` lives on `sql`, if `sql` is a pooled connection
  // the calling thread holds from this Database: the host finalises what is kept there
  // with the connection, after an error on it, and before it unloads any plugin. nullptr
  // otherwise (and from databases that keep nothing, such as a test's). Use
  // with_statement rather than calling this.
  virtual std::unique_ptr<CachedStatement>* statement_slot(soci::session& /*sql*/,
                                                           const void* /*key*/) noexcept {
    return nullptr;
  }
};

// One address per statement type: the key of its slot.
template <class T>
inline constexpr char statement_key = 0;

// Runs `use(T&)` with a T prepared once per pooled connection, or prepared for this call
// only where the connection keeps nothing. T derives from CachedStatement and prepares
// itself from a soci::session& in its constructor. Preparing is most of the cost of a
// small query (SQLite parses and plans the SQL every time), so hot queries want this.
// An exception from `use` drops the kept T, whose state is then not trusted, and
// propagates. Call it with the session a transact/with_session `work` was given.
template <class T, class Use>
decltype(auto) with_statement(Database& db, soci::session& sql, Use&& use) {
  static_assert(std::is_base_of_v<CachedStatement, T>, "T must derive from CachedStatement");
  std::unique_ptr<CachedStatement>* slot = db.statement_slot(sql, &statement_key<T>);
  if (slot == nullptr) {
    T once(sql);
    return use(once);
  }
  if (!*slot) *slot = std::make_unique<T>(sql);
  try {
    return use(static_cast<T&>(**slot));
  } catch (...) {
    slot->reset();
    throw;
  }
}

// The same where there may be no Database at hand (`db` null: code that holds only a
// session, such as a command or a unit test): T is then prepared for this call only.
template <class T, class Use>
decltype(auto) with_statement(Database* db, soci::session& sql, Use&& use) {
  if (db == nullptr) {
    static_assert(std::is_base_of_v<CachedStatement, T>, "T must derive from CachedStatement");
    T once(sql);
    return use(once);
  }
  return with_statement<T>(*db, sql, std::forward<Use>(use));
}

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
