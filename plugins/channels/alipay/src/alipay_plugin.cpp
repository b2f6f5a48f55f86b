#include "alipay_plugin.hpp"

#include "beijing_time.hpp"
#include "payhost/sdk/money.hpp"

namespace payhost::alipay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;
using sdk::Outcome;

constexpr std::string_view kPluginName = "alipay";
constexpr std::string_view kTradeNotExist = "ACQ.TRADE_NOT_EXIST";
constexpr std::string_view kTradeStatusError = "ACQ.TRADE_STATUS_ERROR";

sdk::Error not_started() {
  return make_error(ErrorKind::internal, "not_started", "the alipay plugin was not started");
}

std::string string_field(const sdk::Json& node, const char* name) {
  if (!node.is_object()) return {};
  const auto it = node.find(name);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A string from charge.extra; absent is fine, any other type is the caller's mistake.
sdk::Result<std::string> extra_string(const sdk::Json& extra, const char* name) {
  if (!extra.is_object()) return std::string();
  const auto it = extra.find(name);
  if (it == extra.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return make_error(ErrorKind::invalid_request, "invalid_extra",
                      std::string("extra.") + name + " must be a string",
                      std::string("extra.") + name);
  }
  return it->get<std::string>();
}

std::string get(const std::map<std::string, std::string>& m, const char* name) {
  const auto it = m.find(name);
  return it == m.end() ? std::string() : it->second;
}

// Retrying the same request is safe and Alipay says the outcome is not known yet.
bool is_transient(std::string_view code, std::string_view sub_code) {
  return code == "20000" || sub_code == "ACQ.SYSTEM_ERROR" || sub_code == "isp.unknow-error" ||
         sub_code == "aop.unknow-error";
}

}  // namespace

Outcome outcome_from_trade_status(std::string_view trade_status) {
  if (trade_status == "TRADE_SUCCESS" || trade_status == "TRADE_FINISHED") {
    return Outcome::succeeded;
  }
  if (trade_status == "TRADE_CLOSED") return Outcome::closed;
  if (trade_status == "WAIT_BUYER_PAY") return Outcome::pending;
  return Outcome::unknown;
}

std::string AlipayPlugin::Answer::field(const char* name) const {
  return string_field(node, name);
}

std::vector<sdk::OptionSpec> AlipayPlugin::option_specs() const {
  return alipay::option_specs();
}

std::vector<sdk::ChannelSpec> AlipayPlugin::channel_specs() const {
  std::vector<sdk::ChannelSpec> specs(4);
  specs[0].name = "alipay";
  specs[0].description = "Alipay in-app payment (alipay.trade.app.pay): a signed order string";
  specs[1].name = "alipay_wap";
  specs[1].description = "Alipay mobile web payment (alipay.trade.wap.pay)";
  specs[1].required_extra = {"success_url"};
  specs[1].optional_extra = {"cancel_url"};
  specs[2].name = "alipay_pc_direct";
  specs[2].description = "Alipay desktop web payment (alipay.trade.page.pay)";
  specs[2].required_extra = {"success_url"};
  specs[3].name = "alipay_qr";
  specs[3].description = "Alipay QR code payment (alipay.trade.precreate)";
  for (auto& s : specs)
    s.default_expiry_seconds = 86400;  // Ping++'s default for Alipay
  return specs;
}

sdk::Capabilities AlipayPlugin::capabilities() const {
  sdk::Capabilities c;
  c.close = true;
  c.refund = true;
  c.partial_refund = true;
  return c;
}

std::string AlipayPlugin::merchant_app_id() const {
  return settings_ ? settings_->app_id : std::string();
}

