#include "wechat_plugin.hpp"

#include "notification.hpp"
#include "payhost/sdk/json.hpp"
#include "sandbox_identity.hpp"
#include "signing.hpp"
#include "transaction.hpp"

namespace payhost::wechat {
namespace {

using sdk::ErrorKind;
using sdk::make_error;
using sdk::Outcome;

constexpr std::string_view kUserAgent = "payhost-wechat/1.0";
constexpr std::string_view kOrderNotExist = "ORDER_NOT_EXIST";
constexpr std::string_view kOrderPaid = "ORDERPAID";
// A trade WeChat does not know this long after its time_expire can no longer be opened or
// paid: the margin covers the clocks of payhost and WeChat disagreeing.
constexpr std::int64_t kNotExistMarginSeconds = 300;

sdk::Error not_started() {
  return make_error(ErrorKind::internal, "not_started", "the wechat plugin was not started");
}

// "https://host:port/base/path" -> "/base/path" ("" when the URL has no path).
std::string url_path(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  const auto slash = url.find('/', scheme + 3);
  return slash == std::string_view::npos ? std::string() : std::string(url.substr(slash));
}

std::string string_field(const sdk::Json& node, const char* name) {
  if (!node.is_object()) return {};
  const auto it = node.find(name);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A value WeChat hands back for the client: printable ASCII, bounded, with a known prefix.
bool is_plain_value(std::string_view s, std::size_t max, std::string_view prefix = {}) {
  if (s.empty() || s.size() > max || !s.starts_with(prefix)) return false;
  for (const char c : s) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

sdk::Error unknown_outcome(std::string code, std::string message) {
  return make_error(ErrorKind::unavailable, std::move(code), std::move(message));
}

}  // namespace

std::vector<sdk::OptionSpec> WechatPlugin::option_specs() const {
  return wechat::option_specs();
}

std::vector<sdk::ChannelSpec> WechatPlugin::channel_specs() const {
  return wechat::channel_specs();
}

sdk::Capabilities WechatPlugin::capabilities() const {
  sdk::Capabilities c;
  c.close = true;
  c.refund = true;
  c.partial_refund = true;
  c.refund_query = true;
  return c;
}

std::string WechatPlugin::merchant_app_id() const {
  return {};
}

sdk::Status WechatPlugin::do_validate(const sdk::Options& options) const {
  return check_options(options);
}

sdk::Status WechatPlugin::do_start(const sdk::Options& options, sdk::Host& host) {
  host_ = &host;
  StartContext context;
  context.livemode = host.livemode();
  // Live mode asks too, so that a deployer who copied the sandbox keys is stopped (the host
  // answers no in live mode, and refuses recorded sandbox keys itself before start). Test
  // mode asks only when something is missing: the host generates a pair on first use.
  const bool platform_configured = !options.get_list("platform_certificates").empty() ||
                                   !options.get_string("wechatpay_public_key").empty();
  const bool want_sandbox = context.livemode ||
                            options.get_string("merchant_private_key").empty() ||
                            options.get_string("api_v3_key").empty() || !platform_configured;
  if (want_sandbox) {
    if (auto pair = host.sandbox_keypair(kSandboxMerchantKeyPair)) {
      context.sandbox_merchant = std::move(*pair);
    }
    if (auto pair = host.sandbox_keypair(kSandboxPlatformKeyPair)) {
      context.sandbox_platform = std::move(*pair);
    }
  }
  auto settings = resolve_settings(options, context);
  if (!settings) return settings.error();
  settings_ = std::move(*settings);

  std::string line = std::string("wechat: ") + (settings_->livemode ? "live" : "test") +
                     " mode, mchid " + settings_->mchid + ", API " +
                     (settings_->api_base.empty() ? "<public_url>" + std::string(kSandboxApiPath)
                                                  : settings_->api_base) +
                     ", " + std::to_string(settings_->platform_keys.size()) + " platform key id(s)";
  if (!settings_->from_sandbox.empty()) {
    line += "; from the sandbox:";
    for (const auto& name : settings_->from_sandbox)
      line += " " + name;
  }
  host.logger().info(line);
  for (const auto& serial : settings_->expired_certificates) {
    host.logger().warn("wechat: platform certificate " + serial +
                       " has expired; WeChat Pay no longer signs with it");
  }
  return {};
}

std::string WechatPlugin::api_base() const {
  if (!settings_->api_base.empty()) return settings_->api_base;
  // public_url is only known once the host has bound its port, so ask per request.
  std::string base = host_->public_url();
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base + std::string(kSandboxApiPath);
}

const std::string& WechatPlugin::app_id_for(AppKind kind) const {
  switch (kind) {
    case AppKind::pub:
      return settings_->pub_app_id;
    case AppKind::lite:
      return settings_->lite_app_id;
    case AppKind::app:
      break;
  }
  return settings_->app_id;
}

sdk::Result<WechatPlugin::Answer> WechatPlugin::call(std::string_view method,
                                                     const std::string& path_and_query,
                                                     const std::string& body) const {
  const std::string base = api_base();
  const std::int64_t timestamp = host_->clock().now();
  const std::string nonce = make_nonce();
  // WeChat checks the signature over the path it received, the base's own path included.
  const std::string signed_path = url_path(base) + path_and_query;
  auto signature = sign_base64(settings_->merchant_key,
                               request_message(method, signed_path, timestamp, nonce, body));
  if (!signature) {
    return make_error(ErrorKind::internal, "sign_failed",
                      std::string(method) + " " + path_and_query +
                          ": signing failed: " + signature.error().message);
  }

  sdk::OutboundRequest request;
  request.method = std::string(method);
  request.url = base + path_and_query;
  request.headers.set("Authorization",
                      authorization_header(settings_->mchid, nonce, timestamp,
                                           settings_->merchant_serial_no, *signature));
  request.headers.set("Accept", "application/json");
  if (!body.empty()) request.headers.set("Content-Type", "application/json");
  request.headers.set("User-Agent", std::string(kUserAgent));
  request.body = body;
  request.timeout = settings_->timeout;
  request.connect_timeout = settings_->connect_timeout;

  auto response = host_->http().send(request);
  if (!response) {
    sdk::Error e = response.error();
    e.kind = ErrorKind::unavailable;  // a timeout says nothing about the trade
    host_->logger().warn("wechat: " + std::string(method) + " " + path_and_query +
                         ": no answer: " + e.message);
    return e;
  }
  Answer answer;
  answer.status = response->status;
  const auto verified = verify_signed_message(settings_->platform_keys, response->headers,
                                              response->body, host_->clock().now());
  answer.verified = verified.ok();
  if (!verified) answer.unverified_reason = verified.error().code + ": " + verified.error().message;
  if (!response->body.empty()) {
    sdk::Json parsed = sdk::parse_json(response->body);
    if (!parsed.is_discarded()) answer.body = std::move(parsed);
  }
  if (!answer.success()) {
    answer.code = short_text(string_field(answer.body, "code"));
    answer.message = short_text(string_field(answer.body, "message"));
  }
  if (!answer.verified || !answer.success()) {
    host_->logger().warn(
        "wechat: " + std::string(method) + " " + path_and_query + " -> HTTP " +
        std::to_string(answer.status) + (answer.code.empty() ? "" : " " + answer.code) +
        (answer.verified ? "" : " (unverified: " + answer.unverified_reason + ")"));
  }
  return answer;
}

sdk::Error WechatPlugin::answer_error(std::string_view what, const Answer& answer) const {
  const std::string status = std::to_string(answer.status);
  if (answer.success() && !answer.verified) {
    return unknown_outcome("unverified_answer", std::string(what) +
                                                    ": the answer's signature did not verify (" +
                                                    answer.unverified_reason + ")");
  }
  if (answer.status >= 400 && answer.status < 500 && answer.status != 429) {
    // WeChat refused the request; nothing happened to the trade. An unverified refusal
    // is reported the same way: acting on it moves no money.
    std::string message = std::string(what) + " refused: HTTP " + status;
    if (!answer.code.empty()) message += " " + answer.code;
    if (!answer.message.empty()) message += " (" + answer.message + ")";
    if (!answer.verified) message += " [unverified]";
    return make_error(ErrorKind::channel,
                      answer.code.empty() ? "wechat_http_" + status : answer.code,
                      std::move(message));
  }
  std::string message = std::string(what) + ": WeChat Pay answered HTTP " + status;
  if (!answer.code.empty()) message += " " + answer.code;
  return unknown_outcome("wechat_http_" + status, std::move(message));
}

sdk::Result<sdk::CreateResult> WechatPlugin::do_create(const sdk::CreateRequest& request) {
  if (!settings_) return not_started();
  const auto info = channel_info(request.channel);
  if (!info) {
    return make_error(ErrorKind::invalid_request, "unknown_channel",
                      "the wechat plugin does not offer channel " + request.channel, "channel");
  }
  if (auto st = check_create(request, *info); !st) return st.error();
  const std::string& app_id = app_id_for(info->app_kind);
  const std::string notify =
      request.notify_url.empty() ? host_->notify_url("wechat") : request.notify_url;
  const std::string what = "prepay " + std::string(info->trade_type);

  auto answer = call("POST", std::string(info->prepay_path),
                     prepay_body(request, *info, app_id, settings_->mchid, notify));
  if (!answer) return answer.error();
  if (!answer->success() || !answer->verified) return answer_error(what, *answer);

  sdk::CreateResult result;
  switch (info->channel) {
    case Channel::app:
    case Channel::pub:
    case Channel::lite: {
      const std::string prepay_id = string_field(answer->body, "prepay_id");
      if (!is_plain_value(prepay_id, 64)) {
        return unknown_outcome("no_prepay_id", what + " succeeded without a usable prepay_id");
      }
      const std::int64_t now = host_->clock().now();
      auto credential =
          info->channel == Channel::app
              ? app_credential(settings_->merchant_key, app_id, settings_->mchid, prepay_id, now,
                               make_nonce())
              : jsapi_credential(settings_->merchant_key, app_id, prepay_id, now, make_nonce());
      if (!credential) {
        return make_error(ErrorKind::internal, "sign_failed",
                          what + ": signing the client parameters failed");
      }
      result.credential = std::move(*credential);
      return result;
    }
    case Channel::h5: {
      const std::string h5_url = string_field(answer->body, "h5_url");
      if (!is_plain_value(h5_url, 2048, "https://")) {
        return unknown_outcome("no_h5_url", what + " succeeded without a usable h5_url");
      }
      // check_create made sure a given result_url is a string.
      const auto it = request.extra.find("result_url");
      const std::string result_url =
          it != request.extra.end() && it->is_string() ? it->get<std::string>() : std::string();
      result.credential = wap_credential(h5_url, result_url);
      return result;
    }
    case Channel::native: {
      const std::string code_url = string_field(answer->body, "code_url");
      if (!is_plain_value(code_url, 512, "weixin://")) {
        return unknown_outcome("no_code_url", what + " succeeded without a usable code_url");
      }
      result.credential = code_url;
      return result;
    }
  }
  return make_error(ErrorKind::internal, "unknown_channel", "unhandled channel");
}

sdk::Result<sdk::TradeStatus> WechatPlugin::do_verify_notification(
    const sdk::HttpRequest& request) {
  if (!settings_) return not_started();
  AppIds ids{settings_->app_id, settings_->pub_app_id, settings_->lite_app_id};
  auto status = read_payment_notification(settings_->platform_keys, settings_->api_v3_key,
                                          settings_->mchid, ids, request, host_->clock().now());
  // No log line here: the host records every refusal (logging repeats sparsely, so whoever
  // can POST cannot fill the log) and logs every settlement.
  return status;
}

sdk::HttpResponse WechatPlugin::do_notification_reply(bool accepted) const {
  // WeChat stops retrying on 200/204 and retries anything else for about 24 hours.
  if (accepted) {
    sdk::HttpResponse r;
    r.status = 200;
    return r;
  }
  return sdk::HttpResponse::text(500, R"({"code":"FAIL","message":"失败"})", "application/json");
}

sdk::Result<sdk::TradeStatus> WechatPlugin::status_from_query(const sdk::TradeRef& trade,
                                                              const Answer& answer) const {
  Owner owner;
  owner.mchid = settings_->mchid;
  if (const auto info = channel_info(trade.channel)) {
    owner.app_ids = {app_id_for(info->app_kind)};
  } else {
    owner.app_ids = {settings_->app_id, settings_->pub_app_id, settings_->lite_app_id};
  }
  auto status = read_transaction(answer.body, owner);
  if (!status) {
    // A verified answer we cannot use: the outcome stays unknown.
    sdk::Error e = status.error();
    e.kind = ErrorKind::unavailable;
    e.message = "query: " + e.message;
    return e;
  }
  if (status->order_no != trade.order_no) {
    return unknown_outcome("order_mismatch", "query: the answer is about out_trade_no " +
                                                 short_text(status->order_no));
  }
  return status;
}

sdk::Result<sdk::TradeStatus> WechatPlugin::do_query(const sdk::TradeRef& trade) {
  if (!settings_) return not_started();
  if (!is_valid_out_trade_no(trade.order_no)) {
    return make_error(ErrorKind::invalid_request, "invalid_order_no",
                      "not a WeChat Pay out_trade_no", "order_no");
  }
  auto answer = call("GET", query_path(trade.order_no, settings_->mchid), {});
  if (!answer) return answer.error();
  if (answer->success() && answer->verified) return status_from_query(trade, *answer);
  if (answer->verified_error(kOrderNotExist)) {
    // WeChat may not know a trade it has just opened yet, and never knows one whose prepay
    // call was lost. Once time_expire has passed, nobody can open it any more: closed.
    sdk::TradeStatus status;
    status.order_no = trade.order_no;
    const std::int64_t now = host_->clock().now();
    if (trade.time_expire > 0 && now >= trade.time_expire + kNotExistMarginSeconds) {
      status.outcome = Outcome::closed;
      status.failure_code = std::string(kOrderNotExist);
      status.failure_msg = "WeChat Pay has no such trade and its time_expire has passed";
    } else {
      status.outcome = Outcome::pending;
    }
    return status;
  }
  return answer_error("query", *answer);
}

sdk::Result<sdk::TradeStatus> WechatPlugin::do_close(const sdk::TradeRef& trade) {
  if (!settings_) return not_started();
  if (!is_valid_out_trade_no(trade.order_no)) {
    return make_error(ErrorKind::invalid_request, "invalid_order_no",
                      "not a WeChat Pay out_trade_no", "order_no");
  }
  auto answer = call("POST", close_path(trade.order_no), close_body(settings_->mchid));
  if (!answer) return answer.error();
  // 204 for a closed trade; not existing means nothing can be paid either (the prepay
  // carried time_expire, and a trade that was never opened has no credential anywhere).
  if ((answer->success() && answer->verified) || answer->verified_error(kOrderNotExist)) {
    sdk::TradeStatus status;
    status.outcome = Outcome::closed;
    status.order_no = trade.order_no;
    return status;
  }
  if (answer->verified_error(kOrderPaid)) {
    // Paid before it could be closed: report what it really is, so the host settles it.
    return do_query(trade);
  }
  return answer_error("close", *answer);
}

sdk::Result<sdk::RefundResult> WechatPlugin::refund_from_answer(std::string_view what,
                                                                const sdk::RefundRequest& request,
                                                                const Answer& answer) const {
  auto result = read_refund(answer.body, request.refund_no);
  if (!result) {
    sdk::Error e = result.error();
    e.kind = ErrorKind::unavailable;
    e.message = std::string(what) + ": " + e.message;
    return e;
  }
  const std::string out_trade_no = string_field(answer.body, "out_trade_no");
  if (!out_trade_no.empty() && out_trade_no != request.trade.order_no) {
    return unknown_outcome(
        "order_mismatch",
        std::string(what) + ": the refund belongs to out_trade_no " + short_text(out_trade_no));
  }
  return result;
}

sdk::Result<sdk::RefundResult> WechatPlugin::do_refund(const sdk::RefundRequest& request) {
  if (!settings_) return not_started();
  if (auto st = check_refund(request); !st) return st.error();
  auto answer = call("POST", std::string(kRefundPath), refund_body(request));
  if (!answer) return answer.error();
  if (answer->success() && answer->verified) return refund_from_answer("refund", request, *answer);
  return answer_error("refund", *answer);
}

sdk::Result<sdk::RefundResult> WechatPlugin::do_query_refund(const sdk::RefundRequest& request) {
  if (!settings_) return not_started();
  if (!is_valid_out_refund_no(request.refund_no)) {
    return make_error(ErrorKind::invalid_request, "invalid_refund_no",
                      "not a WeChat Pay out_refund_no", "refund_no");
  }
  auto answer = call("GET", refund_query_path(request.refund_no), {});
  if (!answer) return answer.error();
  if (answer->success() && answer->verified) {
    return refund_from_answer("refund query", request, *answer);
  }
  if (answer->verified && answer->status == 404) {
    // Never received (or not under this merchant): refund() again with the same refund_no.
    return make_error(ErrorKind::not_found, "refund_not_found",
                      "WeChat Pay has no refund " + request.refund_no + " (" + answer->code + ")",
                      "refund_no");
  }
  return answer_error("refund query", *answer);
}

}  // namespace payhost::wechat
