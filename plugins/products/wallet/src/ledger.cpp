#include "ledger.hpp"

#include <soci/soci.h>

#include <utility>

#include "messages.hpp"

namespace payhost::wallet {
namespace {

constexpr const char* kRecordColumns =
    "id, user_id, kind, channel, account, charge_id, action, amount, currency, subject, body, "
    "transaction_no, status, created_at, updated_at";

// Binds every column of kRecordColumns; fetch() fills `record`.
struct RecordRow {
  Record record;
  soci::indicator account_ind = soci::i_ok;
  soci::indicator charge_ind = soci::i_ok;
  soci::indicator transaction_ind = soci::i_ok;
  std::string account, charge_id, transaction_no;

  void bind(soci::statement& st) {
    st.exchange(soci::into(record.id));
    st.exchange(soci::into(record.user_id));
    st.exchange(soci::into(record.kind));
    st.exchange(soci::into(record.channel));
    st.exchange(soci::into(account, account_ind));
    st.exchange(soci::into(charge_id, charge_ind));
    st.exchange(soci::into(record.action));
    st.exchange(soci::into(record.amount));
    st.exchange(soci::into(record.currency));
    st.exchange(soci::into(record.subject));
    st.exchange(soci::into(record.body));
    st.exchange(soci::into(transaction_no, transaction_ind));
    st.exchange(soci::into(record.status));
    st.exchange(soci::into(record.created_at));
    st.exchange(soci::into(record.updated_at));
  }

  Record take() const {
    Record r = record;
    r.account = account_ind == soci::i_ok ? std::optional(account) : std::nullopt;
    r.charge_id = charge_ind == soci::i_ok ? std::optional(charge_id) : std::nullopt;
    r.transaction_no = transaction_ind == soci::i_ok ? std::optional(transaction_no) : std::nullopt;
    return r;
  }
};

struct CashRow {
  Cash cash;
  std::string remark;
  soci::indicator remark_ind = soci::i_ok;

  void bind(soci::statement& st) {
    st.exchange(soci::into(cash.id));
    st.exchange(soci::into(cash.user_id));
    st.exchange(soci::into(cash.value));
    st.exchange(soci::into(cash.type));
    st.exchange(soci::into(cash.account));
    st.exchange(soci::into(cash.status));
    st.exchange(soci::into(remark, remark_ind));
    st.exchange(soci::into(cash.created_at));
    st.exchange(soci::into(cash.updated_at));
  }