sdk::Status AlipayPlugin::do_start(const sdk::Options& options, sdk::Host& host) {
  host_ = &host;
  StartContext context;
  context.livemode = host.livemode();
  // Live mode asks too, so that a deployer who copied the sandbox keys is stopped. (The
  // host answers no in live mode; it refuses recorded sandbox keys itself before start.)
  const bool want_sandbox = context.livemode || options.get_string("app_private_key").empty() ||
                            options.get_string("alipay_public_key").empty();
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
  host.logger().info(std::string("alipay: ") + (settings_->livemode ? "live" : "test") +
                     " mode, app_id " + settings_->app_id + ", gateway " +
                     (settings_->gateway_url.empty()
                          ? "<public_url>" + std::string(kSandboxGatewayPath)
                          : settings_->gateway_url) +
                     (settings_->using_sandbox_keys ? ", sandbox key pairs" : ""));
  return {};
}

std::string AlipayPlugin::gateway_url() const {
  if (!settings_->gateway_url.empty()) return settings_->gateway_url;
  // public_url is only known once the host has bound its port, so ask per request.
  std::string base = host_->public_url();
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  return base + std::string(kSandboxGatewayPath);
}

std::string AlipayPlugin::notify_url(const std::string& from_request) const {
  if (!settings_->notify_url.empty()) return settings_->notify_url;
  if (!from_request.empty()) return from_request;
  return host_->notify_url(kPluginName);
}

std::string AlipayPlugin::timestamp() const {
  return format_beijing(host_->clock().now());
}

sdk::Result<Params> AlipayPlugin::signed_params(std::string_view method, std::string biz_content,
                                                const std::string& notify,
                                                const std::string& return_to) const {
  SystemParams p;
  p.app_id = settings_->app_id;
  p.method = std::string(method);
  p.timestamp = timestamp();
  p.notify_url = notify;
  p.return_url = return_to;
  p.biz_content = std::move(biz_content);
  auto signed_request = sign_request(settings_->app_private_key, system_params(p));
  if (!signed_request) {
    return make_error(ErrorKind::internal, "sign_failed",
                      std::string(method) + ": signing failed: " + signed_request.error().message);
  }
  return signed_request;
}

sdk::Result<AlipayPlugin::Answer> AlipayPlugin::call(std::string_view method,
                                                     std::string biz_content,
                                                     const std::string& notify) const {
  auto params = signed_params(method, std::move(biz_content), notify, {});
  if (!params) return params.error();

  sdk::OutboundRequest request;
  request.method = "POST";
  request.url = gateway_url();
  request.headers.set("Content-Type", "application/x-www-form-urlencoded;charset=utf-8");
  request.headers.set("Accept", "application/json");
  request.body = order_string(*params);
  request.timeout = settings_->timeout;

  auto response = host_->http().send(request);
  if (!response) {
    sdk::Error e = response.error();
    e.kind = ErrorKind::unavailable;  // a timeout says nothing about the trade
    host_->logger().warn(std::string(method) + ": no answer from Alipay: " + e.message);
    return e;
  }
  if (response->status != 200) {
    host_->logger().warn(std::string(method) + ": Alipay answered HTTP " +
                         std::to_string(response->status));
    return make_error(
        ErrorKind::unavailable, "http_status",
        std::string(method) + ": Alipay answered HTTP " + std::to_string(response->status));
  }
  auto verified = verify_response(response->body, method, settings_->alipay_public_key);
  if (!verified) {
    host_->logger().warn(std::string(method) + ": " + verified.error().message);
    return verified.error();
  }
  Answer answer;
  answer.node = std::move(verified->node);
  answer.code = answer.field("code");
  answer.sub_code = answer.field("sub_code");
  answer.sub_msg = answer.field("sub_msg");
  host_->logger().info(std::string(method) + ": code " + answer.code +
                       (answer.sub_code.empty() ? "" : " " + answer.sub_code));
  return answer;
}

sdk::Error AlipayPlugin::business_error(std::string_view method, const Answer& answer) const {
  std::string message = std::string(method) + " refused: code " + answer.code;
  if (!answer.sub_code.empty()) message += " " + answer.sub_code;
  const std::string text = answer.sub_msg.empty() ? answer.field("msg") : answer.sub_msg;
  if (!text.empty()) message += " (" + text + ")";
  const std::string code = answer.sub_code.empty() ? "alipay_" + answer.code : answer.sub_code;
  const ErrorKind kind =
      is_transient(answer.code, answer.sub_code) ? ErrorKind::unavailable : ErrorKind::channel;
  return make_error(kind, code, std::move(message));
}

