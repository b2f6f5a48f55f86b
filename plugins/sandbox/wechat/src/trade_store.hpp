// The simulated WeChat Pay's trades and refunds, in tables of the plugin's own
// (sandbox_wechat_*). Every state change is a conditional UPDATE inside one transaction,
// with the trade row locked FOR UPDATE on PostgreSQL where a decision reads it first, so
// concurrent pays, closes and refunds change a trade exactly once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "payhost/sdk/database.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/product.hpp"

namespace payhost::sandbox_wechat {

// trade_state values, as WeChat spells them.
inline constexpr const char* kNotPay = "NOTPAY";
inline constexpr const char* kSuccess = "SUCCESS";
inline constexpr const char* kPayError = "PAYERROR";
inline constexpr const char* kClosed = "CLOSED";
inline constexpr const char* kRefund = "REFUND";

// trade_type values.
inline constexpr const char* kApp = "APP";
inline constexpr const char* kMweb = "MWEB";
inline constexpr const char* kJsapi = "JSAPI";
inline constexpr const char* kNative = "NATIVE";

struct Trade {
  long long id = 0;
  std::string mchid;
  std::string out_trade_no;
  std::string appid;
  std::string trade_type;
  std::string description;
  sdk::Fen amount = 0;
  std::string notify_url;
  std::string attach;
  std::string time_expire;      // as the merchant sent it, or ""
  std::int64_t expires_at = 0;  // its Unix seconds, 0 = none
  std::string payer_openid;     // JSAPI: given at prepay; others: assigned when paid
  std::string payer_client_ip;  // H5
  std::string h5_type;          // H5
  std::string prepay_id;
  std::string h5_url;    // MWEB only
  std::string code_url;  // NATIVE only
  // Assigned with the trade so it is unique from the start; shown only once paid.
  std::string transaction_id;
  std::string trade_state;
  sdk::Fen refunded = 0;
  std::int64_t created_at = 0;
  std::int64_t success_at = 0;
  std::int64_t closed_at = 0;
  std::int64_t updated_at = 0;

  bool paid() const { return success_at > 0; }
};

struct Refund {
  long long id = 0;
  std::string mchid;
  std::string out_refund_no;
  std::string refund_id;
  std::string out_trade_no;
  std::string transaction_id;
  sdk::Fen amount = 0;  // this refund
  sdk::Fen total = 0;   // the trade's amount
  std::string reason;
  std::string status;  // SUCCESS: the sandbox refunds at once
  std::int64_t created_at = 0;
  std::int64_t success_at = 0;
};

// A trade is named by out_trade_no or by transaction_id (refunds take either).
struct TradeKey {
  std::string out_trade_no;
  std::string transaction_id;
};

class TradeStore {
 public:
  explicit TradeStore(sdk::Database& db) : db_(db) {}

  static std::vector<sdk::Migration> migrations();

  struct Opened {
    Trade trade;
    bool created = false;
  };
  // Inserts a NOTPAY trade unless (mchid, out_trade_no) exists, and returns what is
  // stored; the caller decides whether an existing one is a replay.
  sdk::Result<Opened> open(const Trade& fresh);

  sdk::Result<std::optional<Trade>> find(const std::string& mchid, const TradeKey& key);

  enum class Change {
    done,      // the state changed now
    repeated,  // the trade already was in the target state (or paid, for pay)
    not_found,
    wrong_state,   // the trade's state does not allow it
    exceeds,       // refund: more than what remains
    inconsistent,  // refund: out_refund_no reused with other content
  };
  struct Changed {
    Change change = Change::not_found;
    Trade trade;  // as it is after the transaction (empty when not_found)
  };

  // NOTPAY -> SUCCESS; `payer_openid` is kept only if the trade has none yet.
  sdk::Result<Changed> pay(const std::string& mchid, const std::string& out_trade_no,
                           const std::string& payer_openid, std::int64_t now);
  // NOTPAY -> PAYERROR.
  sdk::Result<Changed> fail(const std::string& mchid, const std::string& out_trade_no,
                            std::int64_t now);
  // NOTPAY or PAYERROR -> CLOSED.
  sdk::Result<Changed> close(const std::string& mchid, const std::string& out_trade_no,
                             std::int64_t now);

  struct Refunded {
    Change change = Change::not_found;
    Trade trade;
    Refund refund;  // the stored refund (done, repeated)
  };
  // SUCCESS/REFUND trade -> REFUND with refunded += amount (at most the amount paid), or
  // recognises the same out_refund_no again: same trade and amount is `repeated`, anything
  // else `inconsistent`.
  sdk::Result<Refunded> refund(const std::string& mchid, const TradeKey& key,
                               const std::string& out_refund_no, sdk::Fen amount,
                               const std::string& reason, const std::string& refund_id,
                               std::int64_t now);

  sdk::Result<std::optional<Refund>> find_refund(const std::string& mchid,
                                                 const std::string& out_refund_no);

 private:
  sdk::Result<Changed> transition(const std::string& mchid, const std::string& out_trade_no,
                                  const std::vector<std::string>& from, const std::string& to,
                                  const std::vector<std::string>& already,
                                  const std::string& payer_openid, std::int64_t now);

  sdk::Database& db_;
};

}  // namespace payhost::sandbox_wechat
