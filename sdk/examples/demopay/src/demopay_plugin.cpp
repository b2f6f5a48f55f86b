#include "demopay_plugin.hpp"

#include <algorithm>

#include <payhost/sdk/crypto.hpp>
#include <payhost/sdk/encoding.hpp>

#include "protocol.hpp"

namespace demopay {

using sdk::ErrorKind;
using sdk::Json;
using sdk::make_error;
using sdk::Outcome;

namespace {

constexpr const char* kLiveApiBase = "https://api.demopay.example";
constexpr const char* kSandboxPath = "/sandbox/demopay";

sdk::Error not_started() {
  return make_error(ErrorKind::internal, "not_started", "the demopay plugin has not started");
}

sdk::Error unknown(std::string code, std::string message) {
  return make_error(ErrorKind::unavailable, std::move(code), std::move(message));
}

// DemoPay's order and refund numbers: 1-64 of [A-Za-z0-9_-]. Checked before they go into a
// URL path or a signed string.
bool is_reference(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c == '-';
  });
}

std::string text(const Json& object, const char* name) {
  if (!object.is_object()) return {};
  const auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::int64_t integer_member(const Json& object, const char* name, std::int64_t absent = -1) {
  if (!object.is_object()) return absent;
  const auto it = object.find(name);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : absent;
}

}  // namespace

std::vector<sdk::OptionSpec> DemoPayPlugin::option_specs() const {
  using namespace sdk::option;
  return {
      string("merchant_id", "DemoPay merchant id (mch_...), as the DemoPay console shows it.")
          .as_required(),
      string("api_secret",
             "The API secret that signs requests and verifies answers and notifications "
             "(HMAC-SHA256). Give it as api_secret_file or ${ENV} rather than inline.")
          .as_secret()
          .as_required(),
      string("api_base",
             "API base URL. Empty: https://api.demopay.example in live mode, "
             "<public_url>/sandbox/demopay in test mode.")
          .with_default(""),
      integer("timeout_ms", "Timeout of each API call (create, query, close, refund), in ms.")
          .with_default(10000)
          .in_range(100, 120000),
  };
}

std::vector<sdk::ChannelSpec> DemoPayPlugin::channel_specs() const {
  return {{"demopay", "DemoPay in the DemoPay app: {payment_id, pay_url}", 7200, {}, {}},
          {"demopay_qr", "DemoPay QR code: the qr_code text to show", 7200, {}, {}}};
}

sdk::Capabilities DemoPayPlugin::capabilities() const {
  sdk::Capabilities c;
  c.close = true;
  c.refund = true;
  c.partial_refund = true;
  c.refund_query = true;
  return c;
}

sdk::Status DemoPayPlugin::do_validate(const sdk::Options& options) const {
  const std::string base = options.get_string("api_base");
  if (!base.empty() && !base.starts_with("https://") && !base.starts_with("http://")) {
    return make_error(ErrorKind::invalid_request, "invalid_option",
                      "api_base: must be an http(s) URL", "api_base");
  }
  return {};
}

sdk::Status DemoPayPlugin::do_start(const sdk::Options& options, sdk::Host& host) {
  host_ = &host;
  merchant_id_ = options.get_string("merchant_id");
  api_secret_ = options.get_string("api_secret");
  api_base_ = options.get_string("api_base");
  timeout_ = std::chrono::milliseconds(options.get_int("timeout_ms", 10000));
  if (api_base_.empty())
    api_base_ = host.livemode() ? kLiveApiBase : host.public_url() + kSandboxPath;
  if (host.livemode() && !api_base_.starts_with("https://")) {
    return make_error(ErrorKind::invalid_request, "invalid_option",
                      "api_base: live mode requires https", "api_base");
  }
  while (api_base_.ends_with('/'))
    api_base_.pop_back();
  host.logger().info("demopay: " + std::string(host.livemode() ? "live" : "test") +
                     " mode, merchant " + merchant_id_ + ", API " + api_base_);
  return {};
}

