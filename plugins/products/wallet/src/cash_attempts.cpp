#include "cash_attempts.hpp"

#include <algorithm>

namespace payhost::wallet {

CashAttempts::Decision CashAttempts::count(soci::session& sql, std::int64_t user_id,
                                           std::int64_t now) const {
  if (limit_ <= 0) return {};
  const long long user = user_id, at = now, expired = now - window_seconds_, limit = limit_;
  // The upsert takes the row's lock (SQLite: the write lock) before anything is read, so
  // concurrent attempts on several hosts are counted one after the other. hits stops at
  // limit + 1: attempts beyond it are refused without being counted.
  sql << "INSERT INTO wallet_cash_attempts (user_id, window_start, hits) VALUES (:user, :now, 1) "
         "ON CONFLICT (user_id) DO UPDATE SET "
         "hits = CASE WHEN wallet_cash_attempts.window_start <= :expired THEN 1 "
         "WHEN wallet_cash_attempts.hits > :limit THEN wallet_cash_attempts.hits "
         "ELSE wallet_cash_attempts.hits + 1 END, "
         "window_start = CASE WHEN wallet_cash_attempts.window_start <= :expired_again "
         "THEN :now_again ELSE wallet_cash_attempts.window_start END",
      soci::use(user), soci::use(at), soci::use(expired), soci::use(limit), soci::use(expired),
      soci::use(at);
  long long hits = 0, window_start = 0;
  sql << "SELECT hits, window_start FROM wallet_cash_attempts WHERE user_id = :user",
      soci::use(user), soci::into(hits), soci::into(window_start);
  if (hits > limit_) {
    return {false, 0, std::max<long long>(1, window_start + window_seconds_ - now)};
  }
  return {true, limit_ - static_cast<int>(hits), 0};
}

}  // namespace payhost::wallet
