#include "trade_store.hpp"

#include <soci/soci.h>

namespace payhost::sandbox_unionpay {
namespace {

constexpr const char* kTradeColumns =
    "id, mer_id, order_id, txn_time, channel_type, biz_type, endpoint, amount_fen, "
    "currency_code, back_url, front_url, pay_timeout, expires_at, order_desc, req_reserved, "
    "request_digest, tn, query_id, trace_no, state, trace_time, settle_date, refunded_fen, "
    "created_at, paid_at, closed_at, updated_at";

constexpr const char* kRefundColumns =
    "id, mer_id, order_id, txn_time, amount_fen, orig_query_id, orig_order_id, query_id, "
    "trace_no, trace_time, settle_date, back_url, created_at";

std::string key_column(bool postgres) {
  return postgres ? "id BIGSERIAL PRIMARY KEY, " : "id INTEGER PRIMARY KEY AUTOINCREMENT, ";
}

std::string trades_sql(bool postgres) {
  return "CREATE TABLE IF NOT EXISTS sandbox_unionpay_trades (" + key_column(postgres) +
         "mer_id TEXT NOT NULL, "
         "order_id TEXT NOT NULL, "
         "txn_time TEXT NOT NULL, "
         "channel_type TEXT NOT NULL, "
         "biz_type TEXT NOT NULL, "
         "endpoint TEXT NOT NULL, "
         "amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), "
         "currency_code TEXT NOT NULL, "
         "back_url TEXT NOT NULL, "
         "front_url TEXT NOT NULL DEFAULT '', "
         "pay_timeout TEXT NOT NULL DEFAULT '', "
         "expires_at BIGINT NOT NULL DEFAULT 0, "
         "order_desc TEXT NOT NULL DEFAULT '', "
         "req_reserved TEXT NOT NULL DEFAULT '', "
         "request_digest TEXT NOT NULL, "
         "tn TEXT NOT NULL, "
         "query_id TEXT NOT NULL, "
         "trace_no TEXT NOT NULL, "
         "state TEXT NOT NULL, "
         "trace_time TEXT NOT NULL DEFAULT '', "
         "settle_date TEXT NOT NULL DEFAULT '', "
         "refunded_fen BIGINT NOT NULL DEFAULT 0 "
         "CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen), "
         "created_at BIGINT NOT NULL, "
         "paid_at BIGINT NOT NULL DEFAULT 0, "
         "closed_at BIGINT NOT NULL DEFAULT 0, "
         "updated_at BIGINT NOT NULL, "
         "UNIQUE (mer_id, order_id), "
         "UNIQUE (tn), "
         "UNIQUE (query_id))";
}

std::string refunds_sql(bool postgres) {
  return "CREATE TABLE IF NOT EXISTS sandbox_unionpay_refunds (" + key_column(postgres) +
         "mer_id TEXT NOT NULL, "
         "order_id TEXT NOT NULL, "
         "txn_time TEXT NOT NULL, "
         "amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), "
         "orig_query_id TEXT NOT NULL, "
         "orig_order_id TEXT NOT NULL, "
         "query_id TEXT NOT NULL, "
         "trace_no TEXT NOT NULL, "
         "trace_time TEXT NOT NULL, "
         "settle_date TEXT NOT NULL, "
         "back_url TEXT NOT NULL DEFAULT '', "
         "created_at BIGINT NOT NULL, "
         "UNIQUE (mer_id, order_id), "
         "UNIQUE (query_id))";
}

bool is_postgres(const sdk::Database& db) {
  return db.dialect() == sdk::Dialect::postgresql;
}

sdk::Error contention(const char* what) {
  return sdk::make_error(sdk::ErrorKind::retry, "sandbox_unionpay_contention", what);
}

// A trade by (mer_id, order_id) or by (mer_id, query_id). SOCI binds by reference and
// executes later, so every bound value is a named local.
std::optional<Trade> select_trade(soci::session& sql, bool postgres, const char* column,
                                  const std::string& mer_id, const std::string& key, bool lock) {
  std::string merchant = mer_id, value = key;
  std::string query = std::string("SELECT ") + kTradeColumns +
                      " FROM sandbox_unionpay_trades WHERE mer_id = :mer_id AND " + column +
                      " = :key";
  if (lock && postgres) query += " FOR UPDATE";
  Trade t;
  long long amount = 0, expires_at = 0, refunded = 0, created_at = 0, paid_at = 0, closed_at = 0,
            updated_at = 0;
  sql << query, soci::into(t.id), soci::into(t.mer_id), soci::into(t.order_id),
      soci::into(t.txn_time), soci::into(t.channel_type), soci::into(t.biz_type),
      soci::into(t.endpoint), soci::into(amount), soci::into(t.currency_code),
      soci::into(t.back_url), soci::into(t.front_url), soci::into(t.pay_timeout),
      soci::into(expires_at), soci::into(t.order_desc), soci::into(t.req_reserved),
      soci::into(t.request_digest), soci::into(t.tn), soci::into(t.query_id),
      soci::into(t.trace_no), soci::into(t.state), soci::into(t.trace_time),
      soci::into(t.settle_date), soci::into(refunded), soci::into(created_at), soci::into(paid_at),
      soci::into(closed_at), soci::into(updated_at), soci::use(merchant), soci::use(value);
  if (!sql.got_data()) return std::nullopt;
  t.amount = amount;
  t.expires_at = expires_at;
  t.refunded = refunded;
  t.created_at = created_at;
  t.paid_at = paid_at;
  t.closed_at = closed_at;
  t.updated_at = updated_at;
  return t;
}

std::optional<Refund> select_refund(soci::session& sql, const std::string& mer_id,
                                    const std::string& order_id) {
  std::string merchant = mer_id, order = order_id;
  Refund r;
  long long amount = 0, created_at = 0;
  sql << std::string("SELECT ") + kRefundColumns +
             " FROM sandbox_unionpay_refunds WHERE mer_id = :mer_id AND order_id = :order_id",
      soci::into(r.id), soci::into(r.mer_id), soci::into(r.order_id), soci::into(r.txn_time),
      soci::into(amount), soci::into(r.orig_query_id), soci::into(r.orig_order_id),
      soci::into(r.query_id), soci::into(r.trace_no), soci::into(r.trace_time),
      soci::into(r.settle_date), soci::into(r.back_url), soci::into(created_at),
      soci::use(merchant), soci::use(order);
  if (!sql.got_data()) return std::nullopt;
  r.amount = amount;
  r.created_at = created_at;
  return r;
}

}  // namespace

std::vector<sdk::Migration> TradeStore::migrations() {
  sdk::Migration m;
  m.version = 1;
  m.description = "simulated UnionPay ACP 5.1.0 trades and refunds";
  m.sqlite = {trades_sql(false), refunds_sql(false)};
  m.postgresql = {trades_sql(true), refunds_sql(true)};
  return {m};
}

namespace {

bool numbers_taken(soci::session& sql, const std::string& tn, const std::string& query_id) {
  std::string t = tn, q = query_id;
  int taken = 0;
  sql << "SELECT COUNT(*) FROM sandbox_unionpay_trades WHERE tn = :t OR query_id = :q",
      soci::into(taken), soci::use(t), soci::use(q);
  return taken > 0;
}

}  // namespace

sdk::Result<TradeStore::Opened> TradeStore::open(const Trade& fresh) {
  Opened out;
  const bool postgres = is_postgres(db_);
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    out = Opened{};
    // A query names an order by (merId, orderId): a consume may not take a refund's.
    if (auto refund = select_refund(sql, fresh.mer_id, fresh.order_id)) {
      out.opening = Opening::clash;
      return {};
    }
    if (auto existing =
            select_trade(sql, postgres, "order_id", fresh.mer_id, fresh.order_id, false)) {
      out.opening = Opening::existing;
      out.trade = std::move(*existing);
      return {};
    }
    // tn and queryId carry only 7 and 9 random digits per second: at a thousand trades a
    // second two of them meet every few seconds, and the insert below would fail on them.
    if (numbers_taken(sql, fresh.tn, fresh.query_id)) {
      out.opening = Opening::numbers_taken;
      return {};
    }
    std::string mer_id = fresh.mer_id, order_id = fresh.order_id, txn_time = fresh.txn_time,
                channel_type = fresh.channel_type, biz_type = fresh.biz_type,
                endpoint = fresh.endpoint, currency_code = fresh.currency_code,
                back_url = fresh.back_url, front_url = fresh.front_url,
                pay_timeout = fresh.pay_timeout, order_desc = fresh.order_desc,
                req_reserved = fresh.req_reserved, digest = fresh.request_digest, tn = fresh.tn,
                query_id = fresh.query_id, trace_no = fresh.trace_no, state = kUnpaid;
    long long amount = fresh.amount, expires_at = fresh.expires_at, created_at = fresh.created_at,
              updated_at = fresh.created_at;
    soci::statement insert =
        (sql.prepare << "INSERT INTO sandbox_unionpay_trades (mer_id, order_id, txn_time, "
                        "channel_type, biz_type, endpoint, amount_fen, currency_code, back_url, "
                        "front_url, pay_timeout, expires_at, order_desc, req_reserved, "
                        "request_digest, tn, query_id, trace_no, state, created_at, updated_at) "
                        "VALUES (:mer_id, :order_id, :txn_time, :channel_type, :biz_type, "
                        ":endpoint, :amount, :currency_code, :back_url, :front_url, "
                        ":pay_timeout, :expires_at, :order_desc, :req_reserved, :digest, :tn, "
                        ":query_id, :trace_no, :state, :created_at, :updated_at) "
                        "ON CONFLICT (mer_id, order_id) DO NOTHING",
         soci::use(mer_id), soci::use(order_id), soci::use(txn_time), soci::use(channel_type),
         soci::use(biz_type), soci::use(endpoint), soci::use(amount), soci::use(currency_code),
         soci::use(back_url), soci::use(front_url), soci::use(pay_timeout), soci::use(expires_at),
         soci::use(order_desc), soci::use(req_reserved), soci::use(digest), soci::use(tn),
         soci::use(query_id), soci::use(trace_no), soci::use(state), soci::use(created_at),
         soci::use(updated_at));
    insert.execute(true);
    out.opening = insert.get_affected_rows() == 1 ? Opening::created : Opening::existing;
    auto stored = select_trade(sql, postgres, "order_id", fresh.mer_id, fresh.order_id, false);
    // Only a conflicting insert that was rolled back since could make this happen.
    if (!stored) return contention("trade vanished after insert");
    out.trade = std::move(*stored);
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<std::optional<Trade>> TradeStore::find(const std::string& mer_id,
                                                   const std::string& order_id) {
  std::optional<Trade> out;
  const bool postgres = is_postgres(db_);
  const auto status = sdk::with_session(db_, [&](soci::session& sql) -> sdk::Status {
    out = select_trade(sql, postgres, "order_id", mer_id, order_id, false);
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<TradeStore::Changed> TradeStore::transition(const std::string& mer_id,
                                                        const std::string& order_id, const char* to,
                                                        std::int64_t now,
                                                        const std::string& trace_time,
                                                        const std::string& settle_date) {
  Changed out;
  const bool postgres = is_postgres(db_);
  const std::string target = to;
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    out = Changed{};
    std::string merchant = mer_id, order = order_id, state = target, unpaid = kUnpaid,
                second_from = target == kClosed ? kFailed : kUnpaid, trace = trace_time,
                settle = settle_date;
    long long at = now, at_update = now;
    // One conditional statement per transition: the state moves only from an allowed one,
    // so of racing requests exactly one changes the row.
    long long affected = 0;
    if (target == kPaid) {
      soci::statement update =
          (sql.prepare << "UPDATE sandbox_unionpay_trades SET state = :state, paid_at = :at, "
                          "trace_time = :trace, settle_date = :settle, updated_at = :at_update "
                          "WHERE mer_id = :merchant AND order_id = :order AND state = :unpaid",
           soci::use(state), soci::use(at), soci::use(trace), soci::use(settle),
           soci::use(at_update), soci::use(merchant), soci::use(order), soci::use(unpaid));
      update.execute(true);
      affected = update.get_affected_rows();
    } else if (target == kClosed) {
      soci::statement update =
          (sql.prepare << "UPDATE sandbox_unionpay_trades SET state = :state, closed_at = :at, "
                          "updated_at = :at_update WHERE mer_id = :merchant "
                          "AND order_id = :order AND state IN (:unpaid, :second_from)",
           soci::use(state), soci::use(at), soci::use(at_update), soci::use(merchant),
           soci::use(order), soci::use(unpaid), soci::use(second_from));
      update.execute(true);
      affected = update.get_affected_rows();
    } else {
      soci::statement update = (sql.prepare << "UPDATE sandbox_unionpay_trades SET state = :state, "
                                               "updated_at = :at_update WHERE mer_id = :merchant "
                                               "AND order_id = :order AND state = :unpaid",
                                soci::use(state), soci::use(at_update), soci::use(merchant),
                                soci::use(order), soci::use(unpaid));
      update.execute(true);
      affected = update.get_affected_rows();
    }
    const bool changed = affected == 1;
    auto trade = select_trade(sql, postgres, "order_id", mer_id, order_id, false);
    if (!trade) return {};
    out.trade = std::move(*trade);
    if (changed) {
      out.change = Change::done;
    } else {
      out.change = out.trade.state == target ? Change::repeated : Change::wrong_state;
    }
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<TradeStore::Changed> TradeStore::pay(const std::string& mer_id,
                                                 const std::string& order_id,
                                                 const std::string& trace_time,
                                                 const std::string& settle_date, std::int64_t now) {
  return transition(mer_id, order_id, kPaid, now, trace_time, settle_date);
}

sdk::Result<TradeStore::Changed> TradeStore::fail(const std::string& mer_id,
                                                  const std::string& order_id, std::int64_t now) {
  return transition(mer_id, order_id, kFailed, now, "", "");
}

sdk::Result<TradeStore::Changed> TradeStore::close(const std::string& mer_id,
                                                   const std::string& order_id, std::int64_t now) {
  return transition(mer_id, order_id, kClosed, now, "", "");
}

sdk::Result<TradeStore::Refunded> TradeStore::refund(const Refund& fresh) {
  Refunded out;
  const bool postgres = is_postgres(db_);
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    out = Refunded{};
    // The row lock serialises every refund of this trade on PostgreSQL; on SQLite the
    // first write takes the database lock and the conditional UPDATE still holds.
    auto trade = select_trade(sql, postgres, "query_id", fresh.mer_id, fresh.orig_query_id, true);
    if (auto previous = select_refund(sql, fresh.mer_id, fresh.order_id)) {
      const bool same =
          previous->orig_query_id == fresh.orig_query_id && previous->amount == fresh.amount;
      out.change = same ? Change::repeated : Change::inconsistent;
      out.refund = std::move(*previous);
      if (trade) out.trade = std::move(*trade);
      return {};
    }
    if (!trade) return {};
    out.trade = *trade;
    if (select_trade(sql, postgres, "order_id", fresh.mer_id, fresh.order_id, false)) {
      out.change = Change::inconsistent;
      return {};
    }
    if (trade->state != kPaid) {
      out.change = Change::wrong_state;
      return {};
    }

    long long id = trade->id, add1 = fresh.amount, add2 = fresh.amount,
              at_update = fresh.created_at;
    std::string paid = kPaid;
    soci::statement update =
        (sql.prepare << "UPDATE sandbox_unionpay_trades SET refunded_fen = refunded_fen + :add1, "
                        "updated_at = :at_update WHERE id = :id AND state = :paid "
                        "AND refunded_fen + :add2 <= amount_fen",
         soci::use(add1), soci::use(at_update), soci::use(id), soci::use(paid), soci::use(add2));
    update.execute(true);
    if (update.get_affected_rows() != 1) {
      out.change = Change::exceeds;
      return {};
    }
    Refund stored = fresh;
    stored.orig_order_id = trade->order_id;
    long long amount = stored.amount, created_at = stored.created_at;
    soci::statement insert =
        (sql.prepare << "INSERT INTO sandbox_unionpay_refunds (mer_id, order_id, txn_time, "
                        "amount_fen, orig_query_id, orig_order_id, query_id, trace_no, "
                        "trace_time, settle_date, back_url, created_at) VALUES (:mer_id, "
                        ":order_id, :txn_time, :amount, :orig_query_id, :orig_order_id, "
                        ":query_id, :trace_no, :trace_time, :settle_date, :back_url, "
                        ":created_at) ON CONFLICT (mer_id, order_id) DO NOTHING",
         soci::use(stored.mer_id), soci::use(stored.order_id), soci::use(stored.txn_time),
         soci::use(amount), soci::use(stored.orig_query_id), soci::use(stored.orig_order_id),
         soci::use(stored.query_id), soci::use(stored.trace_no), soci::use(stored.trace_time),
         soci::use(stored.settle_date), soci::use(stored.back_url), soci::use(created_at));
    insert.execute(true);
    // A twin request (same refund order_id) won the insert in between: roll back and run
    // again, when it is seen as a replay or a conflict.
    if (insert.get_affected_rows() != 1) return contention("concurrent refund request");
    out.trade.refunded += stored.amount;
    out.refund = std::move(stored);
    out.change = Change::done;
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<std::optional<Refund>> TradeStore::find_refund(const std::string& mer_id,
                                                           const std::string& order_id) {
  std::optional<Refund> out;
  const auto status = sdk::with_session(db_, [&](soci::session& sql) -> sdk::Status {
    out = select_refund(sql, mer_id, order_id);
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

}  // namespace payhost::sandbox_unionpay