sdk::Result<DemoPayPlugin::Answer> DemoPayPlugin::call(const std::string& method,
                                                       const std::string& path, const Json& body) {
  sdk::OutboundRequest request;
  request.method = method;
  request.url = api_base_ + path;
  request.body = body.is_null() ? std::string() : sdk::json_dump(body);
  request.timeout = timeout_;
  const auto scheme = request.url.find("://");
  const auto slash = request.url.find('/', scheme + 3);
  const std::string signed_path = slash == std::string::npos ? "/" : request.url.substr(slash);
  request.headers.add("Authorization", authorization(merchant_id_, api_secret_, method, signed_path,
                                                     host_->clock().now(),
                                                     sdk::crypto::random_alnum(16), request.body));
  request.headers.add("Content-Type", "application/json");
  request.headers.add("Accept", "application/json");

  auto response = host_->http().send(request);
  if (!response) {
    sdk::Error e = response.error();
    e.kind = ErrorKind::unavailable;  // a timeout says nothing about the trade
    host_->logger().warn("demopay: " + method + " " + path + ": no answer: " + e.message);
    return e;
  }
  const std::string where = method + " " + path;
  if (response->status >= 500 || response->status == 429) {
    host_->logger().warn("demopay: " + where + ": HTTP " + std::to_string(response->status));
    return unknown("demopay_http_" + std::to_string(response->status),
                   where + ": DemoPay answered HTTP " + std::to_string(response->status));
  }
  const auto signature = response->headers.get("X-Demopay-Signature");
  if (!signature) return unknown("unverified_answer", where + ": the answer is not signed");
  if (auto ok = verify_signature(api_secret_, *signature, response->body, host_->clock().now());
      !ok) {
    host_->logger().warn("demopay: " + where + ": " + ok.error().message);
    return unknown("unverified_answer", where + ": " + ok.error().message);
  }
  Answer answer;
  answer.status = response->status;
  answer.body = sdk::parse_json(response->body);
  if (answer.body.is_discarded() || !answer.body.is_object()) {
    return unknown("malformed_answer", where + ": the answer is not a JSON object");
  }
  return answer;
}

sdk::Error DemoPayPlugin::refused(const std::string& what, const Answer& answer) const {
  const std::string code = text(answer.body, "error");
  return make_error(ErrorKind::channel, code.empty() ? "demopay_refused" : "demopay_" + code,
                    what + " refused by DemoPay: HTTP " + std::to_string(answer.status) +
                        (code.empty() ? "" : " " + code));
}

sdk::Result<sdk::CreateResult> DemoPayPlugin::do_create(const sdk::CreateRequest& request) {
  if (host_ == nullptr) return not_started();
  if (request.channel != "demopay" && request.channel != "demopay_qr") {
    return make_error(ErrorKind::invalid_request, "unknown_channel",
                      "demopay does not offer " + request.channel, "channel");
  }
  if (!is_reference(request.order_no)) {
    return make_error(ErrorKind::invalid_request, "invalid_order_no",
                      "DemoPay order numbers are 1-64 of [A-Za-z0-9_-]", "order_no");
  }
  if (request.amount <= 0) {
    return make_error(ErrorKind::invalid_request, "invalid_amount", "amount must be positive",
                      "amount");
  }
  const bool qr = request.channel == "demopay_qr";
  const Json body = {{"merchant_id", merchant_id_},      {"order_no", request.order_no},
                     {"amount", request.amount},         {"currency", request.currency},
                     {"subject", request.subject},       {"description", request.body},
                     {"notify_url", request.notify_url}, {"expire_at", request.time_expire},
                     {"method", qr ? "qr" : "app"}};
  auto answer = call("POST", "/v1/payments", body);
  if (!answer) return answer.error();
  if (answer->status != 200) return refused("create", *answer);
  if (text(answer->body, "order_no") != request.order_no) {
    return unknown("order_mismatch", "create: the answer is about another order");
  }
  const std::string payment_id = text(answer->body, "payment_id");
  sdk::CreateResult result;
  if (qr) {
    const std::string qr_code = text(answer->body, "qr_code");
    if (qr_code.empty()) return unknown("no_qr_code", "create: the answer has no qr_code");
    result.credential = qr_code;
  } else {
    const std::string pay_url = text(answer->body, "pay_url");
    if (payment_id.empty() || !pay_url.starts_with("https://")) {
      return unknown("no_pay_url", "create: the answer has no payment_id or https pay_url");
    }
    result.credential = Json{{"payment_id", payment_id}, {"pay_url", pay_url}};
  }
  return result;
}

