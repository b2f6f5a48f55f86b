#include "charges/charge_store.hpp"

#include "charges/backoff.hpp"

#include <algorithm>

#include "payhost/sdk/crypto.hpp"
#include "storage/statement_cache.hpp"

namespace payhost::host {

using sdk::ChargeState;
using sdk::Json;

namespace {

constexpr const char* kColumns =
    "id, order_no, app, channel, plugin, product, product_ref, user_id, amount, "
    "amount_refunded, currency, subject, body, client_ip, extra, metadata, credential, "
    "description, livemode, state, created, time_expire, time_paid, transaction_no, "
    "failure_code, failure_msg, payer_account, next_check_at, check_attempts, reversed";

Json parse_json_or(const std::string& text, Json fallback) {
  if (text.empty()) return fallback;
  Json parsed = Json::parse(text, nullptr, false);
  return parsed.is_discarded() ? fallback : parsed;
}

enum class Key { id, order_no };

// SELECT of one charge row by a unique key, optionally locking it (PostgreSQL; SQLite's
// write transaction already excludes other writers).
template <Key key, bool lock>
struct SelectCharge : StatementCache::Entry {
  std::string value;
  StoredCharge row;
  std::string extra, metadata, credential, state, transaction_no, failure_code, failure_msg;
  long long amount = 0, refunded = 0, created = 0, expire = 0, time_paid = 0, next_check = 0;
  int livemode = 0, attempts = 0, reversed = 0;
  soci::indicator i_paid = soci::i_ok, i_tx = soci::i_ok, i_fcode = soci::i_ok, i_fmsg = soci::i_ok;
  soci::statement st;

  static std::string query(soci::session& sql) {
    std::string q = std::string("SELECT ") + kColumns + " FROM charges WHERE " +
                    (key == Key::id ? "id" : "order_no") + " = :v";
    if (lock && sql.get_backend_name() == "postgresql") q += " FOR UPDATE";
    return q;
  }

  explicit SelectCharge(soci::session& sql)
      : st((sql.prepare << query(sql), soci::use(value), soci::into(row.charge.id),
            soci::into(row.charge.order_no), soci::into(row.charge.app),
            soci::into(row.charge.channel), soci::into(row.plugin), soci::into(row.charge.product),
            soci::into(row.charge.product_ref), soci::into(row.charge.user_id), soci::into(amount),
            soci::into(refunded), soci::into(row.charge.currency), soci::into(row.charge.subject),
            soci::into(row.charge.body), soci::into(row.charge.client_ip), soci::into(extra),
            soci::into(metadata), soci::into(credential), soci::into(row.charge.description),
            soci::into(livemode), soci::into(state), soci::into(created), soci::into(expire),
            soci::into(time_paid, i_paid), soci::into(transaction_no, i_tx),
            soci::into(failure_code, i_fcode), soci::into(failure_msg, i_fmsg),
            soci::into(row.charge.payer_account), soci::into(next_check), soci::into(attempts),
            soci::into(reversed))) {}

  std::optional<StoredCharge> run(const std::string& v) {
    value = v;
    st.execute();
    if (!st.fetch()) return std::nullopt;
    while (st.fetch()) {  // the key is unique: this ends the statement (SQLite's read lock)
    }
    StoredCharge s = row;
    sdk::Charge& c = s.charge;
    c.amount = amount;
    c.amount_refunded = refunded;
    c.extra = parse_json_or(extra, Json::object());
    c.metadata = parse_json_or(metadata, Json::object());
    c.credential = parse_json_or(credential, Json());
    c.livemode = livemode != 0;
    c.reversed = reversed != 0;
    c.state = sdk::charge_state_from_string(state).value_or(ChargeState::pending);
    c.created = created;
    c.time_expire = expire;
    c.time_paid = i_paid == soci::i_ok ? std::optional<std::int64_t>(time_paid) : std::nullopt;
    c.transaction_no = i_tx == soci::i_ok ? std::optional(transaction_no) : std::nullopt;
    c.failure_code = i_fcode == soci::i_ok ? std::optional(failure_code) : std::nullopt;
    c.failure_msg = i_fmsg == soci::i_ok ? std::optional(failure_msg) : std::nullopt;
    s.next_check_at = next_check;
    s.check_attempts = attempts;
    return s;
  }
};

template <Key key, bool lock>
std::optional<StoredCharge> select_one(soci::session& sql, const std::string& value) {
  return with_statement<SelectCharge<key, lock>>(sql, [&](auto& q) { return q.run(value); });
}

struct InsertCharge : StatementCache::Entry {
  std::string id, order_no, app, channel, plugin, product, product_ref, user_id, currency, subject,
      body, client_ip, extra, metadata, credential, description, state, failure_code, failure_msg;
  long long amount = 0, created = 0, expire = 0, next_check = 0;
  int livemode = 0;
  soci::indicator i_fail = soci::i_null;
  soci::statement st;

