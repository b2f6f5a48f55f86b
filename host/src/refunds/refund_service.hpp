// Refunds in the charge core: a refund is reserved against the paid amount and recorded
// pending in one transaction, sent to the provider once under its own refund number (the
// same number on every retry), and moved to succeeded or failed only by what the
// provider says; an unknown outcome stays pending and the janitor asks again.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "charges/core_context.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host::refunds {

enum class RefundStatus { pending, succeeded, failed };
const char* to_string(RefundStatus status) noexcept;

struct Refund {
  std::string id;        // "re_" + 24 letters/digits
  std::string order_no;  // the refund number sent to the provider (24 letters/digits)
  std::string charge_id;
  std::string charge_order_no;
  std::string app;
  bool livemode = false;
  sdk::Fen amount = 0;
  RefundStatus status = RefundStatus::pending;
  std::string description;
  sdk::Json metadata = sdk::Json::object();
  std::optional<std::string> funding_source;  // echoed only when the request gave one
  sdk::Json extra = sdk::Json::object();
  std::optional<std::string> transaction_no;  // the provider's refund number
  std::optional<std::string> failure_code;
  std::optional<std::string> failure_msg;
  std::string requested_by;  // "api:<key id>" or "cli"
  std::int64_t created = 0;
  std::optional<std::int64_t> time_succeed;
};

// Ping++'s refund object, fields in its order: id, object, order_no, amount, created,
// succeed, status, time_succeed, description, failure_code, failure_msg, metadata, charge,
// charge_order_no, transaction_no, funding_source (only when given), extra.
std::string to_pingpp_json_text(const Refund& refund);

struct NewRefund {
  std::string charge_id;
  std::optional<sdk::Fen> amount;  // absent: everything still refundable
  std::string description;         // 1..255 characters, Ping++'s limit
  sdk::Json metadata = sdk::Json::object();
  std::optional<std::string> funding_source;  // unsettled_funds | recharge_funds
  std::string requested_by;
  // Set by the API: only a charge of this app and mode may be refunded (not_found else).
  std::optional<std::string> app;
  std::optional<bool> livemode;
};

struct RefundPage {
  std::vector<Refund> data;  // newest first
  bool has_more = false;
};

class RefundService {
 public:
  explicit RefundService(CoreContext& ctx) : ctx_(ctx) {}

  // Errors (the caller's, as sdk::Error with code and param): not_found "charge_not_found"
  // (param id); invalid_request "charge_not_paid", "charge_refunded" (nothing left to
  // refund; Ping++'s message), "amount_invalid" / "refund_exceeds" (param amount),
  // "description_invalid" (param description), "funding_source_invalid", "metadata_invalid",
  // "channel_cannot_refund", "partial_refund_unsupported"; unavailable/internal for database
  // trouble (nothing recorded). A provider refusal is not an error: the refund comes back
  // failed with the provider's code and message.
  sdk::Result<Refund> create(const NewRefund& request) noexcept;

  // not_found "refund_not_found" (param id) unless the refund belongs to `charge_id`.
  sdk::Result<Refund> get(const std::string& charge_id, const std::string& refund_id) noexcept;

  // The charge's refunds, newest first; limit 1..100; starting_after / ending_before are
  // refund ids of this charge (invalid_request "cursor_invalid" otherwise).
  sdk::Result<RefundPage> list(const std::string& charge_id, int limit,
                               const std::string& starting_after,
                               const std::string& ending_before) noexcept;

  // Janitor: claims due pending refunds (several hosts may run it) and asks each channel
  // what became of them (query_refund where the channel declares it, else the same
  // refund again under the same number). Returns how many it looked at.
  int run_due(int limit) noexcept;

 private:
  CoreContext& ctx_;
};

}  // namespace payhost::host::refunds
