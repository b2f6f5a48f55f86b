#include "refunds/refund_store.hpp"

#include <algorithm>

#include "payhost/sdk/json.hpp"

namespace payhost::host::refunds {

using sdk::Json;

namespace {

// The charge's order_no comes with every refund (Ping++'s charge_order_no).
constexpr const char* kSelect =
    "SELECT r.id, r.order_no, r.charge_id, c.order_no, r.app, r.livemode, r.amount, r.status, "
    "r.description, r.metadata, r.funding_source, r.extra, r.transaction_no, r.failure_code, "
    "r.failure_msg, r.requested_by, r.created, r.time_succeed, r.next_check_at, "
    "r.check_attempts FROM refunds r JOIN charges c ON c.id = r.charge_id ";

Json parse_object_or_empty(const std::string& text) {
  Json parsed = sdk::parse_json(text);
  return parsed.is_object() ? parsed : Json::object();
}

RefundStatus status_from(const std::string& text) {
  if (text == "succeeded") return RefundStatus::succeeded;
  if (text == "failed") return RefundStatus::failed;
  return RefundStatus::pending;
}

std::optional<std::string> optional_text(const std::string& value, soci::indicator ind) {
  return ind == soci::i_ok ? std::optional<std::string>(value) : std::nullopt;
}

// The variables one row of kSelect lands in.
struct RowReader {
  StoredRefund row;
  std::string status, metadata, funding_source, extra, transaction_no, failure_code, failure_msg;
  long long amount = 0, created = 0, time_succeed = 0, next_check = 0;
  int livemode = 0, attempts = 0;
  soci::indicator i_funding = soci::i_null, i_tx = soci::i_null, i_fcode = soci::i_null,
                  i_fmsg = soci::i_null, i_succeed = soci::i_null;

  void bind(soci::statement& st) {
    Refund& r = row.refund;
    st.exchange(soci::into(r.id));
    st.exchange(soci::into(r.order_no));
    st.exchange(soci::into(r.charge_id));
    st.exchange(soci::into(r.charge_order_no));
    st.exchange(soci::into(r.app));
    st.exchange(soci::into(livemode));
    st.exchange(soci::into(amount));
    st.exchange(soci::into(status));
    st.exchange(soci::into(r.description));
    st.exchange(soci::into(metadata));
    st.exchange(soci::into(funding_source, i_funding));
    st.exchange(soci::into(extra));
    st.exchange(soci::into(transaction_no, i_tx));
    st.exchange(soci::into(failure_code, i_fcode));
    st.exchange(soci::into(failure_msg, i_fmsg));
    st.exchange(soci::into(r.requested_by));
    st.exchange(soci::into(created));
    st.exchange(soci::into(time_succeed, i_succeed));
    st.exchange(soci::into(next_check));
    st.exchange(soci::into(attempts));
  }

