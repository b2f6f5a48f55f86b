// The wallet's rows as plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "payhost/sdk/money.hpp"

namespace payhost::wallet {

// What a wallet record is for. Only recharges are payments (they have a charge).
inline constexpr const char* kKindRecharge = "recharge";
inline constexpr const char* kKindCash = "cash";               // a withdrawal's debit
inline constexpr const char* kKindCashRefund = "cash_refund";  // a refused withdrawal's return

enum RecordStatus : int { kPending = 0, kSucceeded = 1, kFailed = 2 };
enum RecordAction : int { kExpense = 0, kIncome = 1 };
enum CashStatus : int { kCashPending = 0, kCashPassed = 1, kCashRefused = 2 };

// One line of the ledger, the seed's "charge record" (凭据).
struct Record {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  std::string kind;
  std::string channel;
  std::optional<std::string> account;
  std::optional<std::string> charge_id;
  int action = kIncome;
  sdk::Fen amount = 0;
  std::string currency = "cny";
  std::string subject;
  std::string body;
  std::optional<std::string> transaction_no;
  int status = kPending;
  std::int64_t created_at = 0;  // Unix seconds
  std::int64_t updated_at = 0;

  bool is_payment() const { return kind == kKindRecharge && charge_id.has_value(); }
};

// A withdrawal application (提现申请).
struct Cash {
  std::int64_t id = 0;
  std::int64_t user_id = 0;
  sdk::Fen value = 0;
  std::string type;
  std::string account;
  int status = kCashPending;
  std::optional<std::string> remark;
  std::int64_t created_at = 0;
  std::int64_t updated_at = 0;
};

}  // namespace payhost::wallet
