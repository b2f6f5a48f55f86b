#include "webhooks/delivery_store.hpp"

#include "storage/statement_cache.hpp"

namespace payhost::host::webhooks {

namespace {

bool is_postgres(soci::session& sql) {
  return sql.get_backend_name() == "postgresql";
}

struct SelectAnyDue : StatementCache::Entry {
  long long now = 0;
  std::string id;
  soci::statement st;

  explicit SelectAnyDue(soci::session& sql)
      : st((sql.prepare << "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND "
                           "next_attempt_at <= :now ORDER BY next_attempt_at LIMIT 1",
            soci::use(now), soci::into(id))) {}
};

// The due deliveries and their events. The event is joined, not locked: only the
// delivery row is claimed.
struct SelectDue : StatementCache::Entry {
  long long now = 0;
  int limit = 0;
  std::string id, event_id, app, url, signature, payload;
  int attempts = 0;
  soci::indicator i_signature = soci::i_ok, i_payload = soci::i_ok;
  soci::statement st;

  static std::string query(soci::session& sql) {
    std::string q =
        "SELECT d.id, d.event_id, d.app, d.url, d.attempts, d.signature, e.payload FROM "
        "webhook_deliveries d LEFT JOIN events e ON e.id = d.event_id WHERE d.status = "
        "'pending' AND d.next_attempt_at <= :now ORDER BY d.next_attempt_at LIMIT :n";
    if (is_postgres(sql)) q += " FOR UPDATE OF d SKIP LOCKED";
    return q;
  }

  explicit SelectDue(soci::session& sql)
      : st((sql.prepare << query(sql), soci::use(now), soci::use(limit), soci::into(id),
            soci::into(event_id), soci::into(app), soci::into(url), soci::into(attempts),
            soci::into(signature, i_signature), soci::into(payload, i_payload))) {}
};

struct ClaimDelivery : StatementCache::Entry {
  long long lease_until = 0, now = 0;
  std::string id;
  soci::statement st;

  explicit ClaimDelivery(soci::session& sql)
      : st((sql.prepare << "UPDATE webhook_deliveries SET attempts = attempts + 1, "
                           "next_attempt_at = :lease, updated = :now WHERE id = :id",
            soci::use(lease_until), soci::use(now), soci::use(id))) {}
};

struct InsertAttempt : StatementCache::Entry {
  std::string delivery_id;
  int attempt = 0;
  long long started_ms = 0;
  soci::statement st;

  explicit InsertAttempt(soci::session& sql)
      : st((sql.prepare << "INSERT INTO webhook_attempts (delivery_id, attempt, started_ms) "
                           "VALUES (:id, :attempt, :started)",
            soci::use(delivery_id), soci::use(attempt), soci::use(started_ms))) {}
};

struct UpdateAttempt : StatementCache::Entry {
  std::string delivery_id, error;
  int attempt = 0, http_status = 0;
  long long started_ms = 0, duration_ms = 0;
  soci::indicator i_status = soci::i_ok, i_error = soci::i_ok;
  soci::statement st;

  explicit UpdateAttempt(soci::session& sql)
      : st((sql.prepare << "UPDATE webhook_attempts SET started_ms = :started, duration_ms = "
                           ":duration, http_status = :status, error = :error WHERE "
                           "delivery_id = :id AND attempt = :attempt",
            soci::use(started_ms), soci::use(duration_ms), soci::use(http_status, i_status),
            soci::use(error, i_error), soci::use(delivery_id), soci::use(attempt))) {}
};

struct UpdateDelivery : StatementCache::Entry {
  std::string id, status, error, signature;
  int attempt = 0, http_status = 0;
  long long next = 0, delivered_at = 0, now = 0;
  soci::indicator i_status = soci::i_ok, i_error = soci::i_ok, i_delivered = soci::i_ok,
                  i_signature = soci::i_ok;
  soci::statement st;

