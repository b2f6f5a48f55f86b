// Alipay OpenAPI wire rules as the server sees them: signing strings, signed response
// envelopes, parameter checks, order strings and notifications. Pure functions only
// (no host, no database, no network) so every rule has a unit test.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "evp_rsa.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/money.hpp"

namespace payhost::sandbox_alipay::alipay {

// Decoded parameters; std::map orders keys by bytes, which is Alipay's sort order.
using Params = std::map<std::string, std::string>;
// Parameters in wire order (forms and notifications keep the order they were built in).
using Fields = std::vector<std::pair<std::string, std::string>>;

Params to_params(const Fields& fields);

// Requests are checked with sign_type inside the string (rsaCheckV2 style, what the SDKs
// sign); notifications are signed without it (rsaCheckV1, what merchants verify).
enum class SignScope { request, notification };

// Sorted "k=v&k=v" over raw (decoded) values, dropping empty values, `sign`, and for
// notifications also `sign_type`.
std::string canonical_string(const Params& params, SignScope scope);

// ---- errors -------------------------------------------------------------------------

struct GatewayError {
  std::string code;  // "40001", "40002", "40004", ...
  std::string msg;   // Alipay's fixed English text for the code
  std::string sub_code;
  std::string sub_msg;
};

GatewayError missing_parameter(std::string sub_code, std::string sub_msg);  // 40001
GatewayError invalid_parameter(std::string sub_code, std::string sub_msg);  // 40002
GatewayError business_failure(std::string sub_code, std::string sub_msg);   // 40004

sdk::Json error_node(const GatewayError& error);

// A value or the Alipay error that refuses it.
template <class T>
class Checked {
 public:
  Checked(T value) : v_(std::in_place_index<0>, std::move(value)) {}             // NOLINT: implicit
  Checked(GatewayError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT
  bool ok() const noexcept { return v_.index() == 0; }
  const T& value() const { return std::get<0>(v_); }
  T& value() { return std::get<0>(v_); }
  const GatewayError& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, GatewayError> v_;
};

// ---- responses ----------------------------------------------------------------------

// "alipay.trade.precreate" -> "alipay_trade_precreate_response".
std::string response_node_name(std::string_view method);

// Compact JSON as Alipay writes it: raw UTF-8 and every '/' escaped as "\/". The escape
// is on purpose: a verifier that re-serialises the node instead of using the received
// bytes fails against it, as it would against the real gateway.
std::string alipay_json_text(const sdk::Json& node);

// {"<node_name>":<node text>,"sign":"<RSA2 over exactly the node text>"}; nullopt if
// signing fails.
std::optional<std::string> signed_envelope(std::string_view node_name, const sdk::Json& node,
                                           const rsa::Key& platform_private_key);

// ---- requests -----------------------------------------------------------------------

enum class Method { precreate, query, close, refund, wap_pay, page_pay, app_pay };

std::optional<Method> method_from_name(std::string_view name);
const char* method_name(Method method);
// The methods a server call may use at gateway.do (app.pay never reaches it: the app SDK
// takes the order string).
bool gateway_method(Method method);
bool browser_method(Method method);  // wap.pay and page.pay: a browser arrives

struct RequestCheck {
  std::string app_id;  // the one known merchant app
  std::int64_t now = 0;
  // Requests whose timestamp is further from now are refused. <= 0 skips the window
  // (the cashier checks credentials that may be hours old).
  std::int64_t window_seconds = 600;
  rsa::Key merchant_public_key;
};

// Common parameters and the signature, in Alipay's order: presence, then values, then
// the app id, then the signature over the sorted string (sign_type included). Before the
// signature: only Alipay's common parameter names (among non-empty ones), and no value
// holding "&<one of those names>=", so that the signed string splits back into exactly one
// parameter set.
std::optional<GatewayError> check_request(const Params& params, const RequestCheck& check);

// ^\d{1,9}(\.\d{1,2})?$ within 0.01..100000000 yuan.
std::optional<sdk::Fen> parse_amount(std::string_view text);
// 1-64 of [A-Za-z0-9_].
bool valid_out_trade_no(std::string_view text);

// An absolute http:// or https:// URL with a host and no whitespace, control characters,
// quotes, angle brackets or backslashes: the only return_url a page may link to.
bool is_web_url(std::string_view url);

// biz_content must be a JSON object.
Checked<sdk::Json> parse_biz_content(const Params& params);

// What a paying method (precreate, app/wap/page pay) asks for.
struct PayOrder {
  Method method = Method::precreate;
  std::string out_trade_no;
  sdk::Fen amount = 0;
  std::string subject;
  std::string notify_url;
  std::string return_url;
};

Checked<PayOrder> parse_pay_order(Method method, const Params& params);

// What identifies the trade for query/close/refund: out_trade_no and/or trade_no.
struct TradeKey {
  std::string out_trade_no;
  std::string trade_no;
};
Checked<TradeKey> parse_trade_key(const sdk::Json& biz);

struct RefundOrder {
  TradeKey key;
  sdk::Fen amount = 0;
  std::string out_request_no;  // defaults to out_trade_no/trade_no, as Alipay does
  std::string reason;
};
Checked<RefundOrder> parse_refund(const sdk::Json& biz);

// The Alipay app SDK's order string: "k=v&k=v" with percent-encoded values in any order.
// Split on '&', cut at the first '=', decode key and value exactly once ('+' is a space,
// as PHP's http_build_query writes it). Duplicate keys and bad escapes are refused.
Checked<Params> parse_order_string(std::string_view text);

// The signed fields of a wap/page credential: every key but channel_url, non-string
// scalars written as JSON text.
Checked<Params> params_from_credential(const sdk::Json& credential);

// ---- notifications ------------------------------------------------------------------

struct NotifyTrade {
  std::string notify_id;
  std::int64_t notify_time = 0;
  std::string app_id;
  std::string seller_id;
  std::string trade_no;
  std::string out_trade_no;
  std::string buyer_id;
  std::string buyer_logon_id;
  std::string trade_status;
  sdk::Fen amount = 0;
  sdk::Fen refunded = 0;
  std::string subject;
  std::int64_t gmt_create = 0;
  std::int64_t gmt_payment = 0;
};

// trade_status_sync fields without `sign`, in the order the real gateway sends them.
Fields notification_fields(const NotifyTrade& trade);
// Appends sign_type=RSA2 and sign computed over the notification scope (both excluded).
bool sign_notification(Fields& fields, const rsa::Key& platform_private_key);

enum class Tamper { amount, app_id, signature, unknown_order };
std::optional<Tamper> tamper_from_string(std::string_view text);
// The app id tampered notifications claim to be for.
inline constexpr std::string_view kForeignAppId = "9021000000009999";
// Changes the trade before signing (amount +1 fen, another app id, an unknown order);
// `signature` needs corrupt_signature after signing instead.
void tamper_before_signing(NotifyTrade& trade, Tamper tamper);
// Valid base64 of the same length whose bytes no longer verify.
std::string corrupt_signature(std::string_view signature_b64);

// The browser return (sync) parameters for return_url, signed like a notification.
Fields return_fields(Method method, const NotifyTrade& trade, std::int64_t now);

}  // namespace payhost::sandbox_alipay::alipay
