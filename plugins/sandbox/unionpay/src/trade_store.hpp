// The simulated UnionPay's consume trades and refunds, in tables of the plugin's own
// (sandbox_unionpay_*). Every state change is one conditional UPDATE inside a transaction,
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

namespace payhost::sandbox_unionpay {

// Trade states (the simulator's words; UnionPay reports them as origRespCode).
inline constexpr const char* kUnpaid = "unpaid";
inline constexpr const char* kPaid = "paid";
inline constexpr const char* kFailed = "failed";
inline constexpr const char* kClosed = "closed";

struct Trade {
  long long id = 0;
  std::string mer_id;
  std::string order_id;
  std::string txn_time;      // as the merchant sent it (Beijing YYYYMMDDhhmmss)
  std::string channel_type;  // 07 PC, 08 mobile
  std::string biz_type;
  std::string endpoint;  // "app" (appTransReq.do) or "front" (frontTransReq.do)
  sdk::Fen amount = 0;
  std::string currency_code;
  std::string back_url;
  std::string front_url;
  std::string pay_timeout;      // as sent, or ""
  std::int64_t expires_at = 0;  // its Unix seconds, 0 = none
  std::string order_desc;
  std::string req_reserved;
  std::string request_digest;  // SHA-256 of the signed request: a replay has the same
  std::string tn;
  // Assigned with the trade so they are unique from the start; shown once paid.
  std::string query_id;
  std::string trace_no;
  std::string state;
  std::string trace_time;   // MMDDhhmmss of the payment
  std::string settle_date;  // MMDD
  sdk::Fen refunded = 0;
  std::int64_t created_at = 0;
  std::int64_t paid_at = 0;
  std::int64_t closed_at = 0;
  std::int64_t updated_at = 0;

  bool paid() const { return state == kPaid; }
};

struct Refund {
  long long id = 0;
  std::string mer_id;
  std::string order_id;  // the refund's own
  std::string txn_time;
  sdk::Fen amount = 0;
  std::string orig_query_id;
  std::string orig_order_id;
  std::string query_id;  // the refund's own transaction number
  std::string trace_no;
  std::string trace_time;
  std::string settle_date;
  std::string back_url;
  std::int64_t created_at = 0;
};

class TradeStore {
 public:
  explicit TradeStore(sdk::Database& db) : db_(db) {}

  static std::vector<sdk::Migration> migrations();

  enum class Opening {
    created,        // stored now
    existing,       // (mer_id, order_id) was stored before: `trade` is that one
    clash,          // a refund already uses that order_id
    numbers_taken,  // another trade has this tn or queryId: nothing stored, draw new ones
  };
  struct Opened {
    Opening opening = Opening::created;
    Trade trade;
  };
  // Inserts an unpaid trade unless (mer_id, order_id) exists; the caller decides whether an
  // existing one is a replay.
  sdk::Result<Opened> open(const Trade& fresh);

  sdk::Result<std::optional<Trade>> find(const std::string& mer_id, const std::string& order_id);

  enum class Change {
    done,      // the state changed now
    repeated,  // the trade already was in the target state
    not_found,
    wrong_state,   // the trade's state does not allow it
    exceeds,       // refund: more than what remains
    inconsistent,  // refund: order_id reused with other content, or a trade's order_id
  };
  struct Changed {
    Change change = Change::not_found;
    Trade trade;  // as it is after the transaction (empty when not_found)
  };

  // unpaid -> paid, recording when (trace_time MMDDhhmmss, settle_date MMDD).
  sdk::Result<Changed> pay(const std::string& mer_id, const std::string& order_id,
                           const std::string& trace_time, const std::string& settle_date,
                           std::int64_t now);
  // unpaid -> failed.
  sdk::Result<Changed> fail(const std::string& mer_id, const std::string& order_id,
                            std::int64_t now);
  // unpaid or failed -> closed.
  sdk::Result<Changed> close(const std::string& mer_id, const std::string& order_id,
                             std::int64_t now);

  struct Refunded {
    Change change = Change::not_found;
    Trade trade;
    Refund refund;  // the stored refund (done, repeated, inconsistent)
  };
  // Refunds `fresh.amount` of the paid trade whose query_id is fresh.orig_query_id, at most
  // what remains; the same refund order_id again with the same trade and amount is
  // `repeated` and changes nothing.
  sdk::Result<Refunded> refund(const Refund& fresh);

  sdk::Result<std::optional<Refund>> find_refund(const std::string& mer_id,
                                                 const std::string& order_id);

 private:
  sdk::Result<Changed> transition(const std::string& mer_id, const std::string& order_id,
                                  const char* to, std::int64_t now, const std::string& trace_time,
                                  const std::string& settle_date);

  sdk::Database& db_;
};

}  // namespace payhost::sandbox_unionpay