  explicit InsertCharge(soci::session& sql)
      : st((sql.prepare << "INSERT INTO charges (id, order_no, app, channel, plugin, product, "
                           "product_ref, user_id, amount, currency, subject, body, client_ip, "
                           "extra, metadata, credential, description, livemode, state, "
                           "created, time_expire, failure_code, failure_msg, next_check_at, "
                           "updated) VALUES (:id, :order_no, :app, :channel, :plugin, "
                           ":product, :product_ref, :user_id, :amount, :currency, :subject, "
                           ":body, :client_ip, :extra, :metadata, :credential, :description, "
                           ":livemode, :state, :created, :expire, :fcode, :fmsg, :next_check, "
                           ":updated)",
            soci::use(id), soci::use(order_no), soci::use(app), soci::use(channel),
            soci::use(plugin), soci::use(product), soci::use(product_ref), soci::use(user_id),
            soci::use(amount), soci::use(currency), soci::use(subject), soci::use(body),
            soci::use(client_ip), soci::use(extra), soci::use(metadata), soci::use(credential),
            soci::use(description), soci::use(livemode), soci::use(state), soci::use(created),
            soci::use(expire), soci::use(failure_code, i_fail), soci::use(failure_msg, i_fail),
            soci::use(next_check), soci::use(created))) {}

  void run(const StoredCharge& s) {
    const sdk::Charge& c = s.charge;
    id = c.id;
    order_no = c.order_no;
    app = c.app;
    channel = c.channel;
    plugin = s.plugin;
    product = c.product;
    product_ref = c.product_ref;
    user_id = c.user_id;
    amount = c.amount;
    currency = c.currency;
    subject = c.subject;
    body = c.body;
    client_ip = c.client_ip;
    extra = sdk::json_dump(c.extra);
    metadata = sdk::json_dump(c.metadata);
    credential = c.credential.is_null() ? "" : sdk::json_dump(c.credential);
    description = c.description;
    livemode = c.livemode ? 1 : 0;
    state = sdk::to_string(c.state);
    created = c.created;
    expire = c.time_expire;
    failure_code = c.failure_code.value_or("");
    failure_msg = c.failure_msg.value_or("");
    i_fail = c.failure_code ? soci::i_ok : soci::i_null;
    next_check = s.next_check_at;
    st.execute(true);
  }
};

struct MarkSucceeded : StatementCache::Entry {
  long long paid_at = 0, updated = 0;
  std::string transaction_no, payer, id;
  soci::indicator i_tx = soci::i_null;
  soci::statement st;

  explicit MarkSucceeded(soci::session& sql)
      : st((sql.prepare << "UPDATE charges SET state = 'succeeded', time_paid = :paid, "
                           "transaction_no = :tx, payer_account = :payer, failure_code = NULL, "
                           "failure_msg = NULL, updated = :updated WHERE id = :id AND state IN "
                           "('pending', 'closed', 'failed')",
            soci::use(paid_at), soci::use(transaction_no, i_tx), soci::use(payer),
            soci::use(updated), soci::use(id))) {}
};

struct MarkUnpaidFinal : StatementCache::Entry {
  std::string state, code, message, id;
  long long updated = 0;
  int reversed = 0;
  soci::statement st;

  explicit MarkUnpaidFinal(soci::session& sql)
      : st((sql.prepare << "UPDATE charges SET state = :state, failure_code = :code, "
                           "failure_msg = :msg, reversed = :reversed, updated = :updated WHERE "
                           "id = :id AND state = 'pending'",
            soci::use(state), soci::use(code), soci::use(message), soci::use(reversed),
            soci::use(updated), soci::use(id))) {}
};

struct ChargeWithTransaction : StatementCache::Entry {
  std::string plugin, transaction_no, excluded_id, found_id;
  soci::indicator i_found = soci::i_null;
  soci::statement st;

