#include "trade_store.hpp"

#include <soci/soci.h>

namespace payhost::sandbox_alipay {
namespace {

constexpr const char* kColumns =
    "id, app_id, out_trade_no, trade_no, method, amount_fen, subject, status, notify_url, "
    "return_url, qr_code, refunded_fen, fingerprint, buyer_id, buyer_logon_id, created_at, "
    "paid_at, closed_at, updated_at";

// Both dialects accept this shape; only the key column differs. IF NOT EXISTS: before the
// simulators had folders of their own, the plugin named `sandbox` created these tables, and
// schema_versions records steps per owner, so on such a database this step runs again.
std::string table_sql(bool postgres) {
  return std::string("CREATE TABLE IF NOT EXISTS sandbox_alipay_trades (") +
         (postgres ? "id BIGSERIAL PRIMARY KEY, " : "id INTEGER PRIMARY KEY AUTOINCREMENT, ") +
         "app_id TEXT NOT NULL, "
         "out_trade_no TEXT NOT NULL, "
         "trade_no TEXT NOT NULL, "
         "method TEXT NOT NULL, "
         "amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), "
         "subject TEXT NOT NULL, "
         "status TEXT NOT NULL, "
         "notify_url TEXT NOT NULL DEFAULT '', "
         "return_url TEXT NOT NULL DEFAULT '', "
         "qr_code TEXT NOT NULL DEFAULT '', "
         "refunded_fen BIGINT NOT NULL DEFAULT 0 "
         "CHECK (refunded_fen >= 0 AND refunded_fen <= amount_fen), "
         "fingerprint TEXT NOT NULL, "
         "buyer_id TEXT NOT NULL DEFAULT '', "
         "buyer_logon_id TEXT NOT NULL DEFAULT '', "
         "created_at BIGINT NOT NULL, "
         "paid_at BIGINT NOT NULL DEFAULT 0, "
         "closed_at BIGINT NOT NULL DEFAULT 0, "
         "updated_at BIGINT NOT NULL, "
         "UNIQUE (app_id, out_trade_no), "
         "UNIQUE (trade_no))";
}

std::string refunds_sql(bool postgres) {
  return std::string("CREATE TABLE IF NOT EXISTS sandbox_alipay_refunds (") +
         (postgres ? "id BIGSERIAL PRIMARY KEY, " : "id INTEGER PRIMARY KEY AUTOINCREMENT, ") +
         "app_id TEXT NOT NULL, "
         "out_trade_no TEXT NOT NULL, "
         "out_request_no TEXT NOT NULL, "
         "amount_fen BIGINT NOT NULL CHECK (amount_fen > 0), "
         "reason TEXT NOT NULL DEFAULT '', "
         "created_at BIGINT NOT NULL, "
         "UNIQUE (app_id, out_trade_no, out_request_no))";
}

// SOCI binds by reference and executes later, so every bound value is a named local.
struct Row {
  long long id = 0;
  std::string app_id, out_trade_no, trade_no, method, subject, status, notify_url, return_url,
      qr_code, fingerprint, buyer_id, buyer_logon_id;
  long long amount = 0, refunded = 0, created_at = 0, paid_at = 0, closed_at = 0, updated_at = 0;