  explicit UpdateDelivery(soci::session& sql)
      : st((sql.prepare << "UPDATE webhook_deliveries SET status = :status, next_attempt_at = "
                           ":next, last_status = :http_status, last_error = :error, "
                           "delivered_at = :delivered, signature = COALESCE(:signature, "
                           "signature), updated = :now WHERE id = :id AND attempts = :attempt "
                           "AND status = 'pending'",
            soci::use(status), soci::use(next), soci::use(http_status, i_status),
            soci::use(error, i_error), soci::use(delivered_at, i_delivered),
            soci::use(signature, i_signature), soci::use(now), soci::use(id), soci::use(attempt))) {
  }
};

void fail_delivery(soci::session& sql, const std::string& id, const std::string& error,
                   long long now) {
  sql << "UPDATE webhook_deliveries SET status = 'failed', last_error = :error, updated = :now "
         "WHERE id = :id",
      soci::use(error), soci::use(now), soci::use(id);
}

}  // namespace

bool is_delivered_status(int http_status) {
  return http_status >= 200 && http_status <= 299;
}

NextState after_attempt(bool delivered, int attempt, const std::vector<std::int64_t>& retry_seconds,
                        std::int64_t now) {
  if (delivered) return {"delivered", now};
  const auto index = static_cast<std::size_t>(attempt < 1 ? 0 : attempt - 1);
  if (index < retry_seconds.size()) return {"pending", now + retry_seconds[index]};
  return {"failed", now};
}

bool DeliveryStore::any_due(soci::session& sql, std::int64_t now) {
  return with_statement<SelectAnyDue>(sql, [&](SelectAnyDue& q) {
    q.now = now;
    q.st.execute();
    const bool found = q.st.fetch();
    while (q.st.fetch()) {  // ends the statement, so it holds no read snapshot
    }
    return found;
  });
}

ClaimedBatch DeliveryStore::claim_due(
    soci::session& sql, std::int64_t now, std::int64_t lease_until, int limit,
    const std::function<bool(const std::string&, const std::string&)>& configured) {
  ClaimedBatch batch;
  std::vector<std::pair<std::string, std::string>> refused;  // id, why
  with_statement<SelectDue>(sql, [&](SelectDue& q) {
    q.now = now;
    q.limit = limit;
    q.st.execute();
    while (q.st.fetch()) {
      if (q.i_payload != soci::i_ok) {
        refused.emplace_back(q.id, "event " + q.event_id + " not found");
      } else if (!configured(q.app, q.url)) {
        refused.emplace_back(q.id, "endpoint no longer configured for " + q.app);
      } else {
        batch.deliveries.push_back(
            ClaimedDelivery{q.id, q.event_id, q.app, q.url, q.attempts + 1, q.payload,
                            q.i_signature == soci::i_ok ? q.signature : std::string()});
      }
    }
  });
  for (const auto& [id, why] : refused)
    fail_delivery(sql, id, why, now);
  batch.given_up = static_cast<int>(refused.size());
  for (const auto& d : batch.deliveries) {
    with_statement<ClaimDelivery>(sql, [&](ClaimDelivery& q) {
      q.lease_until = lease_until;
      q.now = now;
      q.id = d.id;
      q.st.execute(true);
    });
    with_statement<InsertAttempt>(sql, [&](InsertAttempt& q) {
      q.delivery_id = d.id;
      q.attempt = d.attempt;
      q.started_ms = now * 1000;
      q.st.execute(true);
    });
  }
  return batch;
}

bool DeliveryStore::record(soci::session& sql, const AttemptOutcome& o, const NextState& next,
                           std::int64_t now) {
  with_statement<UpdateAttempt>(sql, [&](UpdateAttempt& q) {
    q.delivery_id = o.delivery_id;
    q.attempt = o.attempt;
    q.started_ms = o.started_ms;
    q.duration_ms = o.duration_ms;
    q.http_status = o.http_status;
    q.i_status = o.http_status > 0 ? soci::i_ok : soci::i_null;
    q.error = o.error;
    q.i_error = o.error.empty() ? soci::i_null : soci::i_ok;
    q.st.execute(true);
  });
  return with_statement<UpdateDelivery>(sql, [&](UpdateDelivery& q) {
    q.id = o.delivery_id;
    q.attempt = o.attempt;
    q.status = next.status;
    q.next = next.next_attempt_at;
    q.http_status = o.http_status;
    q.i_status = o.http_status > 0 ? soci::i_ok : soci::i_null;
    q.error = o.error;
    q.i_error = o.error.empty() ? soci::i_null : soci::i_ok;
    q.delivered_at = now;
    q.i_delivered = next.status == "delivered" ? soci::i_ok : soci::i_null;
    q.signature = o.signature;
    q.i_signature = o.signature.empty() ? soci::i_null : soci::i_ok;
    q.now = now;
    q.st.execute(true);
    return q.st.get_affected_rows() == 1;
  });
}

void DeliveryStore::release(soci::session& sql, const std::string& delivery_id, int attempt,
                            std::int64_t now) {
  const long long now_ll = now;
  soci::statement undo =
      (sql.prepare << "UPDATE webhook_deliveries SET attempts = attempts - 1, "
                      "next_attempt_at = :next, updated = :now WHERE id = :id "
                      "AND attempts = :attempt AND status = 'pending'",
       soci::use(now_ll), soci::use(now_ll), soci::use(delivery_id), soci::use(attempt));
  undo.execute(true);
  if (undo.get_affected_rows() == 1) {
    sql << "DELETE FROM webhook_attempts WHERE delivery_id = :id AND attempt = :attempt",
        soci::use(delivery_id), soci::use(attempt);
  }
}

PendingStats DeliveryStore::pending_stats(soci::session& sql) {
  PendingStats stats;
  long long oldest = 0;
  soci::indicator i_oldest = soci::i_null;
  sql << "SELECT CAST(COUNT(*) AS BIGINT), MIN(created) FROM webhook_deliveries WHERE status = "
         "'pending'",
      soci::into(stats.pending), soci::into(oldest, i_oldest);
  if (i_oldest == soci::i_ok) stats.oldest_created = oldest;
  return stats;
}

std::vector<DeliveryRow> DeliveryStore::list(soci::session& sql, const std::string& status,
                                             int limit, const std::string& event_id) {
  std::vector<DeliveryRow> rows;
  DeliveryRow r;
  std::string type, error;
  int last_status = 0;
  long long next = 0, created = 0;
  soci::indicator i_type = soci::i_ok, i_last = soci::i_ok, i_error = soci::i_ok;
  const long long limit_ll = limit;
  soci::statement st =
      (sql.prepare << "SELECT d.event_id, e.type, d.url, d.status, d.attempts, d.last_status, "
                      "d.last_error, d.next_attempt_at, d.created FROM webhook_deliveries d "
                      "LEFT JOIN events e ON e.id = d.event_id WHERE (d.status = :status OR "
                      ":any_status = '') AND (d.event_id = :event OR :any_event = '') ORDER BY "
                      "d.created DESC, d.id DESC LIMIT :n",
       soci::use(status), soci::use(status), soci::use(event_id), soci::use(event_id),
       soci::use(limit_ll), soci::into(r.event_id), soci::into(type, i_type), soci::into(r.url),
       soci::into(r.status), soci::into(r.attempts), soci::into(last_status, i_last),
       soci::into(error, i_error), soci::into(next), soci::into(created));
  st.execute();
  while (st.fetch()) {
    DeliveryRow row = r;
    row.type = i_type == soci::i_ok ? type : "?";
    if (i_last == soci::i_ok) row.last_status = last_status;
    row.last_error = i_error == soci::i_ok ? error : "";
    row.next_attempt_at = next;
    row.created = created;
    rows.push_back(std::move(row));
  }
  return rows;
}

RedeliverResult DeliveryStore::redeliver(soci::session& sql, const std::string& event_id,
                                         std::int64_t now) {
  int events = 0, deliveries = 0;
  sql << "SELECT CAST(COUNT(*) AS INTEGER) FROM events WHERE id = :id", soci::use(event_id),
      soci::into(events);
  if (events == 0) return RedeliverResult::no_event;
  sql << "SELECT CAST(COUNT(*) AS INTEGER) FROM webhook_deliveries WHERE event_id = :id",
      soci::use(event_id), soci::into(deliveries);
  if (deliveries == 0) return RedeliverResult::no_deliveries;
  const long long now_ll = now;
  sql << "UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = :next, updated = "
         ":now WHERE event_id = :id AND NOT (status = 'pending' AND next_attempt_at > :leased AND "
         "EXISTS (SELECT 1 FROM webhook_attempts a WHERE a.delivery_id = webhook_deliveries.id "
         "AND a.attempt = webhook_deliveries.attempts AND a.duration_ms IS NULL))",
      soci::use(now_ll), soci::use(now_ll), soci::use(event_id), soci::use(now_ll);
  return RedeliverResult::reset;
}

}  // namespace payhost::host::webhooks