sdk::Result<sdk::CreateResult> AlipayPlugin::do_create(const sdk::CreateRequest& request) {
  if (!settings_) return not_started();
  const auto info = channel_info(request.channel);
  if (!info) {
    return make_error(ErrorKind::invalid_request, "unknown_channel",
                      "the alipay plugin does not offer channel " + request.channel, "channel");
  }
  if (request.amount <= 0) {
    return make_error(ErrorKind::invalid_request, "invalid_amount", "amount must be positive",
                      "amount");
  }
  const std::string notify = notify_url(request.notify_url);
  sdk::CreateResult result;

  switch (info->channel) {
    case Channel::app: {
      auto params = signed_params(info->method, pay_biz_content(request, *info), notify, {});
      if (!params) return params.error();
      result.credential = app_credential(*params);
      return result;
    }
    case Channel::wap:
    case Channel::page: {
      auto success_url = extra_string(request.extra, "success_url");
      if (!success_url) return success_url.error();
      std::string return_to = success_url->empty() ? settings_->return_url : *success_url;
      if (return_to.empty()) {
        return make_error(ErrorKind::invalid_request, "missing_extra",
                          request.channel + " needs extra.success_url", "extra.success_url");
      }
      std::string quit_url;
      if (info->channel == Channel::wap) {
        auto cancel_url = extra_string(request.extra, "cancel_url");
        if (!cancel_url) return cancel_url.error();
        quit_url = std::move(*cancel_url);
      }
      auto params =
          signed_params(info->method, pay_biz_content(request, *info, quit_url), notify, return_to);
      if (!params) return params.error();
      result.credential = form_credential(*params, gateway_url());
      return result;
    }
    case Channel::qr: {
      auto answer = call(info->method, pay_biz_content(request, *info), notify);
      if (!answer) return answer.error();
      if (!answer->success()) return business_error(info->method, *answer);
      const std::string qr_code = answer->field("qr_code");
      if (qr_code.empty()) {
        return make_error(ErrorKind::channel, "no_qr_code",
                          "alipay.trade.precreate succeeded without a qr_code");
      }
      result.credential = qr_code;
      return result;
    }
  }
  return make_error(ErrorKind::internal, "unknown_channel", "unhandled channel");
}

sdk::Result<sdk::TradeStatus> AlipayPlugin::do_verify_notification(
    const sdk::HttpRequest& request) {
  if (!settings_) return not_started();
  const std::string_view form = request.body.empty() ? request.raw_query : request.body;
  auto params = alipay::verify_notification(form, settings_->alipay_public_key);
  // No log line for a refusal: the host records every one and logs repeats sparsely, so
  // whoever can POST cannot fill the log.
  if (!params) return params.error();
  const std::string seller_id = get(*params, "seller_id");
  if (!settings_->seller_id.empty() && seller_id != settings_->seller_id) {
    host_->logger().warn("alipay notification for seller " + seller_id + ", expected " +
                         settings_->seller_id);
    return make_error(ErrorKind::invalid_request, "seller_mismatch",
                      "notification is for seller " + seller_id, "seller_id");
  }

  sdk::TradeStatus status;
  status.order_no = get(*params, "out_trade_no");
  status.transaction_no = get(*params, "trade_no");
  status.app_id = get(*params, "app_id");
  status.payer_account = get(*params, "buyer_logon_id");
  const std::string trade_status = get(*params, "trade_status");
  status.outcome = outcome_from_trade_status(trade_status);
  if (const std::string total = get(*params, "total_amount"); !total.empty()) {
    const auto amount = sdk::parse_yuan(total);
    if (!amount) {
      return make_error(ErrorKind::invalid_request, "invalid_amount",
                        "notification total_amount is not a yuan amount: " + total, "total_amount");
    }
    status.amount = *amount;
  }
  if (const auto paid = parse_beijing(get(*params, "gmt_payment"))) status.time_paid = *paid;
  return status;  // the host logs the settlement
}

