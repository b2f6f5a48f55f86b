#include "unionpay_plugin.hpp"

#include "beijing_time.hpp"
#include "requests.hpp"
#include "signing.hpp"
#include "trade.hpp"

namespace payhost::unionpay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

constexpr std::string_view kUserAgent = "payhost-unionpay/1.0";
constexpr std::string_view kFormContentType = "application/x-www-form-urlencoded; charset=UTF-8";
// A tn is 21 digits today; anything else digits-only and bounded is passed on.
constexpr std::size_t kMaxTn = 64;

sdk::Error not_started() {
  return make_error(ErrorKind::internal, "not_started", "the unionpay plugin was not started");
}

sdk::Error unknown_outcome(std::string code, std::string message) {
  return make_error(ErrorKind::unavailable, std::move(code), std::move(message));
}

bool is_digits(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (const char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

std::vector<sdk::OptionSpec> UnionpayPlugin::option_specs() const {
  return unionpay::option_specs();
}

std::vector<sdk::ChannelSpec> UnionpayPlugin::channel_specs() const {
  return unionpay::channel_specs();
}

sdk::Capabilities UnionpayPlugin::capabilities() const {
  sdk::Capabilities c;
  c.close = false;
  c.refund = true;
  c.partial_refund = true;
  c.refund_query = true;
  return c;
}

std::string UnionpayPlugin::merchant_app_id() const {
  return {};
}

sdk::Status UnionpayPlugin::do_validate(const sdk::Options& options) const {
  return check_options(options);
}

sdk::Status UnionpayPlugin::do_start(const sdk::Options& options, sdk::Host& host) {
  host_ = &host;
  StartContext context;
  context.livemode = host.livemode();
  context.data_dir = host.data_dir();
  context.enabled_channels = host.charges().enabled_channels();
  auto settings = resolve_settings(options, context);
  if (!settings) return settings.error();
  settings_ = std::move(*settings);
  material_ = settings_->material;

  std::string line =
      std::string("unionpay: ") + (settings_->livemode ? "live" : "test") + " mode, merId " +
      settings_->mer_id + ", gateway " +
      (settings_->gateway_base.empty() ? "<public_url>" + std::string(kSandboxGatewayPath)
                                       : settings_->gateway_base);
  if (material_) {
    line += ", certId " + material_->signer.cert_id + " (" + material_->signer.subject_cn + ")";
  } else {
    line += ", test-mode certificates not written yet (loaded on first use)";
  }
  if (!settings_->from_sandbox.empty()) {
    line += "; from the sandbox:";
    for (const auto& name : settings_->from_sandbox)
      line += " " + name;
  }
  host.logger().info(line);
  if (material_ && material_->signer.not_after < host.clock().now()) {
    host.logger().warn("unionpay: the merchant signing certificate (certId " +
                       material_->signer.cert_id + ") has expired; UnionPay may refuse requests");
  }
  return {};
}

sdk::Result<std::shared_ptr<const Material>> UnionpayPlugin::material() const {
  std::lock_guard lock(material_mutex_);
  if (material_) return material_;
  auto loaded = load_material(settings_->source);
  if (!loaded) return loaded.error();
  material_ = std::move(*loaded);
  host_->logger().info("unionpay: loaded the sandbox certificates, certId " +
                       material_->signer.cert_id);
  return material_;
}

std::string UnionpayPlugin::gateway_base() const {
  if (!settings_->gateway_base.empty()) return settings_->gateway_base;
  // public_url is only known once the host has bound its port, so ask per request.
  std::string base = host_->public_url();
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base + std::string(kSandboxGatewayPath);
}

std::string UnionpayPlugin::back_url(const std::string& request_notify_url) const {
  if (!settings_->notify_url.empty()) return settings_->notify_url;
  return request_notify_url.empty() ? host_->notify_url("unionpay") : request_notify_url;
}

sdk::Status UnionpayPlugin::verify(const Fields& fields, const Material& m) const {
  auto key = m.trust.signer_key(field_or_empty(fields, kSignerCertField), host_->clock().now());
  if (!key) return key.error();
  return verify_signature(fields, *key);
}

sdk::Result<Fields> UnionpayPlugin::call(std::string_view path, Fields fields,
                                         std::string_view what) const {
  auto m = material();
  if (!m) return m.error();
  auto signed_fields = sign_request(std::move(fields), (*m)->signer.key, (*m)->signer.cert_id);
  if (!signed_fields) {
    return make_error(ErrorKind::internal, "sign_failed",
                      std::string(what) + ": signing failed: " + signed_fields.error().message);
  }
  sdk::OutboundRequest request;
  request.method = "POST";
  request.url = gateway_base() + std::string(path);
  request.headers.set("Content-Type", std::string(kFormContentType));
  request.headers.set("User-Agent", std::string(kUserAgent));
  request.body = form_body(*signed_fields);
  request.timeout = settings_->timeout;
  request.connect_timeout = settings_->connect_timeout;

  auto response = host_->http().send(request);
  if (!response) {
    sdk::Error e = response.error();
    e.kind = ErrorKind::unavailable;  // a timeout says nothing about the trade
    e.message = std::string(what) + ": no answer: " + e.message;
    host_->logger().warn("unionpay: " + e.message);
    return e;
  }
  if (response->status != 200) {
    auto e = unknown_outcome(
        "unionpay_http_" + std::to_string(response->status),
        std::string(what) + ": UnionPay answered HTTP " + std::to_string(response->status));
    host_->logger().warn("unionpay: " + e.message);
    return e;
  }
  auto answer = parse_sync_answer(response->body);
  sdk::Status checked = answer ? verify(*answer, **m) : sdk::Status(answer.error());
  if (!checked) {
    auto e = unknown_outcome(
        checked.error().code,
        std::string(what) + ": the answer cannot be trusted: " + checked.error().message);
    host_->logger().warn("unionpay: " + e.message);
    return e;
  }
  const std::string code = field_or_empty(*answer, "respCode");
  if (code != kRespSuccess) {
    host_->logger().info("unionpay: " + std::string(what) + " -> respCode " + short_text(code) +
                         " (" + short_text(field_or_empty(*answer, "respMsg")) + ")");
  }
  return answer;
}

sdk::Result<sdk::CreateResult> UnionpayPlugin::do_create(const sdk::CreateRequest& request) {
  if (!settings_) return not_started();
  const auto info = channel_info(request.channel);
  if (!info) {
    return make_error(ErrorKind::invalid_request, "unknown_channel",
                      "the unionpay plugin does not offer channel " + request.channel, "channel");
  }
  if (auto st = check_create(request, *info); !st) return st.error();
  if (info->channel == Channel::applepay && settings_->apple_merchant_id.empty()) {
    return make_error(ErrorKind::invalid_request, "invalid_option",
                      "apple_merchant_id: required for applepay_upacp", "apple_merchant_id");
  }
  const Merchant merchant{settings_->mer_id, back_url(request.notify_url)};
  Fields fields = consume_fields(request, *info, merchant);
  sdk::CreateResult result;

  if (info->browser_form) {
    // The client posts these fields to frontTransReq.do itself: nothing is sent from here.
    auto m = material();
    if (!m) return m.error();
    auto signed_fields = sign_request(std::move(fields), (*m)->signer.key, (*m)->signer.cert_id);
    if (!signed_fields) {
      return make_error(ErrorKind::internal, "sign_failed",
                        "frontTransReq: signing failed: " + signed_fields.error().message);
    }
    result.credential = form_credential(*signed_fields, gateway_base() + std::string(kFrontPath));
    return result;
  }

  auto answer = call(kAppPath, std::move(fields), "appTransReq");
  if (!answer) return answer.error();
  const std::string code = field_or_empty(*answer, "respCode");
  const std::string message = short_text(field_or_empty(*answer, "respMsg"));
  if (is_in_progress(code)) {
    return unknown_outcome("unionpay_" + code,
                           "appTransReq: respCode " + code + " (" + message + "): outcome unknown");
  }
  if (code != kRespSuccess) {
    return make_error(
        ErrorKind::channel, "unionpay_" + (code.empty() ? "no_code" : short_text(code)),
        "appTransReq refused by UnionPay: respCode " + short_text(code) + " (" + message + ")");
  }
  const auto mer_id = field(*answer, "merId");
  const auto order_id = field(*answer, "orderId");
  if ((mer_id && *mer_id != settings_->mer_id) || (order_id && *order_id != request.order_no)) {
    return unknown_outcome("order_mismatch",
                           "appTransReq: the answer is about another merchant or order");
  }
  const std::string tn = field_or_empty(*answer, "tn");
  if (!is_digits(tn, kMaxTn)) {
    return unknown_outcome("no_tn", "appTransReq succeeded without a usable tn");
  }
  result.credential =
      app_credential(tn, settings_->livemode,
                     info->channel == Channel::applepay ? settings_->apple_merchant_id : "");
  return result;
}

sdk::Result<sdk::TradeStatus> UnionpayPlugin::do_verify_notification(
    const sdk::HttpRequest& request) {
  if (!settings_) return not_started();
  // The host records and logs refusals (each repeat counted, not every one logged): a line
  // here would let anyone who can POST fill the log.
  auto refuse = [](const sdk::Error& e) -> sdk::Error { return e; };
  if (request.body.size() > kMaxMessageBytes) {
    return refuse(make_error(
        ErrorKind::invalid_request, "body_too_large",
        "a notification of " + std::to_string(request.body.size()) + " bytes (limit 65536)"));
  }
  auto fields = parse_notification_form(request.body);
  if (!fields) return refuse(fields.error());
  if (auto st = check_notification_envelope(*fields); !st) return refuse(st.error());
  auto m = material();
  if (!m) return refuse(m.error());
  if (auto st = verify(*fields, **m); !st) return refuse(st.error());
  auto status = read_payment_notification(*fields, settings_->mer_id);
  if (!status) return refuse(status.error());
  return status;  // the host logs the settlement; a line here too would double every one
}

sdk::HttpResponse UnionpayPlugin::do_notification_reply(bool accepted) const {
  // UnionPay stops on HTTP 200 and re-sends anything else (at 0, 1, 2, 4 minutes).
  return accepted ? sdk::HttpResponse::text(200, "ok") : sdk::HttpResponse::text(500, "fail");
}

sdk::Result<sdk::TradeStatus> UnionpayPlugin::do_query(const sdk::TradeRef& trade) {
  if (!settings_) return not_started();
  if (!is_valid_order_id(trade.order_no)) {
    return make_error(ErrorKind::invalid_request, "invalid_order_no",
                      "not a UnionPay orderId (8-40 letters and digits)", "order_no");
  }
  if (trade.created <= 0) {
    return make_error(ErrorKind::invalid_request, "invalid_created",
                      "query needs the charge's creation time (its txnTime)", "created");
  }
  // The same txnTime create sent: UnionPay identifies a trade by orderId and txnTime.
  auto answer = call(
      kQueryPath, query_fields(settings_->mer_id, trade.order_no, format_txn_time(trade.created)),
      "queryTrans");
  if (!answer) return answer.error();
  return read_query_answer(*answer, trade, settings_->mer_id, host_->clock().now());
}

sdk::Result<sdk::RefundResult> UnionpayPlugin::do_refund(const sdk::RefundRequest& request) {
  if (!settings_) return not_started();
  if (auto st = check_refund(request); !st) return st.error();
  auto txn_time = refund_txn_time(request.refund_no);
  if (!txn_time) return txn_time.error();
  const Merchant merchant{settings_->mer_id, back_url({})};
  auto answer = call(kBackPath, refund_fields(request, *txn_time, merchant), "refund");
  if (!answer) return answer.error();
  return read_refund_answer(*answer, request, settings_->mer_id);
}

sdk::Result<sdk::RefundResult> UnionpayPlugin::do_query_refund(const sdk::RefundRequest& request) {
  if (!settings_) return not_started();
  auto txn_time = refund_txn_time(request.refund_no);
  if (!txn_time) return txn_time.error();
  auto answer = call(kQueryPath, query_fields(settings_->mer_id, request.refund_no, *txn_time),
                     "refund query");
  if (!answer) return answer.error();
  return read_refund_query(*answer, request, settings_->mer_id);
}

}  // namespace payhost::unionpay
