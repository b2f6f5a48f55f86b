// Prepared statements kept per pooled connection, so the host's hot queries are compiled
// once. SOCI otherwise prepares every statement anew: on SQLite that was a quarter of the
// CPU of a settlement, on PostgreSQL a PREPARE and a DEALLOCATE per statement.
#pragma once

#include <memory>
#include <unordered_map>

#include <soci/soci.h>

namespace payhost::host {

class StatementCache {
 public:
  // A cached statement: it owns the variables its statement is bound to, so it never moves.
  struct Entry {
    Entry() = default;
    Entry(const Entry&) = delete;
    Entry& operator=(const Entry&) = delete;
    virtual ~Entry() = default;
  };

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

  template <class T>
  T& get() {
    auto& slot = entries_[&tag<T>];
    if (!slot) slot = std::make_unique<T>(session_);
    return static_cast<T&>(*slot);
  }

 private:
  template <class T>
  static inline const char tag = 0;  // one address per statement type

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