  Trade trade() const {
    Trade t;
    t.id = id;
    t.app_id = app_id;
    t.out_trade_no = out_trade_no;
    t.trade_no = trade_no;
    t.method = method;
    t.amount = amount;
    t.subject = subject;
    t.status = status;
    t.notify_url = notify_url;
    t.return_url = return_url;
    t.qr_code = qr_code;
    t.refunded = refunded;
    t.fingerprint = fingerprint;
    t.buyer_id = buyer_id;
    t.buyer_logon_id = buyer_logon_id;
    t.created_at = created_at;
    t.paid_at = paid_at;
    t.closed_at = closed_at;
    t.updated_at = updated_at;
    return t;
  }
};

// Looks a trade up by out_trade_no when given, else by trade_no; when both are given
// they must name the same trade (Alipay answers TRADE_NOT_EXIST otherwise).
std::optional<Trade> select_trade(soci::session& sql, bool postgres, const std::string& app_id,
                                  const alipay::TradeKey& key, bool lock) {
  const bool by_out = !key.out_trade_no.empty();
  std::string app = app_id;
  std::string value = by_out ? key.out_trade_no : key.trade_no;
  std::string query = std::string("SELECT ") + kColumns +
                      " FROM sandbox_alipay_trades WHERE app_id = :app AND " +
                      (by_out ? "out_trade_no" : "trade_no") + " = :key";
  if (lock && postgres) query += " FOR UPDATE";
  Row r;
  sql << query, soci::into(r.id), soci::into(r.app_id), soci::into(r.out_trade_no),
      soci::into(r.trade_no), soci::into(r.method), soci::into(r.amount), soci::into(r.subject),
      soci::into(r.status), soci::into(r.notify_url), soci::into(r.return_url),
      soci::into(r.qr_code), soci::into(r.refunded), soci::into(r.fingerprint),
      soci::into(r.buyer_id), soci::into(r.buyer_logon_id), soci::into(r.created_at),
      soci::into(r.paid_at), soci::into(r.closed_at), soci::into(r.updated_at), soci::use(app),
      soci::use(value);
  if (!sql.got_data()) return std::nullopt;
  if (by_out && !key.trade_no.empty() && r.trade_no != key.trade_no) return std::nullopt;
  return r.trade();
}

sdk::Error contention(const char* what) {
  return sdk::make_error(sdk::ErrorKind::retry, "sandbox_contention", what);
}

}  // namespace

std::string trade_fingerprint(std::string_view method, sdk::Fen amount, std::string_view subject) {
  std::string out(method);
  out += '\n';
  out += std::to_string(amount);
  out += '\n';
  out += subject;
  return out;
}

std::vector<sdk::Migration> TradeStore::migrations() {
  sdk::Migration m;
  m.version = 1;
  m.description = "simulated Alipay trades and refunds";
  m.sqlite = {table_sql(false), refunds_sql(false)};
  m.postgresql = {table_sql(true), refunds_sql(true)};
  return {m};
}

sdk::Result<TradeStore::Opened> TradeStore::open(const Trade& fresh) {
  Opened out;
  const bool postgres = db_.dialect() == sdk::Dialect::postgresql;
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    std::string app_id = fresh.app_id, out_trade_no = fresh.out_trade_no, trade_no = fresh.trade_no,
                method = fresh.method, subject = fresh.subject, state = kWaitBuyerPay,
                notify_url = fresh.notify_url, return_url = fresh.return_url,
                qr_code = fresh.qr_code, fingerprint = fresh.fingerprint;
    long long amount = fresh.amount, created_at = fresh.created_at, updated_at = fresh.created_at;
    soci::statement insert =
        (sql.prepare << "INSERT INTO sandbox_alipay_trades (app_id, out_trade_no, trade_no, "
                        "method, amount_fen, subject, status, notify_url, return_url, qr_code, "
                        "fingerprint, created_at, updated_at) VALUES (:app_id, :out_trade_no, "
                        ":trade_no, :method, :amount, :subject, :status, :notify_url, "
                        ":return_url, :qr_code, :fingerprint, :created_at, :updated_at) "
                        "ON CONFLICT (app_id, out_trade_no) DO NOTHING",
         soci::use(app_id), soci::use(out_trade_no), soci::use(trade_no), soci::use(method),
         soci::use(amount), soci::use(subject), soci::use(state), soci::use(notify_url),
         soci::use(return_url), soci::use(qr_code), soci::use(fingerprint), soci::use(created_at),
         soci::use(updated_at));
    insert.execute(true);
    out.created = insert.get_affected_rows() == 1;
    auto stored =
        select_trade(sql, postgres, fresh.app_id, alipay::TradeKey{fresh.out_trade_no, {}}, false);
    // Only a conflicting insert that was rolled back since could make this happen.
    if (!stored) return contention("trade vanished after insert");
    out.trade = std::move(*stored);
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<std::optional<Trade>> TradeStore::find(const std::string& app_id,
                                                   const alipay::TradeKey& key) {
  std::optional<Trade> out;
  const bool postgres = db_.dialect() == sdk::Dialect::postgresql;
  const auto status = sdk::with_session(db_, [&](soci::session& sql) -> sdk::Status {
    out = select_trade(sql, postgres, app_id, key, false);
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<TradeStore::Changed> TradeStore::pay(const std::string& app_id,
                                                 const std::string& out_trade_no,
                                                 const std::string& buyer_id,
                                                 const std::string& buyer_logon_id,
                                                 std::int64_t now) {
  Changed out;
  const bool postgres = db_.dialect() == sdk::Dialect::postgresql;
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    out = Changed{};
    std::string app = app_id, order = out_trade_no, buyer = buyer_id, logon = buyer_logon_id,
                paid = kTradeSuccess, waiting = kWaitBuyerPay;
    long long paid_at = now, updated_at = now;
    soci::statement update =
        (sql.prepare << "UPDATE sandbox_alipay_trades SET status = :paid, paid_at = :paid_at, "
                        "buyer_id = :buyer, buyer_logon_id = :logon, updated_at = :updated_at "
                        "WHERE app_id = :app AND out_trade_no = :order AND status = :waiting",
         soci::use(paid), soci::use(paid_at), soci::use(buyer), soci::use(logon),
         soci::use(updated_at), soci::use(app), soci::use(order), soci::use(waiting));
    update.execute(true);
    const bool changed = update.get_affected_rows() == 1;
    auto trade = select_trade(sql, postgres, app_id, alipay::TradeKey{out_trade_no, {}}, false);
    if (!trade) {
      out.change = Change::not_found;
      return {};
    }
    out.trade = std::move(*trade);
    if (changed) {
      out.change = Change::done;
    } else if (out.trade.paid()) {
      out.change = Change::replayed;
    } else {
      out.change = Change::wrong_status;
    }
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<TradeStore::Changed> TradeStore::close(const std::string& app_id,
                                                   const alipay::TradeKey& key, std::int64_t now) {
  Changed out;
  const bool postgres = db_.dialect() == sdk::Dialect::postgresql;
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    out = Changed{};
    auto trade = select_trade(sql, postgres, app_id, key, true);
    if (!trade) return {};
    long long id = trade->id, closed_at = now, updated_at = now;
    std::string closed = kTradeClosed, waiting = kWaitBuyerPay;
    soci::statement update =
        (sql.prepare << "UPDATE sandbox_alipay_trades SET status = :closed, closed_at = "
                        ":closed_at, updated_at = :updated_at WHERE id = :id AND status = :waiting",
         soci::use(closed), soci::use(closed_at), soci::use(updated_at), soci::use(id),
         soci::use(waiting));
    update.execute(true);
    out.change = update.get_affected_rows() == 1 ? Change::done : Change::wrong_status;
    auto after = select_trade(sql, postgres, app_id, key, false);
    if (!after) return contention("trade vanished during close");
    out.trade = std::move(*after);
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

sdk::Result<TradeStore::Changed> TradeStore::refund(const std::string& app_id,
                                                    const alipay::TradeKey& key,
                                                    const std::string& out_request_no,
                                                    sdk::Fen amount, const std::string& reason,
                                                    std::int64_t now) {
  Changed out;
  const bool postgres = db_.dialect() == sdk::Dialect::postgresql;
  const auto status = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
    out = Changed{};
    // The row lock serialises every refund of this trade on PostgreSQL; on SQLite the
    // first write takes the database lock and the conditional UPDATE still holds.
    auto trade = select_trade(sql, postgres, app_id, key, true);
    if (!trade) return {};
    out.trade = *trade;

    std::string app = app_id, order = trade->out_trade_no, request_no = out_request_no,
                why = reason;
    long long previous = 0;
    sql << "SELECT amount_fen FROM sandbox_alipay_refunds WHERE app_id = :app AND "
           "out_trade_no = :order AND out_request_no = :request_no",
        soci::into(previous), soci::use(app), soci::use(order), soci::use(request_no);
    if (sql.got_data()) {
      out.change = previous == amount ? Change::replayed : Change::inconsistent;
      return {};
    }
    if (trade->status != kTradeSuccess) {
      out.change = Change::wrong_status;
      return {};
    }

    long long id = trade->id, add1 = amount, add2 = amount, add3 = amount, add4 = amount,
              closed_at = now, updated_at = now;
    std::string closed = kTradeClosed, success = kTradeSuccess;
    soci::statement update =
        (sql.prepare << "UPDATE sandbox_alipay_trades SET refunded_fen = refunded_fen + :add1, "
                        "status = CASE WHEN refunded_fen + :add2 = amount_fen THEN :closed "
                        "ELSE status END, closed_at = CASE WHEN refunded_fen + :add3 = "
                        "amount_fen THEN :closed_at ELSE closed_at END, updated_at = :updated_at "
                        "WHERE id = :id AND status = :success AND refunded_fen + :add4 <= "
                        "amount_fen",
         soci::use(add1), soci::use(add2), soci::use(closed), soci::use(add3), soci::use(closed_at),
         soci::use(updated_at), soci::use(id), soci::use(success), soci::use(add4));
    update.execute(true);
    if (update.get_affected_rows() != 1) {
      out.change = Change::exceeds;
      return {};
    }
    long long refund_amount = amount, created_at = now;
    soci::statement insert =
        (sql.prepare << "INSERT INTO sandbox_alipay_refunds (app_id, out_trade_no, "
                        "out_request_no, amount_fen, reason, created_at) VALUES (:app, :order, "
                        ":request_no, :amount, :reason, :created_at) ON CONFLICT (app_id, "
                        "out_trade_no, out_request_no) DO NOTHING",
         soci::use(app), soci::use(order), soci::use(request_no), soci::use(refund_amount),
         soci::use(why), soci::use(created_at));
    insert.execute(true);
    // A twin request won the insert in between: run again, and it is seen as a replay.
    if (insert.get_affected_rows() != 1) return contention("concurrent refund request");
    auto after = select_trade(sql, postgres, app_id, key, false);
    if (!after) return contention("trade vanished during refund");
    out.trade = std::move(*after);
    out.change = Change::done;
    return {};
  });
  if (!status.ok()) return status.error();
  return out;
}

}  // namespace payhost::sandbox_alipay
