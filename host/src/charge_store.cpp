#include "charge_store.hpp"

#include <algorithm>

#include "payhost/sdk/crypto.hpp"

namespace payhost::host {

using sdk::ChargeState;
using sdk::Json;

namespace {

constexpr const char* kColumns =
    "id, order_no, app, channel, plugin, product, product_ref, user_id, amount, "
    "amount_refunded, currency, subject, body, client_ip, extra, metadata, credential, "
    "description, livemode, state, created, time_expire, time_paid, transaction_no, "
    "failure_code, failure_msg, payer_account, next_check_at, check_attempts";

Json parse_json_or(const std::string& text, Json fallback) {
  if (text.empty()) return fallback;
  Json parsed = Json::parse(text, nullptr, false);
  return parsed.is_discarded() ? fallback : parsed;
}

std::optional<StoredCharge> select_one(soci::session& sql, const std::string& where,
                                       const std::string& value) {
  StoredCharge s;
  sdk::Charge& c = s.charge;
  std::string extra, metadata, credential, state, transaction_no, failure_code, failure_msg;
  long long amount = 0, refunded = 0, created = 0, expire = 0, time_paid = 0, next_check = 0;
  int livemode = 0, attempts = 0;
  soci::indicator i_paid = soci::i_ok, i_tx = soci::i_ok, i_fcode = soci::i_ok, i_fmsg = soci::i_ok;
  soci::statement st =
      (sql.prepare << std::string("SELECT ") + kColumns + " FROM charges WHERE " + where,
       soci::use(value), soci::into(c.id), soci::into(c.order_no), soci::into(c.app),
       soci::into(c.channel), soci::into(s.plugin), soci::into(c.product),
       soci::into(c.product_ref), soci::into(c.user_id), soci::into(amount), soci::into(refunded),
       soci::into(c.currency), soci::into(c.subject), soci::into(c.body), soci::into(c.client_ip),
       soci::into(extra), soci::into(metadata), soci::into(credential), soci::into(c.description),
       soci::into(livemode), soci::into(state), soci::into(created), soci::into(expire),
       soci::into(time_paid, i_paid), soci::into(transaction_no, i_tx),
       soci::into(failure_code, i_fcode), soci::into(failure_msg, i_fmsg),
       soci::into(c.payer_account), soci::into(next_check), soci::into(attempts));
  st.execute();
  if (!st.fetch()) return std::nullopt;
  c.amount = amount;
  c.amount_refunded = refunded;
  c.extra = parse_json_or(extra, Json::object());
  c.metadata = parse_json_or(metadata, Json::object());
  c.credential = parse_json_or(credential, Json());
  c.livemode = livemode != 0;
  c.state = sdk::charge_state_from_string(state).value_or(ChargeState::pending);
  c.created = created;
  c.time_expire = expire;
  if (i_paid == soci::i_ok) c.time_paid = time_paid;
  if (i_tx == soci::i_ok) c.transaction_no = transaction_no;
  if (i_fcode == soci::i_ok) c.failure_code = failure_code;
  if (i_fmsg == soci::i_ok) c.failure_msg = failure_msg;
  s.next_check_at = next_check;
  s.check_attempts = attempts;
  return s;
}

}  // namespace

void ChargeStore::insert(soci::session& sql, const StoredCharge& s) const {
  const sdk::Charge& c = s.charge;
  const std::string extra = c.extra.dump();
  const std::string metadata = c.metadata.dump();
  const std::string credential = c.credential.is_null() ? "" : c.credential.dump();
  const std::string state = sdk::to_string(c.state);
  const long long amount = c.amount, created = c.created, expire = c.time_expire,
                  next_check = s.next_check_at;
  const int livemode = c.livemode ? 1 : 0;
  const std::string failure_code = c.failure_code.value_or("");
  const std::string failure_msg = c.failure_msg.value_or("");
  soci::indicator i_fail = c.failure_code ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO charges (id, order_no, app, channel, plugin, product, product_ref, user_id, "
         "amount, currency, subject, body, client_ip, extra, metadata, credential, description, "
         "livemode, state, created, time_expire, failure_code, failure_msg, next_check_at, "
         "updated) VALUES (:id, :order_no, :app, :channel, :plugin, :product, :product_ref, "
         ":user_id, :amount, :currency, :subject, :body, :client_ip, :extra, :metadata, "
         ":credential, :description, :livemode, :state, :created, :expire, :fcode, :fmsg, "
         ":next_check, :updated)",
      soci::use(c.id), soci::use(c.order_no), soci::use(c.app), soci::use(c.channel),
      soci::use(s.plugin), soci::use(c.product), soci::use(c.product_ref), soci::use(c.user_id),
      soci::use(amount), soci::use(c.currency), soci::use(c.subject), soci::use(c.body),
      soci::use(c.client_ip), soci::use(extra), soci::use(metadata), soci::use(credential),
      soci::use(c.description), soci::use(livemode), soci::use(state), soci::use(created),
      soci::use(expire), soci::use(failure_code, i_fail), soci::use(failure_msg, i_fail),
      soci::use(next_check), soci::use(created);
}

std::optional<StoredCharge> ChargeStore::by_id(soci::session& sql, const std::string& id,
                                               bool for_update) const {
  const bool lock = for_update && dialect_ == sdk::Dialect::postgresql;
  return select_one(sql, lock ? "id = :v FOR UPDATE" : "id = :v", id);
}

std::optional<StoredCharge> ChargeStore::by_order_no(soci::session& sql,
                                                     const std::string& order_no) const {
  return select_one(sql, "order_no = :v", order_no);
}

bool ChargeStore::mark_succeeded(soci::session& sql, const std::string& id,
                                 const sdk::TradeStatus& status, std::int64_t now) const {
  const long long paid_at = status.time_paid > 0 ? status.time_paid : now;
  const long long updated = now;
  const std::string& tx = status.transaction_no;
  soci::indicator i_tx = tx.empty() ? soci::i_null : soci::i_ok;
  soci::statement st =
      (sql.prepare << "UPDATE charges SET state = 'succeeded', time_paid = :paid, "
                      "transaction_no = :tx, payer_account = :payer, failure_code = NULL, "
                      "failure_msg = NULL, updated = :updated WHERE id = :id AND state IN "
                      "('pending', 'closed', 'failed')",
       soci::use(paid_at), soci::use(tx, i_tx), soci::use(status.payer_account), soci::use(updated),
       soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

bool ChargeStore::mark_unpaid_final(soci::session& sql, const std::string& id, ChargeState state,
                                    const std::string& code, const std::string& message,
                                    std::int64_t now) const {
  const std::string state_text = sdk::to_string(state);
  const long long updated = now;
  soci::statement st =
      (sql.prepare << "UPDATE charges SET state = :state, failure_code = :code, failure_msg = "
                      ":msg, updated = :updated WHERE id = :id AND state = 'pending'",
       soci::use(state_text), soci::use(code), soci::use(message), soci::use(updated),
       soci::use(id));
  st.execute(true);
  return st.get_affected_rows() == 1;
}

std::vector<std::string> ChargeStore::claim_due(soci::session& sql, std::int64_t now, int limit,
                                                int base_delay_seconds) const {
  std::string query =
      "SELECT id, time_expire, check_attempts FROM charges WHERE state = 'pending' AND "
      "next_check_at <= :now ORDER BY next_check_at LIMIT " +
      std::to_string(limit);
  if (dialect_ == sdk::Dialect::postgresql) query += " FOR UPDATE SKIP LOCKED";
  const long long now_ll = now;
  std::string id;
  long long expire = 0;
  int attempts = 0;
  struct Due {
    std::string id;
    long long expire;
    int attempts;
  };
  std::vector<Due> due;
  soci::statement st = (sql.prepare << query, soci::use(now_ll), soci::into(id), soci::into(expire),
                        soci::into(attempts));
  st.execute();
  while (st.fetch())
    due.push_back({id, expire, attempts});

  std::vector<std::string> claimed;
  for (const auto& d : due) {
    // Back off exponentially, but never past expiry: expiry needs prompt handling.
    const long long backoff = std::min<long long>(3600, static_cast<long long>(base_delay_seconds)
                                                            << std::min(d.attempts, 10));
    long long next = now + std::max<long long>(backoff, 1);
    if (d.expire > now) next = std::min(next, d.expire);
    sql << "UPDATE charges SET next_check_at = :next, check_attempts = check_attempts + 1 "
           "WHERE id = :id AND state = 'pending'",
        soci::use(next), soci::use(d.id);
    claimed.push_back(d.id);
  }
  return claimed;
}

void ChargeStore::insert_event(soci::session& sql, const std::string& type,
                               const std::string& charge_id, const std::string& payload,
                               std::int64_t now) const {
  const std::string id = "evt_" + charge_id.substr(charge_id.size() > 3 ? 3 : 0) + "_" + type;
  const long long created = now;
  sql << "INSERT INTO events (id, type, charge_id, created, payload) VALUES (:id, :type, :cid, "
         ":created, :payload)",
      soci::use(id), soci::use(type), soci::use(charge_id), soci::use(created), soci::use(payload);
}

void ChargeStore::insert_refusal(soci::session& sql, const std::string& plugin,
                                 const std::string& order_no, const std::string& reason,
                                 const std::string& detail, std::int64_t now) const {
  const std::string id = "nr_" + sdk::crypto::random_alnum(24);
  const long long created = now;
  sql << "INSERT INTO notification_refusals (id, plugin, order_no, reason, detail, created) "
         "VALUES (:id, :plugin, :order_no, :reason, :detail, :created)",
      soci::use(id), soci::use(plugin), soci::use(order_no), soci::use(reason), soci::use(detail),
      soci::use(created);
}

std::vector<ChargeStore::StateCount> ChargeStore::count_by_channel_state(soci::session& sql) const {
  std::vector<StateCount> out;
  std::string channel, state;
  long long count = 0;
  soci::statement st = (sql.prepare << "SELECT channel, state, CAST(COUNT(*) AS BIGINT) FROM "
                                       "charges GROUP BY channel, state",
                        soci::into(channel), soci::into(state), soci::into(count));
  st.execute();
  while (st.fetch())
    out.push_back({channel, state, count});
  return out;
}

}  // namespace payhost::host
