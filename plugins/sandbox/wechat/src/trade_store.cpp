#include "trade_store.hpp"

#include <soci/soci.h>

namespace payhost::sandbox_wechat {
namespace {

constexpr const char* kTradeColumns =
    "id, mchid, out_trade_no, appid, trade_type, description, amount_fen, notify_url, attach, "
    "time_expire, expires_at, payer_openid, payer_client_ip, h5_type, prepay_id, h5_url, "
    "code_url, transaction_id, trade_state, refunded_fen, created_at, success_at, closed_at, "
    "updated_at";

constexpr const char* kRefundColumns =
    "id, mchid, out_refund_no, refund_id, out_trade_no, transaction_id, amount_fen, total_fen, "
    "reason, status, created_at, success_at";

std::string key_column(bool postgres) {
  return postgres ? "id BIGSERIAL PRIMARY KEY, " : "id INTEGER PRIMARY KEY AUTOINCREMENT, ";
}

std::string trades_sql(bool postgres) {
  return "CREATE TABLE IF NOT EXISTS sandbox_wechat_trades (" + key_column(postgres) +
         "mchid TEXT NOT NULL, "
         "out_trade_no TEXT NOT NULL, "
         "appid TEXT NOT NULL, "
         "trade_type TEXT NOT NULL, "
         "description TEXT NOT NULL, "
         "amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), "
         "notify_url TEXT NOT NULL, "
         "attach TEXT NOT NULL DEFAULT '', "
         "time_expire TEXT NOT NULL DEFAULT '', "
         "expires_at BIGINT NOT NULL DEFAULT 0, "
         "payer_openid TEXT NOT NULL DEFAULT '', "
         "payer_client_ip TEXT NOT NULL DEFAULT '', "
         "h5_type TEXT NOT NULL DEFAULT '', "
         "prepay_id TEXT NOT NULL, "
         "h5_url TEXT NOT NULL DEFAULT '', "
         "code_url TEXT NOT NULL DEFAULT '', "
         "transaction_id TEXT NOT NULL, "
         "trade_state TEXT NOT NULL, "
         "refunded_fen BIGINT NOT NULL DEFAULT 0 "
         "CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen), "
         "created_at BIGINT NOT NULL, "
         "success_at BIGINT NOT NULL DEFAULT 0, "
         "closed_at BIGINT NOT NULL DEFAULT 0, "
         "updated_at BIGINT NOT NULL, "
         "UNIQUE (mchid, out_trade_no), "
         "UNIQUE (prepay_id), "
         "UNIQUE (transaction_id))";
}

std::string refunds_sql(bool postgres) {
  return "CREATE TABLE IF NOT EXISTS sandbox_wechat_refunds (" + key_column(postgres) +
         "mchid TEXT NOT NULL, "
         "out_refund_no TEXT NOT NULL, "
         "refund_id TEXT NOT NULL, "
         "out_trade_no TEXT NOT NULL, "
         "transaction_id TEXT NOT NULL, "
         "amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), "
         "total_fen BIGINT NOT NULL, "
         "reason TEXT NOT NULL DEFAULT '', "
         "status TEXT NOT NULL, "
         "created_at BIGINT NOT NULL, "
         "success_at BIGINT NOT NULL DEFAULT 0, "
         "UNIQUE (mchid, out_refund_no), "
         "UNIQUE (refund_id))";
}

// SOCI binds by reference and executes later, so every bound value is a named local.
struct TradeRow {
  long long id = 0, amount = 0, expires_at = 0, refunded = 0, created_at = 0, success_at = 0,
            closed_at = 0, updated_at = 0;
  std::string mchid, out_trade_no, appid, trade_type, description, notify_url, attach, time_expire,
      payer_openid, payer_client_ip, h5_type, prepay_id, h5_url, code_url, transaction_id,
      trade_state;

