// The simulated Alipay's trades and refunds, in the sandbox's own tables. Every state
// change is a conditional UPDATE inside one transaction (rows locked FOR UPDATE on
// PostgreSQL), so concurrent pays, closes and refunds can never double anything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alipay_wire.hpp"
#include "payhost/sdk/database.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/product.hpp"

namespace payhost::sandbox_alipay {

inline constexpr const char* kWaitBuyerPay = "WAIT_BUYER_PAY";
inline constexpr const char* kTradeSuccess = "TRADE_SUCCESS";
inline constexpr const char* kTradeClosed = "TRADE_CLOSED";
inline constexpr const char* kTradeFinished = "TRADE_FINISHED";

struct Trade {
  long long id = 0;
  std::string app_id;
  std::string out_trade_no;
  std::string trade_no;
  std::string method;
  sdk::Fen amount = 0;
  std::string subject;
  std::string status;
  std::string notify_url;
  std::string return_url;
  std::string qr_code;
  sdk::Fen refunded = 0;
  std::string fingerprint;
  std::string buyer_id;
  std::string buyer_logon_id;
  std::int64_t created_at = 0;
  std::int64_t paid_at = 0;
  std::int64_t closed_at = 0;
  std::int64_t updated_at = 0;

  bool paid() const { return paid_at > 0; }
};

// What makes two requests for one out_trade_no "the same content" (an idempotent replay
// rather than a conflicting reuse): the method, the amount and the subject.
std::string trade_fingerprint(std::string_view method, sdk::Fen amount, std::string_view subject);

class TradeStore {
 public:
  explicit TradeStore(sdk::Database& db) : db_(db) {}

  static std::vector<sdk::Migration> migrations();

  struct Opened {
    Trade trade;
    bool created = false;
  };
  // Inserts a WAIT_BUYER_PAY trade unless the out_trade_no exists, and returns what is
  // stored; the caller compares fingerprints.
  sdk::Result<Opened> open(const Trade& fresh);

  sdk::Result<std::optional<Trade>> find(const std::string& app_id, const alipay::TradeKey& key);

  enum class Change { done, replayed, not_found, wrong_status, exceeds, inconsistent };
  struct Changed {
    Change change = Change::not_found;
    Trade trade;  // as it is after the transaction (empty when not_found)
  };

  // WAIT_BUYER_PAY -> TRADE_SUCCESS. `replayed` when it was already paid.
  sdk::Result<Changed> pay(const std::string& app_id, const std::string& out_trade_no,
                           const std::string& buyer_id, const std::string& buyer_logon_id,
                           std::int64_t now);
  // WAIT_BUYER_PAY -> TRADE_CLOSED.
  sdk::Result<Changed> close(const std::string& app_id, const alipay::TradeKey& key,
                             std::int64_t now);
  // Refunds `amount` under `out_request_no` (done), or recognises a replay of the same
  // request (replayed; a different amount is inconsistent). Refunding everything closes
  // the trade.
  sdk::Result<Changed> refund(const std::string& app_id, const alipay::TradeKey& key,
                              const std::string& out_request_no, sdk::Fen amount,
                              const std::string& reason, std::int64_t now);

 private:
  sdk::Database& db_;
};

}  // namespace payhost::sandbox_alipay
