#include "console/signin_limiter.hpp"

#include <algorithm>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/database.hpp"
#include "payhost/sdk/encoding.hpp"

namespace payhost::host::console {

namespace {

std::string name_scope(const std::string& name) {
  return "name:" + name;
}
std::string address_scope(const std::string& ip) {
  return "ip:" + ip;
}

// Held until the transaction ends; SQLite's write lock (BEGIN IMMEDIATE) already serialises.
void lock_scope(soci::session& sql, sdk::Dialect dialect, const std::string& scope) {
  if (dialect != sdk::Dialect::postgresql) return;
  sql << "SELECT pg_advisory_xact_lock(hashtextextended(:scope, 0))", soci::use(scope, "scope");
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

void count(soci::session& sql, const std::string& scope, const std::string& attempt,
           std::int64_t now) {
  const long long at = now;
  sql << "INSERT INTO console_signin_failures (scope, at, attempt) VALUES (:scope, :at, "
         ":attempt)",
      soci::use(scope, "scope"), soci::use(at, "at"), soci::use(attempt, "attempt");
}

}  // namespace

SigninAttempt SigninLimiter::begin(soci::session& sql, sdk::Dialect dialect,
                                   const std::string& name, const std::string& client_ip,
                                   std::int64_t now) const {
  const std::string address = address_scope(client_ip);
  const std::string named = name.empty() ? std::string() : name_scope(name);
  // Always the address first: two attempts never wait for each other's second lock.
  lock_scope(sql, dialect, address);
  if (!named.empty()) lock_scope(sql, dialect, named);

  // Rows out of the window, of any scope: the table holds 15 minutes of failures at most.
  // On PostgreSQL rows another attempt is deleting are left to it (no lock-order deadlock).
  const long long since = now - kWindowSeconds;
  if (dialect == sdk::Dialect::postgresql) {
    sql << "DELETE FROM console_signin_failures WHERE ctid = ANY(ARRAY(SELECT ctid FROM "
           "console_signin_failures WHERE at <= :since FOR UPDATE SKIP LOCKED))",
        soci::use(since, "since");
  } else {
    sql << "DELETE FROM console_signin_failures WHERE at <= :since", soci::use(since, "since");
  }

  SigninAttempt attempt;
  attempt.retry_after = wait_for(sql, address, kAddressLimit, now);
  if (!named.empty())
    attempt.retry_after = std::max(attempt.retry_after, wait_for(sql, named, kNameLimit, now));
  if (attempt.retry_after > 0) return attempt;

  attempt.id = sdk::base64url_encode(sdk::crypto::random_bytes(16));
  count(sql, address, attempt.id, now);
  if (!named.empty()) count(sql, named, attempt.id, now);
  return attempt;
}

void SigninLimiter::succeeded(soci::session& sql, const SigninAttempt& attempt) const {
  if (attempt.id.empty()) return;
  sql << "DELETE FROM console_signin_failures WHERE attempt = :attempt",
      soci::use(attempt.id, "attempt");
}

}  // namespace payhost::host::console
