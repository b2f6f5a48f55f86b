// GET /console/api/charges/{id}: the charge, its refunds and its timeline. The timeline
// merges what other tables already say (the charge's creation and payment, refunds, events,
// webhook attempts, refused notifications for its order number, one entry per refusal row
// with its repeat count) with charge_history (notifications, queries, closes). Every read
// is by an index on the charge's id or order number, each bounded.
#include <algorithm>

#include "charges/charge_history.hpp"
#include "console/charge_summary.hpp"
#include "console/console_handlers.hpp"
#include "console/console_json.hpp"
#include "observability/logging.hpp"
#include "text/utc_time.hpp"

namespace payhost::host::console {

using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Json;

namespace {

// Rows read per source: far above what one charge gathers, low enough to stay quick.
constexpr int kMaxRows = 1000;

struct RefundRow {
  std::string id, status, description, failure_code, failure_msg, requested_by;
  long long amount = 0, created = 0, time_succeed = 0;
  bool has_failure_code = false, has_failure_msg = false, has_time_succeed = false;
};

struct Entry {
  std::int64_t at_ms = 0;
  int rank = 0;  // orders entries within one second, where second-precise times meet
  std::string kind, outcome, detail;
};

// Within a second: creation, what was heard from the provider, payment, refunds, events,
// then the webhooks that carried them.
int rank_of(const std::string& kind) {
  if (kind == "created") return 0;
  if (kind == "notification" || kind == "query" || kind == "close") return 1;
  if (kind == "settled") return 2;
  if (kind == "refund") return 3;
  if (kind == "event") return 4;
  return 5;
}

void add(std::vector<Entry>& timeline, std::int64_t at_ms, std::string kind, std::string outcome,
         std::string detail) {
  const int rank = rank_of(kind);
  timeline.push_back(Entry{at_ms, rank, std::move(kind), std::move(outcome), std::move(detail)});
}

std::int64_t floor_second(std::int64_t ms) {
  return ms / 1000 - (ms % 1000 < 0 ? 1 : 0);
}

std::vector<RefundRow> read_refunds(soci::session& sql, const std::string& charge_id) {
  std::vector<RefundRow> out;
  RefundRow row;
  soci::indicator i_code = soci::i_null, i_msg = soci::i_null, i_succeed = soci::i_null;
  soci::statement st =
      (sql.prepare << "SELECT id, amount, status, description, failure_code, failure_msg, "
                      "created, time_succeed, requested_by FROM refunds WHERE charge_id = :c "
                      "ORDER BY id LIMIT " +
                          std::to_string(kMaxRows),
       soci::use(charge_id), soci::into(row.id), soci::into(row.amount), soci::into(row.status),
       soci::into(row.description), soci::into(row.failure_code, i_code),
       soci::into(row.failure_msg, i_msg), soci::into(row.created),
       soci::into(row.time_succeed, i_succeed), soci::into(row.requested_by));
  st.execute();
  while (st.fetch()) {
    RefundRow copy = row;
    copy.has_failure_code = i_code == soci::i_ok;
    copy.has_failure_msg = i_msg == soci::i_ok;
    copy.has_time_succeed = i_succeed == soci::i_ok;
    out.push_back(std::move(copy));
  }
  return out;
}

Json refund_json(const RefundRow& r) {
  return Json{{"id", r.id},
              {"amount", r.amount},
              {"status", r.status},
              {"description", r.description},
              {"failure_code", r.has_failure_code ? Json(r.failure_code) : Json()},
              {"failure_msg", r.has_failure_msg ? Json(r.failure_msg) : Json()},
              {"created", r.created},
              {"time_succeed", r.has_time_succeed ? Json(r.time_succeed) : Json()},
              {"requested_by", r.requested_by}};
}

void add_events_and_webhooks(soci::session& sql, const std::string& charge_id,
                             std::vector<Entry>& timeline) {
  {
    std::string id, type;
    long long created = 0;
    // Refund events carry their charge's id too (events_charge index).
    soci::statement st =
        (sql.prepare << "SELECT id, type, created FROM events WHERE charge_id = "
                        ":c ORDER BY created, id LIMIT " +
                            std::to_string(kMaxRows),
         soci::use(charge_id), soci::into(id), soci::into(type), soci::into(created));
    st.execute();
    while (st.fetch())
      add(timeline, created * 1000, "event", "", type);
  }
  std::string url, error;
  long long started_ms = 0;
  int http_status = 0;
  soci::indicator i_status = soci::i_null, i_error = soci::i_null;
  soci::statement st =
      (sql.prepare << "SELECT d.url, a.started_ms, a.http_status, a.error FROM events e JOIN "
                      "webhook_deliveries d ON d.event_id = e.id JOIN webhook_attempts a ON "
                      "a.delivery_id = d.id WHERE e.charge_id = :c ORDER BY a.started_ms LIMIT " +
                          std::to_string(kMaxRows),
       soci::use(charge_id), soci::into(url), soci::into(started_ms),
       soci::into(http_status, i_status), soci::into(error, i_error));
  st.execute();
  while (st.fetch()) {
    const bool answered = i_status == soci::i_ok;
    std::string detail = url;
    if (i_error == soci::i_ok && !error.empty()) detail += ": " + error;
    add(timeline, started_ms, "webhook", answered ? std::to_string(http_status) : "error",
        bounded_history_detail(detail));
  }
}

void add_refusals(soci::session& sql, const std::string& order_no, std::vector<Entry>& timeline) {
  std::string plugin, reason, detail;
  long long created = 0, last_seen = 0, repeats = 0;
  soci::statement st =
      (sql.prepare << "SELECT plugin, reason, detail, created, last_seen, repeats FROM "
                      "notification_refusals WHERE order_no = :o ORDER BY created LIMIT " +
                          std::to_string(kMaxRows),
       soci::use(order_no), soci::into(plugin), soci::into(reason), soci::into(detail),
       soci::into(created), soci::into(last_seen), soci::into(repeats));
  st.execute();
  while (st.fetch()) {
    std::string text = reason + " (" + plugin + "): " + detail;
    if (repeats > 1) {
      text += " [seen " + std::to_string(repeats) + " times, last " + utc_iso8601(last_seen) + "]";
    }
    add(timeline, created * 1000, "notification", "refused", bounded_history_detail(text));
  }
}

}  // namespace

HttpResponse charge_detail(ConsoleServices& s, const ConsoleCaller&, const HttpRequest& r) {
  const std::string id = r.path_param("id");
  if (!is_charge_id(id)) return console_error(404, "not_found", "no such charge");

  std::optional<StoredCharge> stored;
  std::vector<RefundRow> refunds;
  std::vector<Entry> timeline;
  const sdk::Status st = s.core.db.with_session([&](soci::session& sql) -> sdk::Status {
    timeline.clear();
    stored = s.core.store.by_id(sql, id);
    if (!stored) return {};
    const sdk::Charge& c = stored->charge;
    refunds = read_refunds(sql, id);
    for (auto& h : history_of(sql, id, kMaxRows)) {
      std::string detail = std::move(h.detail);
      if (h.repeats > 1) {
        detail += " [seen " + std::to_string(h.repeats) + " times, last " +
                  utc_iso8601(h.last_ms / 1000) + "]";
      }
      add(timeline, h.at_ms, std::move(h.kind), std::move(h.outcome), std::move(detail));
    }
    add_events_and_webhooks(sql, id, timeline);
    add_refusals(sql, c.order_no, timeline);
    return {};
  });
  if (!st) {
    host_log().warn("console charge detail failed: " + st.error().message);
    return console_error(503, "unavailable", "the database did not answer");
  }
  if (!stored) return console_error(404, "not_found", "no charge " + id);
  const sdk::Charge& c = stored->charge;

  add(timeline, c.created * 1000, "created", "",
      std::to_string(c.amount) + " fen on " + c.channel + ", order " + c.order_no);
  if (c.paid() && c.time_paid) {
    add(timeline, *c.time_paid * 1000, "settled", "succeeded",
        c.transaction_no ? "transaction " + *c.transaction_no : "");
  }
  long long pending = 0;
  Json refund_list = Json::array();
  for (const auto& refund : refunds) {
    if (refund.status == "pending") pending += refund.amount;
    refund_list.push_back(refund_json(refund));
    std::string detail = refund.id + " " + std::to_string(refund.amount) + " fen by " +
                         refund.requested_by + ": " + refund.description;
    if (refund.has_failure_code) {
      detail += " (" + refund.failure_code +
                (refund.has_failure_msg ? ": " + refund.failure_msg : "") + ")";
    }
    add(timeline, refund.created * 1000, "refund", refund.status, bounded_history_detail(detail));
    if (refund.has_time_succeed) {
      add(timeline, refund.time_succeed * 1000, "refund", "succeeded",
          refund.id + " " + std::to_string(refund.amount) + " fen refunded");
    }
  }
  std::stable_sort(timeline.begin(), timeline.end(), [](const Entry& a, const Entry& b) {
    const auto sa = floor_second(a.at_ms), sb = floor_second(b.at_ms);
    if (sa != sb) return sa < sb;
    if (a.rank != b.rank) return a.rank < b.rank;
    return a.at_ms < b.at_ms;
  });
  Json timeline_json = Json::array();
  for (const auto& e : timeline) {
    timeline_json.push_back(
        Json{{"at_ms", e.at_ms}, {"kind", e.kind}, {"outcome", e.outcome}, {"detail", e.detail}});
  }

  Json charge = charge_summary_json(c);
  charge["body"] = c.body;
  charge["description"] = c.description;
  charge["extra"] = c.extra;
  charge["metadata"] = c.metadata;
  charge["failure_code"] = c.failure_code ? Json(*c.failure_code) : Json();
  charge["failure_msg"] = c.failure_msg ? Json(*c.failure_msg) : Json();
  charge["time_expire"] = c.time_expire;
  charge["refundable"] =
      c.paid() ? std::max<long long>(0, c.amount - c.amount_refunded - pending) : 0;
  return sdk::HttpResponse::json(200, Json{{"charge", std::move(charge)},
                                           {"refunds", std::move(refund_list)},
                                           {"timeline", std::move(timeline_json)}});
}

}  // namespace payhost::host::console