  StoredRefund take() const {
    StoredRefund s = row;
    Refund& r = s.refund;
    r.livemode = livemode != 0;
    r.amount = amount;
    r.status = status_from(status);
    r.metadata = parse_object_or_empty(metadata);
    r.funding_source = optional_text(funding_source, i_funding);
    r.extra = parse_object_or_empty(extra);
    r.transaction_no = optional_text(transaction_no, i_tx);
    r.failure_code = optional_text(failure_code, i_fcode);
    r.failure_msg = optional_text(failure_msg, i_fmsg);
    r.created = created;
    r.time_succeed =
        i_succeed == soci::i_ok ? std::optional<std::int64_t>(time_succeed) : std::nullopt;
    s.next_check_at = next_check;
    s.check_attempts = attempts;
    return s;
  }
};

// Runs kSelect + `tail` with `uses` bound after the row's variables; every row, in order.
template <class... Uses>
std::vector<StoredRefund> select_rows(soci::session& sql, const std::string& tail, Uses&&... uses) {
  RowReader reader;
  soci::statement st(sql);
  reader.bind(st);
  (st.exchange(std::forward<Uses>(uses)), ...);
  st.alloc();
  st.prepare(std::string(kSelect) + tail);
  st.define_and_bind();
  std::vector<StoredRefund> rows;
  if (st.execute(true)) {
    do {
      rows.push_back(reader.take());
    } while (st.fetch());
  }
  return rows;
}

// An UPDATE that answers how many rows it changed.
template <class... Uses>
long long execute_counting(soci::session& sql, const std::string& query, Uses&&... uses) {
  soci::statement st(sql);
  (st.exchange(std::forward<Uses>(uses)), ...);
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
  st.execute(true);
  return st.get_affected_rows();
}

}  // namespace

void RefundStore::insert(soci::session& sql, const StoredRefund& s) const {
  const Refund& r = s.refund;
  const int livemode = r.livemode ? 1 : 0;
  const long long amount = r.amount, created = r.created, next_check = s.next_check_at;
  const std::string status = to_string(r.status);
  const std::string metadata = sdk::json_dump(r.metadata);
  const std::string extra = sdk::json_dump(r.extra);
  const std::string funding_source = r.funding_source.value_or("");
  soci::indicator i_funding = r.funding_source ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO refunds (id, order_no, charge_id, app, livemode, amount, status, "
         "description, metadata, funding_source, extra, requested_by, created, next_check_at, "
         "check_attempts, updated) VALUES (:id, :order_no, :charge_id, :app, :livemode, "
         ":amount, :status, :description, :metadata, :funding_source, :extra, :requested_by, "
         ":created, :next_check, 0, :updated)",
      soci::use(r.id), soci::use(r.order_no), soci::use(r.charge_id), soci::use(r.app),
      soci::use(livemode), soci::use(amount), soci::use(status), soci::use(r.description),
      soci::use(metadata), soci::use(funding_source, i_funding), soci::use(extra),
      soci::use(r.requested_by), soci::use(created), soci::use(next_check), soci::use(created);
}

std::optional<StoredRefund> RefundStore::by_id(soci::session& sql, const std::string& id) const {
  auto rows = select_rows(sql, "WHERE r.id = :id", soci::use(id));
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

std::int64_t RefundStore::reserved(soci::session& sql, const std::string& charge_id) const {
  long long sum = 0;
  sql << "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) FROM refunds WHERE charge_id = :c "
         "AND status <> 'failed'",
      soci::use(charge_id), soci::into(sum);
  return sum;
}

bool RefundStore::mark_succeeded(soci::session& sql, const std::string& id,
                                 const std::string& transaction_no, std::int64_t now) const {
  const long long at = now;
  soci::indicator i_tx = transaction_no.empty() ? soci::i_null : soci::i_ok;
  return execute_counting(sql,
                          "UPDATE refunds SET status = 'succeeded', time_succeed = :at, "
                          "transaction_no = :tx, failure_code = NULL, failure_msg = NULL, "
                          "updated = :updated WHERE id = :id AND status = 'pending'",
                          soci::use(at), soci::use(transaction_no, i_tx), soci::use(at),
                          soci::use(id)) == 1;
}

bool RefundStore::mark_failed(soci::session& sql, const std::string& id,
                              const std::string& failure_code, const std::string& failure_msg,
                              std::int64_t now) const {
  const long long at = now;
  return execute_counting(sql,
                          "UPDATE refunds SET status = 'failed', failure_code = :code, "
                          "failure_msg = :msg, updated = :updated WHERE id = :id AND status = "
                          "'pending'",
                          soci::use(failure_code), soci::use(failure_msg), soci::use(at),
                          soci::use(id)) == 1;
}

void RefundStore::postpone(soci::session& sql, const std::string& id, std::int64_t next_check_at,
                           std::int64_t now) const {
  const long long next = next_check_at, at = now;
  sql << "UPDATE refunds SET next_check_at = :next, updated = :updated WHERE id = :id AND "
         "status = 'pending'",
      soci::use(next), soci::use(at), soci::use(id);
}

std::vector<RefundStore::Claimed> RefundStore::claim_due(soci::session& sql, std::int64_t now,
                                                         int limit,
                                                         std::int64_t lease_until) const {
  std::string query =
      "SELECT id, check_attempts FROM refunds WHERE status = 'pending' AND next_check_at <= :now "
      "ORDER BY next_check_at LIMIT " +
      std::to_string(std::max(1, limit));
  if (dialect_ == sdk::Dialect::postgresql) query += " FOR UPDATE SKIP LOCKED";
  const long long now_ll = now, lease = lease_until;
  std::string id;
  int attempts = 0;
  std::vector<Claimed> due;
  soci::statement st =
      (sql.prepare << query, soci::use(now_ll), soci::into(id), soci::into(attempts));
  st.execute();
  while (st.fetch())
    due.push_back({id, attempts});
  for (const auto& d : due) {
    sql << "UPDATE refunds SET next_check_at = :lease, check_attempts = check_attempts + 1, "
           "updated = :updated WHERE id = :id AND status = 'pending'",
        soci::use(lease), soci::use(now_ll), soci::use(d.id);
  }
  return due;
}

RefundPage RefundStore::page(soci::session& sql, const std::string& charge_id, int limit,
                             const std::string& starting_after,
                             const std::string& ending_before) const {
  limit = std::max(1, limit);
  // One more than asked for tells whether there are more beyond the page.
  const std::string take = " LIMIT " + std::to_string(limit + 1);
  std::vector<StoredRefund> rows;
  if (!ending_before.empty()) {
    // The page just above the cursor: the oldest ones first, then turned newest first.
    rows = select_rows(sql, "WHERE r.charge_id = :c AND r.id > :cursor ORDER BY r.id ASC" + take,
                       soci::use(charge_id), soci::use(ending_before));
  } else if (!starting_after.empty()) {
    rows = select_rows(sql, "WHERE r.charge_id = :c AND r.id < :cursor ORDER BY r.id DESC" + take,
                       soci::use(charge_id), soci::use(starting_after));
  } else {
    rows =
        select_rows(sql, "WHERE r.charge_id = :c ORDER BY r.id DESC" + take, soci::use(charge_id));
  }
  RefundPage out;
  out.has_more = rows.size() > static_cast<std::size_t>(limit);
  if (out.has_more) rows.pop_back();
  if (!ending_before.empty()) std::reverse(rows.begin(), rows.end());
  out.data.reserve(rows.size());
  for (auto& row : rows)
    out.data.push_back(std::move(row.refund));
  return out;
}

bool RefundStore::belongs_to(soci::session& sql, const std::string& refund_id,
                             const std::string& charge_id) const {
  long long found = 0;
  sql << "SELECT CAST(COUNT(*) AS BIGINT) FROM refunds WHERE id = :id AND charge_id = :c",
      soci::use(refund_id), soci::use(charge_id), soci::into(found);
  return found > 0;
}

}  // namespace payhost::host::refunds