  Cash take() const {
    Cash c = cash;
    c.remark = remark_ind == soci::i_ok ? std::optional(remark) : std::nullopt;
    return c;
  }
};

void run(soci::statement& st, const std::string& query, bool exchange_data) {
  st.alloc();
  st.prepare(query);
  st.define_and_bind();
  st.execute(exchange_data);
}

// An INSERT that answers the new row's id, in each dialect's own way.
template <class... Uses>
std::int64_t insert_returning_id(soci::session& sql, sdk::Dialect dialect, std::string query,
                                 Uses&&... uses) {
  std::int64_t id = 0;
  const bool pg = dialect == sdk::Dialect::postgresql;
  if (pg) query += " RETURNING id";
  soci::statement st(sql);
  (st.exchange(uses), ...);
  if (pg) st.exchange(soci::into(id));
  run(st, query, true);
  if (!pg) sql << "SELECT last_insert_rowid()", soci::into(id);
  return id;
}

// An UPDATE/DELETE that answers how many rows it changed.
template <class... Uses>
long long execute_counting(soci::session& sql, const std::string& query, Uses&&... uses) {
  soci::statement st(sql);
  (st.exchange(uses), ...);
  run(st, query, true);
  return st.get_affected_rows();
}

// A pending recharge record: what insert_record writes for one (no account, charge,
// transaction number, balance or withdrawal yet: NULL).
struct PendingRechargeRow {
  std::int64_t user_id = 0;
  std::string kind = kKindRecharge;
  std::string channel;
  int action = kIncome;
  sdk::Fen amount = 0;
  std::string currency = "cny";
  std::string subject = msg::kRechargeSubject;
  std::string body = msg::kRechargeBody;
  int status = kPending;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

constexpr const char* kInsertPendingRecharge =
    "INSERT INTO wallet_records (user_id, kind, channel, action, amount, currency, subject, "
    "body, status, created_at, updated_at) VALUES (:user_id, :kind, :channel, :action, "
    ":amount, :currency, :subject, :body, :status, :created_at, :updated_at)";

// PostgreSQL answers the new id from the INSERT itself.
struct InsertPendingReturning : sdk::CachedStatement {
  PendingRechargeRow row;
  std::int64_t id = 0;
  soci::statement st;
  explicit InsertPendingReturning(soci::session& sql)
      : st((sql.prepare << std::string(kInsertPendingRecharge) + " RETURNING id",
            soci::use(row.user_id), soci::use(row.kind), soci::use(row.channel),
            soci::use(row.action), soci::use(row.amount), soci::use(row.currency),
            soci::use(row.subject), soci::use(row.body), soci::use(row.status),
            soci::use(row.created_at), soci::use(row.updated_at), soci::into(id))) {}
};

// SQLite: the INSERT, then the connection's last rowid (two statements, both kept).
struct InsertPending : sdk::CachedStatement {
  PendingRechargeRow row;
  soci::statement st;
  explicit InsertPending(soci::session& sql)
      : st((sql.prepare << kInsertPendingRecharge, soci::use(row.user_id), soci::use(row.kind),
            soci::use(row.channel), soci::use(row.action), soci::use(row.amount),
            soci::use(row.currency), soci::use(row.subject), soci::use(row.body),
            soci::use(row.status), soci::use(row.created_at), soci::use(row.updated_at))) {}
};

struct LastInsertRowid : sdk::CachedStatement {
  std::int64_t id = 0;
  soci::statement st;
  explicit LastInsertRowid(soci::session& sql)
      : st((sql.prepare << "SELECT last_insert_rowid()", soci::into(id))) {}
};

// Settlement may already have filled both in (a very fast payment): keep that.
struct AttachCharge : sdk::CachedStatement {
  std::string charge_id;
  std::string token;
  std::int64_t now = 0;
  std::int64_t record_id = 0;
  soci::statement st;
  explicit AttachCharge(soci::session& sql)
      : st((sql.prepare << "UPDATE wallet_records SET charge_id = :charge_id, "
                           "transaction_no = COALESCE(transaction_no, NULLIF(:token, '')), "
                           "updated_at = :now WHERE id = :id AND charge_id IS NULL",
            soci::use(charge_id), soci::use(token), soci::use(now), soci::use(record_id))) {}
};

sdk::Error broken(std::string message) {
  return sdk::make_error(sdk::ErrorKind::internal, "wallet_ledger_mismatch", std::move(message));
}

}  // namespace

std::int64_t Ledger::insert_record(soci::session& sql, const Record& r, sdk::Fen balance_after,
                                   std::optional<std::int64_t> cash_id) const {
  const std::string account = r.account.value_or("");
  const std::string charge_id = r.charge_id.value_or("");
  const std::string transaction_no = r.transaction_no.value_or("");
  soci::indicator balance_ind = r.status == kSucceeded ? soci::i_ok : soci::i_null;
  soci::indicator cash_ind = cash_id ? soci::i_ok : soci::i_null;
  std::int64_t cash = cash_id.value_or(0);
  return insert_returning_id(
      sql, dialect_,
      "INSERT INTO wallet_records (user_id, kind, channel, account, charge_id, action, amount, "
      "currency, subject, body, transaction_no, status, balance_after, cash_id, created_at, "
      "updated_at) VALUES (:user_id, :kind, :channel, NULLIF(:account, ''), "
      "NULLIF(:charge_id, ''), :action, :amount, :currency, :subject, :body, "
      "NULLIF(:transaction_no, ''), :status, :balance_after, :cash_id, :created_at, :updated_at)",
      soci::use(r.user_id), soci::use(r.kind), soci::use(r.channel), soci::use(account),
      soci::use(charge_id), soci::use(r.action), soci::use(r.amount), soci::use(r.currency),
      soci::use(r.subject), soci::use(r.body), soci::use(transaction_no), soci::use(r.status),
      soci::use(balance_after, balance_ind), soci::use(cash, cash_ind), soci::use(r.created_at),
      soci::use(r.updated_at));
}

std::int64_t Ledger::insert_pending_recharge(soci::session& sql, std::int64_t user_id,
                                             const std::string& channel, sdk::Fen amount,
                                             std::int64_t now) const {
  return insert_pending(nullptr, sql, user_id, channel, amount, now);
}

std::int64_t Ledger::insert_pending_recharge(sdk::Database& db, soci::session& sql,
                                             std::int64_t user_id, const std::string& channel,
                                             sdk::Fen amount, std::int64_t now) const {
  return insert_pending(&db, sql, user_id, channel, amount, now);
}

std::int64_t Ledger::insert_pending(sdk::Database* db, soci::session& sql, std::int64_t user_id,
                                    const std::string& channel, sdk::Fen amount,
                                    std::int64_t now) const {
  const auto fill = [&](PendingRechargeRow& row) {
    row.user_id = user_id;
    row.channel = channel;
    row.amount = amount;
    row.created_at = row.updated_at = now;
  };
  if (dialect_ == sdk::Dialect::postgresql) {
    return sdk::with_statement<InsertPendingReturning>(db, sql, [&](InsertPendingReturning& q) {
      fill(q.row);
      q.st.execute(true);
      return q.id;
    });
  }
  sdk::with_statement<InsertPending>(db, sql, [&](InsertPending& q) {
    fill(q.row);
    q.st.execute(true);
  });
  return sdk::with_statement<LastInsertRowid>(db, sql, [](LastInsertRowid& q) {
    q.st.execute(true);
    return q.id;
  });
}

void Ledger::attach_charge(soci::session& sql, std::int64_t record_id, const std::string& charge_id,
                           const std::string& payment_token, std::int64_t now) const {
  attach(nullptr, sql, record_id, charge_id, payment_token, now);
}

void Ledger::attach_charge(sdk::Database& db, soci::session& sql, std::int64_t record_id,
                           const std::string& charge_id, const std::string& payment_token,
                           std::int64_t now) const {
  attach(&db, sql, record_id, charge_id, payment_token, now);
}

void Ledger::attach(sdk::Database* db, soci::session& sql, std::int64_t record_id,
                    const std::string& charge_id, const std::string& payment_token,
                    std::int64_t now) const {
  sdk::with_statement<AttachCharge>(db, sql, [&](AttachCharge& q) {
    q.charge_id = charge_id;
    q.token = payment_token;
    q.now = now;
    q.record_id = record_id;
    q.st.execute(true);
  });
}

void Ledger::discard_pending(soci::session& sql, std::int64_t record_id) const {
  sql << "DELETE FROM wallet_records WHERE id = :id AND status = 0 AND charge_id IS NULL",
      soci::use(record_id);
}

void Ledger::mark_failed(soci::session& sql, std::int64_t record_id, std::int64_t now) const {
  sql << "UPDATE wallet_records SET status = 2, updated_at = :now WHERE id = :id AND status = 0",
      soci::use(now), soci::use(record_id);
}

sdk::Result<SettleOutcome> Ledger::settle_recharge(soci::session& sql, const PaidCharge& paid,
                                                   std::int64_t now) const {
  const std::optional<Record> record = find_record(sql, paid.record_id);
  const std::string what =
      "charge " + paid.charge_id + " (wallet record " + std::to_string(paid.record_id) + ")";
  if (!record) return broken(what + ": no such wallet record");
  if (record->kind != kKindRecharge) return broken(what + ": the record is not a recharge");
  if (record->amount != paid.amount) {
    return broken(what + ": charge amount " + std::to_string(paid.amount) +
                  " differs from the record's " + std::to_string(record->amount));
  }
  if (!paid.user_id.empty() && paid.user_id != std::to_string(record->user_id)) {
    return broken(what + ": charge user " + paid.user_id + " is not the record's owner");
  }

  // The conditional update is the guard: whoever flips the status credits; anyone else
  // (a repeated hook, a second host) changes nothing. A failed record still settles: the
  // money was received (a late payment) and is never dropped.
  const long long claimed =
      execute_counting(sql,
                       "UPDATE wallet_records SET status = 1, charge_id = :charge_id, "
                       "account = COALESCE(NULLIF(:account, ''), account), "
                       "transaction_no = COALESCE(NULLIF(:transaction_no, ''), transaction_no), "
                       "updated_at = :now WHERE id = :id AND status <> 1",
                       soci::use(paid.charge_id), soci::use(paid.payer_account),
                       soci::use(paid.transaction_no), soci::use(now), soci::use(paid.record_id));
  if (claimed == 0) return SettleOutcome::already_settled;

  credit(sql, record->user_id, record->amount, now);
  const sdk::Fen after = balance(sql, record->user_id);
  sql << "UPDATE wallet_records SET balance_after = :balance WHERE id = :id", soci::use(after),
      soci::use(paid.record_id);
  return SettleOutcome::credited;
}

void Ledger::credit(soci::session& sql, std::int64_t user_id, sdk::Fen amount,
                    std::int64_t now) const {
  sql << "INSERT INTO wallet_wallets (user_id, balance, created_at, updated_at) "
         "VALUES (:user_id, :amount, :created_at, :updated_at) "
         "ON CONFLICT (user_id) DO UPDATE SET balance = wallet_wallets.balance + excluded.balance, "
         "updated_at = excluded.updated_at",
      soci::use(user_id), soci::use(amount), soci::use(now), soci::use(now);
}

std::optional<Record> Ledger::find_record(soci::session& sql, std::int64_t id) const {
  RecordRow row;
  soci::statement st(sql);
  row.bind(st);
  st.exchange(soci::use(id));
  run(st, std::string("SELECT ") + kRecordColumns + " FROM wallet_records WHERE id = :id", true);
  if (!st.got_data()) return std::nullopt;
  return row.take();
}

std::vector<Record> Ledger::list_settled_records(soci::session& sql, std::int64_t user_id,
                                                 std::optional<int> action,
                                                 const Page& page) const {
  std::string query = std::string("SELECT ") + kRecordColumns +
                      " FROM wallet_records WHERE user_id = :user_id AND status = 1";
  int action_value = action.value_or(0);
  std::int64_t after = page.after.value_or(0);
  int limit = page.limit;
  RecordRow row;
  soci::statement st(sql);
  row.bind(st);
  st.exchange(soci::use(user_id));
  if (action) {
    query += " AND action = :action";
    st.exchange(soci::use(action_value));
  }
  if (page.after) {
    query += " AND id < :after";
    st.exchange(soci::use(after));
  }
  query += " ORDER BY id DESC LIMIT :limit";
  st.exchange(soci::use(limit));
  run(st, query, false);
  std::vector<Record> out;
  while (st.fetch())
    out.push_back(row.take());
  return out;
}

namespace {

struct SelectBalance : sdk::CachedStatement {
  std::int64_t user_id = 0;
  sdk::Fen value = 0;
  soci::indicator ind = soci::i_ok;
  soci::statement st;