  // The predicate repeats the index's, so both databases read the partial index.
  explicit ChargeWithTransaction(soci::session& sql)
      : st((sql.prepare << "SELECT id FROM charges WHERE plugin = :plugin AND transaction_no = "
                           ":tx AND transaction_no IS NOT NULL AND transaction_no <> '' AND "
                           "id <> :id",
            soci::use(plugin), soci::use(transaction_no), soci::use(excluded_id),
            soci::into(found_id, i_found))) {}
};

}  // namespace

void ChargeStore::insert(soci::session& sql, const StoredCharge& s) const {
  with_statement<InsertCharge>(sql, [&](InsertCharge& q) { q.run(s); });
}

std::optional<StoredCharge> ChargeStore::by_id(soci::session& sql, const std::string& id,
                                               bool for_update) const {
  return for_update ? select_one<Key::id, true>(sql, id) : select_one<Key::id, false>(sql, id);
}

std::optional<StoredCharge> ChargeStore::by_order_no(soci::session& sql,
                                                     const std::string& order_no,
                                                     bool for_update) const {
  return for_update ? select_one<Key::order_no, true>(sql, order_no)
                    : select_one<Key::order_no, false>(sql, order_no);
}

bool ChargeStore::mark_succeeded(soci::session& sql, sdk::Charge& charge,
                                 const sdk::TradeStatus& status, std::int64_t now) const {
  const long long paid_at = status.time_paid > 0 ? status.time_paid : now;
  const bool changed = with_statement<MarkSucceeded>(sql, [&](MarkSucceeded& q) {
    q.paid_at = paid_at;
    q.transaction_no = status.transaction_no;
    q.i_tx = status.transaction_no.empty() ? soci::i_null : soci::i_ok;
    q.payer = status.payer_account;
    q.updated = now;
    q.id = charge.id;
    q.st.execute(true);
    return q.st.get_affected_rows() == 1;
  });
  if (changed) {  // the row as the update left it, without reading it back
    charge.state = ChargeState::succeeded;
    charge.time_paid = paid_at;
    charge.transaction_no = status.transaction_no.empty()
                                ? std::nullopt
                                : std::optional<std::string>(status.transaction_no);
    charge.payer_account = status.payer_account;
    charge.failure_code.reset();
    charge.failure_msg.reset();
  }
  return changed;
}

std::optional<std::string> ChargeStore::other_charge_with_transaction(
    soci::session& sql, const std::string& plugin, const std::string& transaction_no,
    const std::string& charge_id) const {
  if (transaction_no.empty()) return std::nullopt;
  return with_statement<ChargeWithTransaction>(
      sql, [&](ChargeWithTransaction& q) -> std::optional<std::string> {
        q.plugin = plugin;
        q.transaction_no = transaction_no;
        q.excluded_id = charge_id;
        q.found_id.clear();
        q.i_found = soci::i_null;
        std::optional<std::string> found;
        q.st.execute();
        while (q.st.fetch()) {  // to the end: a statement left on a row keeps its snapshot
          if (q.i_found == soci::i_ok && !found) found = q.found_id;
        }
        return found;
      });
}

bool ChargeStore::mark_unpaid_final(soci::session& sql, sdk::Charge& charge, ChargeState state,
                                    const std::string& code, const std::string& message,
                                    std::int64_t now, bool reversed) const {
  const bool changed = with_statement<MarkUnpaidFinal>(sql, [&](MarkUnpaidFinal& q) {
    q.reversed = reversed ? 1 : 0;
    q.state = sdk::to_string(state);
    q.code = code;
    q.message = message;
    q.updated = now;
    q.id = charge.id;
    q.st.execute(true);
    return q.st.get_affected_rows() == 1;
  });
  if (changed) {
    charge.state = state;
    charge.reversed = reversed;
    charge.failure_code = code;
    charge.failure_msg = message;
  }
  return changed;
}

void ChargeStore::add_refunded(soci::session& sql, const std::string& charge_id, sdk::Fen amount,
                               std::int64_t now) const {
  long long a = amount, updated = now;
  sql << "UPDATE charges SET amount_refunded = amount_refunded + :a, updated = :u WHERE id = :id",
      soci::use(a), soci::use(updated), soci::use(charge_id);
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
    long long next = now + retry_backoff_seconds(base_delay_seconds, d.attempts);
    if (d.expire > now) next = std::min(next, d.expire);
    sql << "UPDATE charges SET next_check_at = :next, check_attempts = check_attempts + 1 "
           "WHERE id = :id AND state = 'pending'",
        soci::use(next), soci::use(d.id);
    claimed.push_back(d.id);
  }
  return claimed;
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
