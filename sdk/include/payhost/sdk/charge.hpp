// The charge: one attempt to collect money through one channel, in Ping++'s shape.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "payhost/sdk/json.hpp"
#include "payhost/sdk/money.hpp"

namespace payhost::sdk {

enum class ChargeState { pending, succeeded, failed, closed };

const char* to_string(ChargeState state) noexcept;
std::optional<ChargeState> charge_state_from_string(std::string_view text) noexcept;

struct Charge {
  std::string id;  // "ch_" + 24 letters/digits
  std::string app;
  std::string channel;
  std::string order_no;
  std::string client_ip;
  Fen amount = 0;
  Fen amount_refunded = 0;
  std::string currency = "cny";
  std::string subject;
  std::string body;
  Json extra = Json::object();
  Json metadata = Json::object();
  Json credential = Json::object();  // the channel's payload (unwrapped)
  std::string description;
  bool livemode = false;
  bool reversed = false;  // cancelled unpaid by the merchant (POST /v1/charges/{id}/reverse)
  ChargeState state = ChargeState::pending;
  std::int64_t created = 0;
  std::int64_t time_expire = 0;
  std::optional<std::int64_t> time_paid;
  std::optional<std::string> transaction_no;
  std::optional<std::string> failure_code;
  std::optional<std::string> failure_msg;
  std::string payer_account;  // buyer account the channel reported, if any
  std::string product;        // owning product plugin
  std::string product_ref;    // the product's own record id
  std::string user_id;        // caller who created it, if authenticated

  bool paid() const { return state == ChargeState::succeeded; }
};

// Ping++'s charge object, fields in the order the real API emits them. The credential is
// {"object":"credential","<channel>":payload} while unpaid and {} once paid.
Json to_pingpp_json(const Charge& charge);

// The same object as JSON text, byte for byte what HttpResponse::json(to_pingpp_json(c))
// would send, written without building the tree (several times cheaper): for answers that
// are the charge itself (HttpResponse::json_text) and for embedding it in other text.
std::string to_pingpp_json_text(const Charge& charge);

// The same, with `refunds_data` (a JSON array's text: refund objects, newest first) in
// charge.refunds.data, as Ping++'s API shows a charge that has refunds.
std::string to_pingpp_json_text(const Charge& charge, std::string_view refunds_data,
                                bool refunds_has_more);

}  // namespace payhost::sdk
