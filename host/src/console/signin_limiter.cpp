#include "console/signin_limiter.hpp"

#include <algorithm>
#include <vector>

namespace payhost::host::console {

namespace {

std::string name_scope(const std::string& name) {
  return "name:" + name;
}
std::string address_scope(const std::string& ip) {
  return "ip:" + ip;
}

// Seconds until fewer than `limit` failures of `scope` lie within the window.
std::int64_t wait_for(soci::session& sql, const std::string& scope, int limit, std::int64_t now) {
  const long long since = now - SigninLimiter::kWindowSeconds;
  long long count = 0;
  sql << "SELECT COUNT(*) FROM console_signin_failures WHERE scope = :scope AND at > :since",
      soci::use(scope, "scope"), soci::use(since, "since"), soci::into(count);
  if (count < limit) return 0;
  // The failure whose leaving brings the count under the limit.
  const long long skip = count - limit;
  long long at = now;
  soci::indicator ind = soci::i_null;
  sql << "SELECT at FROM console_signin_failures WHERE scope = :scope AND at > :since ORDER BY "
         "at LIMIT 1 OFFSET :skip",
      soci::use(scope, "scope"), soci::use(since, "since"), soci::use(skip, "skip"),
      soci::into(at, ind);
  if (!sql.got_data() || ind != soci::i_ok) return 1;
  return std::max<std::int64_t>(1, at + SigninLimiter::kWindowSeconds - now);
}

void record(soci::session& sql, const std::string& scope, std::int64_t now) {
  const long long at = now, since = now - SigninLimiter::kWindowSeconds;
  sql << "DELETE FROM console_signin_failures WHERE scope = :scope AND at <= :since",
      soci::use(scope, "scope"), soci::use(since, "since");
  sql << "INSERT INTO console_signin_failures (scope, at) VALUES (:scope, :at)",
      soci::use(scope, "scope"), soci::use(at, "at");
}

}  // namespace

std::int64_t SigninLimiter::retry_after(soci::session& sql, const std::string& name,
                                        const std::string& client_ip, std::int64_t now) const {
  std::int64_t wait = wait_for(sql, address_scope(client_ip), kAddressLimit, now);
  if (!name.empty()) wait = std::max(wait, wait_for(sql, name_scope(name), kNameLimit, now));
  return wait;
}

void SigninLimiter::record_failure(soci::session& sql, const std::string& name,
                                   const std::string& client_ip, std::int64_t now) const {
  record(sql, address_scope(client_ip), now);
  if (!name.empty()) record(sql, name_scope(name), now);
}

}  // namespace payhost::host::console