sdk::Result<sdk::TradeStatus> DemoPayPlugin::do_verify_notification(
    const sdk::HttpRequest& request) {
  if (host_ == nullptr) return not_started();
  if (request.body.size() > kMaxNotificationBytes) {
    return make_error(
        ErrorKind::invalid_request, "body_too_large",
        "a DemoPay notification is at most " + std::to_string(kMaxNotificationBytes) + " bytes");
  }
  const auto signature = request.header("X-Demopay-Signature");
  if (!signature) {
    return make_error(ErrorKind::invalid_request, "bad_signature", "no X-Demopay-Signature");
  }
  if (auto ok = verify_signature(api_secret_, *signature, request.body, host_->clock().now());
      !ok) {
    return ok.error();
  }
  const Json event = sdk::parse_json(request.body);
  const Json data = event.is_object() ? event.value("data", Json()) : Json();
  if (text(event, "type") != "payment.succeeded" || !data.is_object()) {
    return make_error(ErrorKind::invalid_request, "unsupported_event",
                      "not a payment.succeeded event");
  }
  sdk::TradeStatus status;
  status.outcome = Outcome::succeeded;
  status.app_id = text(event, "merchant_id");
  status.order_no = text(data, "order_no");
  status.transaction_no = text(data, "payment_id");
  status.amount = integer_member(data, "amount");
  status.time_paid = integer_member(data, "paid_at", 0);
  if (status.order_no.empty() || status.transaction_no.empty() || status.amount < 0) {
    return make_error(ErrorKind::invalid_request, "malformed_event",
                      "the event lacks order_no, payment_id or amount");
  }
  return status;
}

sdk::HttpResponse DemoPayPlugin::do_notification_reply(bool accepted) const {
  // DemoPay stops on 200 "OK" and retries anything else with backoff for a day.
  return accepted ? sdk::HttpResponse::text(200, "OK") : sdk::HttpResponse::text(400, "RETRY");
}

sdk::Result<sdk::TradeStatus> DemoPayPlugin::trade_status(const sdk::TradeRef& trade,
                                                          const Answer& answer) {
  if (text(answer.body, "order_no") != trade.order_no) {
    return unknown("order_mismatch", "the answer is about another order");
  }
  sdk::TradeStatus status;
  status.order_no = trade.order_no;
  status.app_id = merchant_id_;
  status.transaction_no = text(answer.body, "payment_id");
  const std::string state = text(answer.body, "status");
  if (state == "paid") {
    status.outcome = Outcome::succeeded;
    status.amount = integer_member(answer.body, "amount");
    status.time_paid = integer_member(answer.body, "paid_at", 0);
  } else if (state == "pending") {
    status.outcome = Outcome::pending;
  } else if (state == "closed") {
    status.outcome = Outcome::closed;
  } else if (state == "failed") {
    status.outcome = Outcome::failed;
    status.failure_code = "demopay_failed";
    status.failure_msg = "DemoPay says the payment failed";
  } else {
    return unknown("unknown_status", "DemoPay answered status \"" + state.substr(0, 32) + "\"");
  }
  return status;
}

