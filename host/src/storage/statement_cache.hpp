// Prepared statements kept per pooled connection, so the host's hot queries are compiled
// once. SOCI otherwise prepares every statement anew: on SQLite that was a quarter of the
// CPU of a settlement, on PostgreSQL a PREPARE and a DEALLOCATE per statement.
#pragma once

#include <memory>
#include <unordered_map>

#include <soci/soci.h>

#include "payhost/sdk/database.hpp"

namespace payhost::host {

class StatementCache {
 public:
  // A cached statement: it owns the variables its statement is bound to, so it never moves.
  // Plugins' statements (sdk::with_statement) are kept here too.
  using Entry = sdk::CachedStatement;

  explicit StatementCache(soci::session& session) : session_(session) {}

  // The cache of the connection this thread has leased, if `sql` is that connection.
  static StatementCache* of(soci::session& sql) noexcept;

  // Finalises every statement: after an error the connection's state is not trusted.
  void clear() noexcept { entries_.clear(); }

  // Marks this connection as leased by the current thread for the scope's lifetime.
  class Lease {
   public:
    explicit Lease(StatementCache& cache) noexcept;
    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

   private:
    StatementCache* previous_;
  };

  // The statement kept under `key`, empty until someone prepares it. A reference stays
  // valid until clear(), however many statements are added meanwhile.
  std::unique_ptr<Entry>& slot(const void* key) { return entries_[key]; }

  template <class T>
  T& get() {
    auto& kept = slot(&sdk::statement_key<T>);
    if (!kept) kept = std::make_unique<T>(session_);
    return static_cast<T&>(*kept);
  }

 private:
  soci::session& session_;
  std::unordered_map<const void*, std::unique_ptr<Entry>> entries_;
};

// Runs `use(statement)` with the connection's cached T, or with a T prepared for this call
// when `sql` is not a pooled connection leased through Db (tests, tools).
template <class T, class Use>
decltype(auto) with_statement(soci::session& sql, Use&& use) {
  if (StatementCache* cache = StatementCache::of(sql)) return use(cache->get<T>());
  T once(sql);
  return use(once);
}

}  // namespace payhost::host
