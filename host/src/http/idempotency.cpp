#include "http/idempotency.hpp"

namespace payhost::host {

using sdk::Status;

namespace {
// A claim older than this with no response belongs to a request that died mid-way.
constexpr long long kStaleClaimSeconds = 120;
}  // namespace

sdk::Result<IdempotencyStore::Begin> IdempotencyStore::begin(const std::string& scope,
                                                             const std::string& key,
                                                             const std::string& hash,
                                                             std::int64_t now) {
  Begin out;
  Status st = db_.transact([&](soci::session& sql) -> Status {
    out = Begin{};
    const long long created = now;
    soci::statement insert =
        (sql.prepare << "INSERT INTO idempotency_keys (scope, idem_key, request_hash, status, "
                        "created) VALUES (:s, :k, :h, 0, :c) ON CONFLICT DO NOTHING",
         soci::use(scope), soci::use(key), soci::use(hash), soci::use(created));
    insert.execute(true);
    if (insert.get_affected_rows() == 1) return {};

    std::string stored_hash, content_type, body;
    int status = 0;
    long long stored_created = 0;
    sql << "SELECT request_hash, status, content_type, response, created FROM idempotency_keys "
           "WHERE scope = :s AND idem_key = :k",
        soci::use(scope), soci::use(key), soci::into(stored_hash), soci::into(status),
        soci::into(content_type), soci::into(body), soci::into(stored_created);
    if (stored_hash != hash) {
      out.decision = Decision::mismatch;
    } else if (status == 0 && now - stored_created < kStaleClaimSeconds) {
      out.decision = Decision::in_progress;
    } else if (status == 0) {
      sql << "UPDATE idempotency_keys SET created = :c WHERE scope = :s AND idem_key = :k",
          soci::use(created), soci::use(scope), soci::use(key);
    } else {
      out.decision = Decision::replay;
      out.status = status;
      out.content_type = content_type;
      out.body = body;
    }
    return {};
  });
  if (!st) return st.error();
  return out;
}

void IdempotencyStore::finish(const std::string& scope, const std::string& key, int status,
                              const std::string& content_type, const std::string& body) {
  (void)db_.transact([&](soci::session& sql) -> Status {
    if (status >= 500) {
      sql << "DELETE FROM idempotency_keys WHERE scope = :s AND idem_key = :k", soci::use(scope),
          soci::use(key);
    } else {
      sql << "UPDATE idempotency_keys SET status = :st, content_type = :ct, response = :r WHERE "
             "scope = :s AND idem_key = :k",
          soci::use(status), soci::use(content_type), soci::use(body), soci::use(scope),
          soci::use(key);
    }
    return {};
  });
}

}  // namespace payhost::host
