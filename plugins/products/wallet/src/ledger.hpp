// Every SQL statement of the wallet. Methods take the caller's session so the same code
// runs inside the host's settlement transaction and inside the wallet's own ones; none
// of them opens or commits a transaction. SOCI throws: callers run them under
// sdk::transact / sdk::with_session, which turn exceptions into errors.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "payhost/sdk/database.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/result.hpp"
#include "records.hpp"
#include "validation.hpp"

namespace soci {
class session;
}

namespace payhost::wallet {

// What the host settled: a paid recharge charge.
struct PaidCharge {
  std::int64_t record_id = 0;
  std::string charge_id;
  sdk::Fen amount = 0;
  std::string user_id;  // as the charge stored it
  std::string transaction_no;
  std::string payer_account;
};

enum class SettleOutcome { credited, already_settled };
enum class CashOutcome { applied, insufficient_balance };
enum class DecisionOutcome { done, not_found, already_decided };

struct AuditRow {
  std::int64_t user_id = 0;
  sdk::Fen balance = 0;
  sdk::Fen settled_sum = 0;  // settled income minus settled expense
};

class Ledger {
 public:
  explicit Ledger(sdk::Dialect dialect) : dialect_(dialect) {}

  // --- recharges ---
  std::int64_t insert_pending_recharge(soci::session& sql, std::int64_t user_id,
                                       const std::string& channel, sdk::Fen amount,
                                       std::int64_t now) const;
  // Links the record to its charge; `payment_token` (may be empty) becomes its
  // transaction_no until settlement writes the provider's number (payment_token.hpp).
  void attach_charge(soci::session& sql, std::int64_t record_id, const std::string& charge_id,
                     const std::string& payment_token, std::int64_t now) const;
  // The same two with their statements kept on the pooled connection: POST /recharge runs
  // both on every request, and preparing them cost more than running them.
  std::int64_t insert_pending_recharge(sdk::Database& db, soci::session& sql, std::int64_t user_id,
                                       const std::string& channel, sdk::Fen amount,
                                       std::int64_t now) const;
  void attach_charge(sdk::Database& db, soci::session& sql, std::int64_t record_id,
                     const std::string& charge_id, const std::string& payment_token,
                     std::int64_t now) const;
  // Drops a pending record that never got a charge (the host refused to create one).
  void discard_pending(soci::session& sql, std::int64_t record_id) const;
  // pending -> failed; a settled record stays settled.
  void mark_failed(soci::session& sql, std::int64_t record_id, std::int64_t now) const;
  // Marks the record settled and credits the balance, both or neither; a record already
  // settled changes nothing. Refuses (error) a charge that does not match its record.
  sdk::Result<SettleOutcome> settle_recharge(soci::session& sql, const PaidCharge& paid,
                                             std::int64_t now) const;

  // --- reads ---
  std::optional<Record> find_record(soci::session& sql, std::int64_t id) const;
  // The user's settled records, newest first.
  std::vector<Record> list_settled_records(soci::session& sql, std::int64_t user_id,
                                           std::optional<int> action, const Page& page) const;
  sdk::Fen balance(soci::session& sql, std::int64_t user_id) const;
  // The same read with its statement kept on the pooled connection (GET /wallet's one
  // query: preparing it each time cost more than running it).
  sdk::Fen balance(sdk::Database& db, soci::session& sql, std::int64_t user_id) const;

  // --- withdrawals ---
  // Debits with a conditional update (no overdraft whatever runs concurrently), then
  // writes the application and the ledger row that explains the debit.
  CashOutcome apply_cash(soci::session& sql, std::int64_t user_id, const CashRequest& request,
                         std::int64_t now) const;
  std::vector<Cash> list_cashes(soci::session& sql, std::optional<std::int64_t> user_id,
                                std::optional<int> status, const Page& page) const;
  // Claims the pending application (pending -> passed/refused) before anything else;
  // refusing returns the money with a ledger row in the same transaction.
  DecisionOutcome decide_cash(soci::session& sql, std::int64_t cash_id, bool pass,
                              const std::string& remark, std::int64_t now) const;

  // --- audit ---
  // Every user with a wallet or a settled record: balance against the ledger.
  std::vector<AuditRow> audit(soci::session& sql) const;

 private:
  void credit(soci::session& sql, std::int64_t user_id, sdk::Fen amount, std::int64_t now) const;
  std::int64_t insert_record(soci::session& sql, const Record& record, sdk::Fen balance_after,
                             std::optional<std::int64_t> cash_id) const;
  std::int64_t insert_pending(sdk::Database* db, soci::session& sql, std::int64_t user_id,
                              const std::string& channel, sdk::Fen amount, std::int64_t now) const;
  void attach(sdk::Database* db, soci::session& sql, std::int64_t record_id,
              const std::string& charge_id, const std::string& payment_token,
              std::int64_t now) const;

  sdk::Dialect dialect_;
};

}  // namespace payhost::wallet