  Trade trade() const {
    Trade t;
    t.id = id;
    t.mchid = mchid;
    t.out_trade_no = out_trade_no;
    t.appid = appid;
    t.trade_type = trade_type;
    t.description = description;
    t.amount = amount;
    t.notify_url = notify_url;
    t.attach = attach;
    t.time_expire = time_expire;
    t.expires_at = expires_at;
    t.payer_openid = payer_openid;
    t.payer_client_ip = payer_client_ip;
    t.h5_type = h5_type;
    t.prepay_id = prepay_id;
    t.h5_url = h5_url;
    t.code_url = code_url;
    t.transaction_id = transaction_id;
    t.trade_state = trade_state;
    t.refunded = refunded;
    t.created_at = created_at;
    t.success_at = success_at;
    t.closed_at = closed_at;
    t.updated_at = updated_at;
    return t;
  }
};

std::optional<Trade> select_trade(soci::session& sql, bool postgres, const std::string& mchid,
                                  const TradeKey& key, bool lock) {
  const bool by_out = !key.out_trade_no.empty();
  std::string merchant = mchid;
  std::string value = by_out ? key.out_trade_no : key.transaction_id;
  std::string query = std::string("SELECT ") + kTradeColumns +
                      " FROM sandbox_wechat_trades WHERE mchid = :mchid AND " +
                      (by_out ? "out_trade_no" : "transaction_id") + " = :key";
  if (lock && postgres) query += " FOR UPDATE";
  TradeRow r;
  sql << query, soci::into(r.id), soci::into(r.mchid), soci::into(r.out_trade_no),
      soci::into(r.appid), soci::into(r.trade_type), soci::into(r.description),
      soci::into(r.amount), soci::into(r.notify_url), soci::into(r.attach),
      soci::into(r.time_expire), soci::into(r.expires_at), soci::into(r.payer_openid),
      soci::into(r.payer_client_ip), soci::into(r.h5_type), soci::into(r.prepay_id),
      soci::into(r.h5_url), soci::into(r.code_url), soci::into(r.transaction_id),
      soci::into(r.trade_state), soci::into(r.refunded), soci::into(r.created_at),
      soci::into(r.success_at), soci::into(r.closed_at), soci::into(r.updated_at),
      soci::use(merchant), soci::use(value);
  if (!sql.got_data()) return std::nullopt;
  // Both names given: they must name the same trade (WeChat would not find it otherwise).
  if (by_out && !key.transaction_id.empty() && r.transaction_id != key.transaction_id) {
    return std::nullopt;
  }
  return r.trade();
}

std::optional<Refund> select_refund(soci::session& sql, const std::string& mchid,
                                    const std::string& out_refund_no) {
  std::string merchant = mchid, number = out_refund_no;
  long long id = 0, amount = 0, total = 0, created_at = 0, success_at = 0;
  Refund r;
  sql << std::string("SELECT ") + kRefundColumns +
             " FROM sandbox_wechat_refunds WHERE mchid = :mchid AND out_refund_no = :number",
      soci::into(id), soci::into(r.mchid), soci::into(r.out_refund_no), soci::into(r.refund_id),
      soci::into(r.out_trade_no), soci::into(r.transaction_id), soci::into(amount),
      soci::into(total), soci::into(r.reason), soci::into(r.status), soci::into(created_at),
      soci::into(success_at), soci::use(merchant), soci::use(number);
  if (!sql.got_data()) return std::nullopt;
  r.id = id;
  r.amount = amount;
  r.total = total;
  r.created_at = created_at;
  r.success_at = success_at;
  return r;
}

sdk::Error contention(const char* what) {
  return sdk::make_error(sdk::ErrorKind::retry, "sandbox_wechat_contention", what);
}

bool is_postgres(const sdk::Database& db) {
  return db.dialect() == sdk::Dialect::postgresql;
}

}  // namespace

std::vector<sdk::Migration> TradeStore::migrations() {
  sdk::Migration m;
  m.version = 1;
  m.description = "simulated WeChat Pay v3 trades and refunds";
  m.sqlite = {trades_sql(false), refunds_sql(false)};
  m.postgresql = {trades_sql(true), refunds_sql(true)};
  return {m};
}

sdk::Result<TradeStore::Opened> TradeStore::open(const Trade& fresh) {
  Opened out;
  const bool postgres = is_postgres(db_);
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    std::string mchid = fresh.mchid, out_trade_no = fresh.out_trade_no, appid = fresh.appid,
                trade_type = fresh.trade_type, description = fresh.description,
                notify_url = fresh.notify_url, attach = fresh.attach,
                time_expire = fresh.time_expire, payer_openid = fresh.payer_openid,
                payer_client_ip = fresh.payer_client_ip, h5_type = fresh.h5_type,
                prepay_id = fresh.prepay_id, h5_url = fresh.h5_url, code_url = fresh.code_url,
                transaction_id = fresh.transaction_id, state = kNotPay;
    long long amount = fresh.amount, expires_at = fresh.expires_at, created_at = fresh.created_at,
              updated_at = fresh.created_at;
    soci::statement insert =
        (sql.prepare << "INSERT INTO sandbox_wechat_trades (mchid, out_trade_no, appid, "
                        "trade_type, description, amount_fen, notify_url, attach, time_expire, "
                        "expires_at, payer_openid, payer_client_ip, h5_type, prepay_id, h5_url, "
                        "code_url, transaction_id, trade_state, created_at, updated_at) VALUES "
                        "(:mchid, :out_trade_no, :appid, :trade_type, :description, :amount, "
                        ":notify_url, :attach, :time_expire, :expires_at, :payer_openid, "
                        ":payer_client_ip, :h5_type, :prepay_id, :h5_url, :code_url, "
                        ":transaction_id, :state, :created_at, :updated_at) "
                        "ON CONFLICT (mchid, out_trade_no) DO NOTHING",
         soci::use(mchid), soci::use(out_trade_no), soci::use(appid), soci::use(trade_type),
         soci::use(description), soci::use(amount), soci::use(notify_url), soci::use(attach),
         soci::use(time_expire), soci::use(expires_at), soci::use(payer_openid),
         soci::use(payer_client_ip), soci::use(h5_type), soci::use(prepay_id), soci::use(h5_url),
         soci::use(code_url), soci::use(transaction_id), soci::use(state), soci::use(created_at),
         soci::use(updated_at));
    insert.execute(true);
    out.created = insert.get_affected_rows() == 1;
    auto stored = select_trade(sql, postgres, fresh.mchid, TradeKey{fresh.out_trade_no, {}}, false);
    // Only a conflicting insert that was rolled back since could make this happen.
    if (!stored) return contention("trade vanished after insert");
    out.trade = std::move(*stored);
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<std::optional<Trade>> TradeStore::find(const std::string& mchid, const TradeKey& key) {
  std::optional<Trade> out;
  const bool postgres = is_postgres(db_);
  const auto status = sdk::with_session(db_, [&](soci::session& sql) -> sdk::Status {
    out = select_trade(sql, postgres, mchid, key, false);
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<TradeStore::Changed> TradeStore::transition(
    const std::string& mchid, const std::string& out_trade_no, const std::vector<std::string>& from,
    const std::string& to, const std::vector<std::string>& already, const std::string& payer_openid,
    std::int64_t now) {
  Changed out;
  const bool postgres = is_postgres(db_);
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    out = Changed{};
    std::string merchant = mchid, order = out_trade_no, target = to, openid = payer_openid,
                from_a = from.at(0), from_b = from.size() > 1 ? from[1] : from[0];
    long long at = now, at_update = now;
    // One conditional statement per transition: the state moves only from an allowed one,
    // so of two racing requests exactly one changes the row.
    std::string query = "UPDATE sandbox_wechat_trades SET trade_state = :target";
    soci::statement update(sql);
    update.exchange(soci::use(target));
    if (to == kSuccess) {
      query +=
          ", success_at = :at, payer_openid = CASE WHEN payer_openid = '' THEN :openid "
          "ELSE payer_openid END";
      update.exchange(soci::use(at));
      update.exchange(soci::use(openid));
    } else if (to == kClosed) {
      query += ", closed_at = :at";
      update.exchange(soci::use(at));
    }
    query +=
        ", updated_at = :at_update WHERE mchid = :mchid AND out_trade_no = :order "
        "AND trade_state IN (:from_a, :from_b)";
    update.exchange(soci::use(at_update));
    update.exchange(soci::use(merchant));
    update.exchange(soci::use(order));
    update.exchange(soci::use(from_a));
    update.exchange(soci::use(from_b));
    update.alloc();
    update.prepare(query);
    update.define_and_bind();
    update.execute(true);
    const bool changed = update.get_affected_rows() == 1;
    auto trade = select_trade(sql, postgres, mchid, TradeKey{out_trade_no, {}}, false);
    if (!trade) return {};
    out.trade = std::move(*trade);
    if (changed) {
      out.change = Change::done;
    } else {
      out.change = Change::wrong_state;
      for (const auto& state : already) {
        if (out.trade.trade_state == state) out.change = Change::repeated;
      }
    }
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<TradeStore::Changed> TradeStore::pay(const std::string& mchid,
                                                 const std::string& out_trade_no,
                                                 const std::string& payer_openid,
                                                 std::int64_t now) {
  return transition(mchid, out_trade_no, {kNotPay}, kSuccess, {kSuccess, kRefund}, payer_openid,
                    now);
}

sdk::Result<TradeStore::Changed> TradeStore::fail(const std::string& mchid,
                                                  const std::string& out_trade_no,
                                                  std::int64_t now) {
  return transition(mchid, out_trade_no, {kNotPay}, kPayError, {kPayError}, "", now);
}

sdk::Result<TradeStore::Changed> TradeStore::close(const std::string& mchid,
                                                   const std::string& out_trade_no,
                                                   std::int64_t now) {
  return transition(mchid, out_trade_no, {kNotPay, kPayError}, kClosed, {kClosed}, "", now);
}

sdk::Result<TradeStore::Refunded> TradeStore::refund(const std::string& mchid, const TradeKey& key,
                                                     const std::string& out_refund_no,
                                                     sdk::Fen amount, const std::string& reason,
                                                     const std::string& refund_id,
                                                     std::int64_t now) {
  Refunded out;
  const bool postgres = is_postgres(db_);
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    out = Refunded{};
    // The row lock serialises every refund of this trade on PostgreSQL; on SQLite the
    // first write takes the database lock and the conditional UPDATE still holds.
    auto trade = select_trade(sql, postgres, mchid, key, true);
    if (!trade) return {};
    out.trade = *trade;

    if (auto previous = select_refund(sql, mchid, out_refund_no)) {
      const bool same = previous->out_trade_no == trade->out_trade_no && previous->amount == amount;
      out.change = same ? Change::repeated : Change::inconsistent;
      out.refund = std::move(*previous);
      return {};
    }
    if (trade->trade_state != kSuccess && trade->trade_state != kRefund) {
      out.change = Change::wrong_state;
      return {};
    }

    long long id = trade->id, add1 = amount, add2 = amount, at_update = now;
    std::string refunded_state = kRefund, paid = kSuccess, again = kRefund;
    soci::statement update =
        (sql.prepare << "UPDATE sandbox_wechat_trades SET refunded_fen = refunded_fen + :add1, "
                        "trade_state = :refunded_state, updated_at = :at_update "
                        "WHERE id = :id AND trade_state IN (:paid, :again) "
                        "AND refunded_fen + :add2 <= amount_fen",
         soci::use(add1), soci::use(refunded_state), soci::use(at_update), soci::use(id),
         soci::use(paid), soci::use(again), soci::use(add2));
    update.execute(true);
    if (update.get_affected_rows() != 1) {
      out.change = Change::exceeds;
      return {};
    }
    Refund fresh;
    fresh.mchid = mchid;
    fresh.out_refund_no = out_refund_no;
    fresh.refund_id = refund_id;
    fresh.out_trade_no = trade->out_trade_no;
    fresh.transaction_id = trade->transaction_id;
    fresh.amount = amount;
    fresh.total = trade->amount;
    fresh.reason = reason;
    fresh.status = kSuccess;
    fresh.created_at = now;
    fresh.success_at = now;
    long long refund_amount = fresh.amount, total = fresh.total, created_at = now, success_at = now;
    soci::statement insert =
        (sql.prepare << "INSERT INTO sandbox_wechat_refunds (mchid, out_refund_no, refund_id, "
                        "out_trade_no, transaction_id, amount_fen, total_fen, reason, status, "
                        "created_at, success_at) VALUES (:mchid, :out_refund_no, :refund_id, "
                        ":out_trade_no, :transaction_id, :amount, :total, :reason, :status, "
                        ":created_at, :success_at) ON CONFLICT (mchid, out_refund_no) DO NOTHING",
         soci::use(fresh.mchid), soci::use(fresh.out_refund_no), soci::use(fresh.refund_id),
         soci::use(fresh.out_trade_no), soci::use(fresh.transaction_id), soci::use(refund_amount),
         soci::use(total), soci::use(fresh.reason), soci::use(fresh.status), soci::use(created_at),
         soci::use(success_at));
    insert.execute(true);
    // A twin request (same out_refund_no, maybe another trade) won the insert in between:
    // roll back and run again, when it is seen as a replay or a conflict.
    if (insert.get_affected_rows() != 1) return contention("concurrent refund request");
    auto after = select_trade(sql, postgres, mchid, key, false);
    if (!after) return contention("trade vanished during refund");
    out.trade = std::move(*after);
    out.refund = std::move(fresh);
    out.change = Change::done;
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<std::optional<Refund>> TradeStore::find_refund(const std::string& mchid,
                                                           const std::string& out_refund_no) {
  std::optional<Refund> out;
  const auto status = sdk::with_session(db_, [&](soci::session& sql) -> sdk::Status {
    out = select_refund(sql, mchid, out_refund_no);
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

}  // namespace payhost::sandbox_wechat