sdk::HttpResponse AlipayPlugin::do_notification_reply(bool accepted) const {
  // Alipay stops retrying only on exactly "success"; anything else is retried for ~25 h.
  return sdk::HttpResponse::text(200, accepted ? "success" : "failure");
}

sdk::Result<sdk::TradeStatus> AlipayPlugin::trade_status_from_query(const sdk::TradeRef& trade,
                                                                    const Answer& answer) const {
  sdk::TradeStatus status;
  const std::string trade_status = answer.field("trade_status");
  status.outcome = outcome_from_trade_status(trade_status);
  status.order_no = answer.field("out_trade_no");
  if (status.order_no.empty()) status.order_no = trade.order_no;
  status.transaction_no = answer.field("trade_no");
  // Query answers carry no app_id; a verified answer to our own signed call is ours.
  status.app_id = settings_->app_id;
  status.payer_account = answer.field("buyer_logon_id");
  if (const std::string total = answer.field("total_amount"); !total.empty()) {
    const auto amount = sdk::parse_yuan(total);
    if (!amount) {
      return make_error(ErrorKind::unavailable, "invalid_amount",
                        "alipay.trade.query total_amount is not a yuan amount: " + total);
    }
    status.amount = *amount;
  }
  if (const auto paid = parse_beijing(answer.field("send_pay_date"))) status.time_paid = *paid;
  return status;
}

sdk::Result<sdk::TradeStatus> AlipayPlugin::do_query(const sdk::TradeRef& trade) {
  if (!settings_) return not_started();
  auto answer = call(kQueryMethod, query_biz_content(trade.order_no));
  if (!answer) return answer.error();
  if (answer->success()) return trade_status_from_query(trade, *answer);
  if (answer->sub_code == kTradeNotExist) {
    // wap/app trades only exist at Alipay once the buyer opens the cashier.
    sdk::TradeStatus status;
    status.outcome = Outcome::pending;
    status.order_no = trade.order_no;
    status.app_id = settings_->app_id;
    return status;
  }
  return business_error(kQueryMethod, *answer);
}

sdk::Result<sdk::TradeStatus> AlipayPlugin::do_close(const sdk::TradeRef& trade) {
  if (!settings_) return not_started();
  auto answer = call(kCloseMethod, close_biz_content(trade.order_no));
  if (!answer) return answer.error();
  if (answer->success() || answer->sub_code == kTradeNotExist) {
    // Not existing means nothing can be paid at Alipay any more: the order string carried
    // time_expire, so a buyer opening it later is refused.
    sdk::TradeStatus status;
    status.outcome = Outcome::closed;
    status.order_no = trade.order_no;
    status.transaction_no = answer->field("trade_no");
    status.app_id = settings_->app_id;
    return status;
  }
  if (answer->sub_code == kTradeStatusError) {
    // The trade is past closing: it may well be paid. Report what it really is.
    return do_query(trade);
  }
  return business_error(kCloseMethod, *answer);
}

sdk::Result<sdk::RefundResult> AlipayPlugin::do_refund(const sdk::RefundRequest& request) {
  if (!settings_) return not_started();
  if (request.amount <= 0) {
    return make_error(ErrorKind::invalid_request, "invalid_amount",
                      "refund amount must be positive", "amount");
  }
  if (request.refund_no.empty()) {
    return make_error(ErrorKind::invalid_request, "missing_refund_no",
                      "a refund needs its refund_no (Alipay out_request_no)", "refund_no");
  }
  auto answer = call(kRefundMethod, refund_biz_content(request));
  if (!answer) return answer.error();
  if (!answer->success()) return business_error(kRefundMethod, *answer);
  // code 10000 is the refund's success; fund_change "N" only means an earlier attempt with
  // this out_request_no already moved the money.
  sdk::RefundResult result;
  result.outcome = Outcome::succeeded;
  result.provider_refund_no = answer->field("trade_no");
  if (const auto total = sdk::parse_yuan(answer->field("refund_fee"))) {
    result.refunded_total = *total;
  }
  return result;
}

}  // namespace payhost::alipay