sdk::Result<sdk::TradeStatus> DemoPayPlugin::do_query(const sdk::TradeRef& trade) {
  if (host_ == nullptr) return not_started();
  if (!is_reference(trade.order_no)) {
    return make_error(ErrorKind::invalid_request, "invalid_order_no", "bad order_no", "order_no");
  }
  auto answer = call("GET", "/v1/payments/" + trade.order_no, Json());
  if (!answer) return answer.error();
  if (answer->status == 404) {
    sdk::TradeStatus status;  // created at DemoPay by create(); not there yet is not paid
    status.order_no = trade.order_no;
    status.outcome = Outcome::pending;
    return status;
  }
  if (answer->status != 200) return refused("query", *answer);
  return trade_status(trade, *answer);
}

sdk::Result<sdk::TradeStatus> DemoPayPlugin::do_close(const sdk::TradeRef& trade) {
  if (host_ == nullptr) return not_started();
  if (!is_reference(trade.order_no)) {
    return make_error(ErrorKind::invalid_request, "invalid_order_no", "bad order_no", "order_no");
  }
  auto answer = call("POST", "/v1/payments/" + trade.order_no + "/close", Json::object());
  if (!answer) return answer.error();
  if (answer->status == 404) {
    sdk::TradeStatus status;  // never created: nothing can pay it
    status.order_no = trade.order_no;
    status.outcome = Outcome::closed;
    return status;
  }
  if (answer->status != 200) return refused("close", *answer);
  return trade_status(trade, *answer);
}

sdk::Result<sdk::RefundResult> DemoPayPlugin::refund_result(const sdk::RefundRequest& request,
                                                            const Answer& answer) {
  if (text(answer.body, "refund_no") != request.refund_no) {
    return unknown("refund_mismatch", "the answer is about another refund");
  }
  sdk::RefundResult result;
  result.provider_refund_no = text(answer.body, "refund_id");
  const std::string state = text(answer.body, "status");
  if (state == "succeeded") {
    result.outcome = Outcome::succeeded;
  } else if (state == "pending") {
    result.outcome = Outcome::pending;
  } else if (state == "failed") {
    result.outcome = Outcome::failed;
    result.failure_code = "demopay_refund_failed";
    result.failure_msg = text(answer.body, "reason").substr(0, 128);
  } else {
    return unknown("unknown_status",
                   "DemoPay answered refund status \"" + state.substr(0, 32) + "\"");
  }
  return result;
}

sdk::Result<sdk::RefundResult> DemoPayPlugin::do_refund(const sdk::RefundRequest& request) {
  if (host_ == nullptr) return not_started();
  if (!is_reference(request.refund_no) || !is_reference(request.trade.order_no)) {
    return make_error(ErrorKind::invalid_request, "invalid_refund_no",
                      "DemoPay refund and order numbers are 1-64 of [A-Za-z0-9_-]", "refund_no");
  }
  const Json body = {{"merchant_id", merchant_id_},
                     {"order_no", request.trade.order_no},
                     {"refund_no", request.refund_no},
                     {"amount", request.amount},
                     {"reason", request.reason}};
  auto answer = call("POST", "/v1/refunds", body);
  if (!answer) return answer.error();
  if (answer->status != 200) return refused("refund", *answer);
  return refund_result(request, *answer);
}

sdk::Result<sdk::RefundResult> DemoPayPlugin::do_query_refund(const sdk::RefundRequest& request) {
  if (host_ == nullptr) return not_started();
  if (!is_reference(request.refund_no)) {
    return make_error(ErrorKind::invalid_request, "invalid_refund_no", "bad refund_no",
                      "refund_no");
  }
  auto answer = call("GET", "/v1/refunds/" + request.refund_no, Json());
  if (!answer) return answer.error();
  if (answer->status == 404) {
    return make_error(ErrorKind::not_found, "refund_not_found",
                      "DemoPay has no refund " + request.refund_no, "refund_no");
  }
  if (answer->status != 200) return refused("refund query", *answer);
  return refund_result(request, *answer);
}

}  // namespace demopay