  explicit SelectBalance(soci::session& sql)
      : st((sql.prepare << "SELECT balance FROM wallet_wallets WHERE user_id = :user_id",
            soci::into(value, ind), soci::use(user_id))) {}

  // A user without a wallet row has a balance of 0.
  sdk::Fen run(std::int64_t user) {
    user_id = user;
    return st.execute(true) && ind == soci::i_ok ? value : 0;
  }
};

}  // namespace

sdk::Fen Ledger::balance(soci::session& sql, std::int64_t user_id) const {
  return SelectBalance(sql).run(user_id);
}

sdk::Fen Ledger::balance(sdk::Database& db, soci::session& sql, std::int64_t user_id) const {
  return sdk::with_statement<SelectBalance>(db, sql,
                                            [&](SelectBalance& q) { return q.run(user_id); });
}

CashOutcome Ledger::apply_cash(soci::session& sql, std::int64_t user_id, const CashRequest& request,
                               std::int64_t now) const {
  // The balance check and the debit are one statement, so two concurrent withdrawals can
  // never both pass a check the first one already used up (the old server validated
  // "max:balance" first and decremented later).
  const long long debited = execute_counting(
      sql,
      "UPDATE wallet_wallets SET balance = balance - :value, updated_at = :now "
      "WHERE user_id = :user_id AND balance >= :minimum",
      soci::use(request.value), soci::use(now), soci::use(user_id), soci::use(request.value));
  if (debited == 0) return CashOutcome::insufficient_balance;

  const std::int64_t cash_id = insert_returning_id(
      sql, dialect_,
      "INSERT INTO wallet_cashes (user_id, value, type, account, status, created_at, updated_at) "
      "VALUES (:user_id, :value, :type, :account, 0, :created_at, :updated_at)",
      soci::use(user_id), soci::use(request.value), soci::use(request.type),
      soci::use(request.account), soci::use(now), soci::use(now));

  Record r;
  r.user_id = user_id;
  r.kind = kKindCash;
  r.channel = request.type;
  r.account = request.account;
  r.action = kExpense;
  r.amount = request.value;
  r.subject = msg::kCashSubject;
  r.body = msg::kCashBody;
  r.status = kSucceeded;
  r.created_at = r.updated_at = now;
  insert_record(sql, r, balance(sql, user_id), cash_id);
  return CashOutcome::applied;
}

std::vector<Cash> Ledger::list_cashes(soci::session& sql, std::optional<std::int64_t> user_id,
                                      std::optional<int> status, const Page& page) const {
  std::string query =
      "SELECT id, user_id, value, type, account, status, remark, created_at, updated_at "
      "FROM wallet_cashes WHERE 1 = 1";
  std::int64_t user = user_id.value_or(0);
  int status_value = status.value_or(0);
  std::int64_t after = page.after.value_or(0);
  int limit = page.limit;
  CashRow row;
  soci::statement st(sql);
  row.bind(st);
  if (user_id) {
    query += " AND user_id = :user_id";
    st.exchange(soci::use(user));
  }
  if (status) {
    query += " AND status = :status";
    st.exchange(soci::use(status_value));
  }
  if (page.after) {
    query += " AND id < :after";
    st.exchange(soci::use(after));
  }
  query += " ORDER BY id DESC LIMIT :limit";
  st.exchange(soci::use(limit));
  run(st, query, false);
  std::vector<Cash> out;
  while (st.fetch())
    out.push_back(row.take());
  return out;
}

DecisionOutcome Ledger::decide_cash(soci::session& sql, std::int64_t cash_id, bool pass,
                                    const std::string& remark, std::int64_t now) const {
  // Claim first: only the request whose update flips the status acts, so a repeated or
  // concurrent decision can neither pay out twice nor refund twice.
  const int new_status = pass ? kCashPassed : kCashRefused;
  const long long claimed = execute_counting(
      sql,
      "UPDATE wallet_cashes SET status = :status, remark = :remark, updated_at = :now "
      "WHERE id = :id AND status = 0",
      soci::use(new_status), soci::use(remark), soci::use(now), soci::use(cash_id));
  if (claimed == 0) {
    int count = 0;
    sql << "SELECT COUNT(*) FROM wallet_cashes WHERE id = :id", soci::into(count),
        soci::use(cash_id);
    return count == 0 ? DecisionOutcome::not_found : DecisionOutcome::already_decided;
  }
  if (pass) return DecisionOutcome::done;  // the money left the balance when applied

  Cash cash;
  sql << "SELECT user_id, value, type, account FROM wallet_cashes WHERE id = :id",
      soci::into(cash.user_id), soci::into(cash.value), soci::into(cash.type),
      soci::into(cash.account), soci::use(cash_id);
  credit(sql, cash.user_id, cash.value, now);

  Record r;
  r.user_id = cash.user_id;
  r.kind = kKindCashRefund;
  r.channel = cash.type;
  r.account = cash.account;
  r.action = kIncome;
  r.amount = cash.value;
  r.subject = msg::kCashRefundSubject;
  r.body = msg::kCashRefundBody;
  r.status = kSucceeded;
  r.created_at = r.updated_at = now;
  insert_record(sql, r, balance(sql, cash.user_id), cash_id);
  return DecisionOutcome::done;
}

std::vector<AuditRow> Ledger::audit(soci::session& sql) const {
  AuditRow row;
  soci::statement st(sql);
  st.exchange(soci::into(row.user_id));
  st.exchange(soci::into(row.balance));
  st.exchange(soci::into(row.settled_sum));
  run(st,
      "SELECT u.user_id, CAST(COALESCE(w.balance, 0) AS BIGINT), "
      "CAST(COALESCE(s.total, 0) AS BIGINT) "
      "FROM (SELECT user_id FROM wallet_wallets "
      "      UNION SELECT user_id FROM wallet_records WHERE status = 1) u "
      "LEFT JOIN wallet_wallets w ON w.user_id = u.user_id "
      "LEFT JOIN (SELECT user_id, SUM(CASE WHEN action = 1 THEN amount ELSE -amount END) AS total "
      "           FROM wallet_records WHERE status = 1 GROUP BY user_id) s "
      "       ON s.user_id = u.user_id "
      "ORDER BY u.user_id",
      false);
  std::vector<AuditRow> out;
  while (st.fetch())
    out.push_back(row);
  return out;
}

}  // namespace payhost::wallet
