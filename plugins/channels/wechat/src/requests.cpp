#include "requests.hpp"

#include <algorithm>
#include <array>

#include "payhost/sdk/encoding.hpp"
#include "rfc3339.hpp"
#include "signing.hpp"

namespace payhost::wechat {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

constexpr std::array<ChannelInfo, 5> kChannels = {{
    {Channel::app, "wx", "/v3/pay/transactions/app", "APP", AppKind::app},
    {Channel::h5, "wx_wap", "/v3/pay/transactions/h5", "MWEB", AppKind::pub},
    {Channel::pub, "wx_pub", "/v3/pay/transactions/jsapi", "JSAPI", AppKind::pub},
    {Channel::native, "wx_pub_qr", "/v3/pay/transactions/native", "NATIVE", AppKind::pub},
    {Channel::lite, "wx_lite", "/v3/pay/transactions/jsapi", "JSAPI", AppKind::lite},
}};

constexpr std::size_t kMaxOpenId = 128;
constexpr std::size_t kMaxProductId = 32;
constexpr std::size_t kMaxUrl = 2048;
constexpr std::size_t kMaxClientIp = 45;  // the longest IPv6 text
constexpr std::size_t kMaxRefundReason = 80;

sdk::Error invalid(std::string code, std::string message, std::string param) {
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message),
                    std::move(param));
}

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool only(std::string_view s, bool (*allowed)(char)) {
  return std::all_of(s.begin(), s.end(), allowed);
}

// A string from charge.extra: absent -> "", another type -> error naming it.
sdk::Result<std::string> extra_string(const sdk::Json& extra, const char* name) {
  if (!extra.is_object()) return std::string();
  const auto it = extra.find(name);
  if (it == extra.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return invalid("invalid_extra", std::string("extra.") + name + " must be a string",
                   std::string("extra.") + name);
  }
  return it->get<std::string>();
}

bool is_absolute_http_url(std::string_view url) {
  if (url.size() > kMaxUrl) return false;
  std::string_view rest;
  if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == '?' || rest.front() == '#') {
    return false;
  }
  return std::none_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\';
  });
}

sdk::Status check_extras(const sdk::CreateRequest& request, const ChannelInfo& info) {
  switch (info.channel) {
    case Channel::pub:
    case Channel::lite: {
      auto open_id = extra_string(request.extra, "open_id");
      if (!open_id) return open_id.error();
      if (open_id->empty()) {
        return invalid("missing_extra", request.channel + " needs extra.open_id", "extra.open_id");
      }
      const bool printable = std::all_of(open_id->begin(), open_id->end(),
                                         [](char c) { return c > 0x20 && c < 0x7f; });
      if (open_id->size() > kMaxOpenId || !printable) {
        return invalid("invalid_extra",
                       "extra.open_id must be 1-128 printable ASCII characters without spaces",
                       "extra.open_id");
      }
      return {};
    }
    case Channel::native: {
      auto product_id = extra_string(request.extra, "product_id");
      if (!product_id) return product_id.error();
      if (product_id->empty()) {
        return invalid("missing_extra", request.channel + " needs extra.product_id",
                       "extra.product_id");
      }
      const bool allowed =
          only(*product_id, [](char c) { return is_alnum(c) || c == '_' || c == '-'; });
      if (product_id->size() > kMaxProductId || !allowed) {
        return invalid("invalid_extra", "extra.product_id must be 1-32 of [A-Za-z0-9_-]",
                       "extra.product_id");
      }
      return {};
    }
    case Channel::h5: {
      auto result_url = extra_string(request.extra, "result_url");
      if (!result_url) return result_url.error();
      if (!result_url->empty() && !is_absolute_http_url(*result_url)) {
        return invalid("invalid_extra", "extra.result_url must be an absolute http(s) URL",
                       "extra.result_url");
      }
      const std::string& ip = request.client_ip;
      const bool ip_chars = only(ip, [](char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') ||
               c == '.' || c == ':';
      });
      if (ip.empty() || ip.size() > kMaxClientIp || !ip_chars) {
        return invalid("invalid_client_ip",
                       "wx_wap needs the buyer's IP address (scene_info.payer_client_ip)",
                       "client_ip");
      }
      return {};
    }
    case Channel::app:
      return {};
  }
  return {};
}

}  // namespace

std::optional<ChannelInfo> channel_info(std::string_view channel_name) {
  for (const auto& info : kChannels) {
    if (info.name == channel_name) return info;
  }
  return std::nullopt;
}

std::vector<sdk::ChannelSpec> channel_specs() {
  std::vector<sdk::ChannelSpec> specs(5);
  specs[0].name = "wx";
  specs[0].description =
      "WeChat Pay in-app payment (APP): prepay, then the app SDK's signed parameters";
  specs[1].name = "wx_wap";
  specs[1].description = "WeChat Pay mobile web payment (H5, MWEB): the h5_url to open";
  specs[1].optional_extra = {"result_url"};
  specs[2].name = "wx_pub";
  specs[2].description = "WeChat Pay in an official account (JSAPI): WeixinJSBridge parameters";
  specs[2].required_extra = {"open_id"};
  specs[3].name = "wx_pub_qr";
  specs[3].description = "WeChat Pay QR code payment (Native): the code_url to show";
  specs[3].required_extra = {"product_id"};
  specs[4].name = "wx_lite";
  specs[4].description = "WeChat Pay in a mini program (JSAPI): wx.requestPayment parameters";
  specs[4].required_extra = {"open_id"};
  for (auto& s : specs)
    s.default_expiry_seconds = kDefaultExpirySeconds;
  return specs;
}

bool is_valid_out_trade_no(std::string_view s) {
  return s.size() >= 6 && s.size() <= 32 && only(s, [](char c) {
           return is_alnum(c) || c == '_' || c == '|' || c == '*' || c == '-';
         });
}

bool is_valid_out_refund_no(std::string_view s) {
  return !s.empty() && s.size() <= 64 && only(s, [](char c) {
    return is_alnum(c) || c == '_' || c == '|' || c == '*' || c == '@' || c == '-';
  });
}

sdk::Status check_create(const sdk::CreateRequest& request, const ChannelInfo& info) {
  if (request.amount <= 0) {
    return invalid("invalid_amount", "amount must be positive", "amount");
  }
  if (request.currency != "cny") {
    return invalid("invalid_currency", "WeChat Pay charges are in cny", "currency");
  }
  if (request.subject.empty() || request.subject.size() > kMaxDescriptionBytes) {
    return invalid("invalid_subject",
                   "WeChat Pay's description (the subject) must be 1-127 bytes of UTF-8, got " +
                       std::to_string(request.subject.size()),
                   "subject");
  }
  if (!is_valid_out_trade_no(request.order_no)) {
    return invalid("invalid_order_no", "WeChat Pay's out_trade_no must be 6-32 of [A-Za-z0-9_|*-]",
                   "order_no");
  }
  return check_extras(request, info);
}

std::string prepay_body(const sdk::CreateRequest& request, const ChannelInfo& info,
                        std::string_view app_id, std::string_view mchid,
                        std::string_view notify_url) {
  sdk::Json body = sdk::Json::object();
  body["appid"] = app_id;
  body["mchid"] = mchid;
  body["description"] = request.subject;
  body["out_trade_no"] = request.order_no;
  if (request.time_expire > 0) body["time_expire"] = format_rfc3339_beijing(request.time_expire);
  body["attach"] = request.charge_id;
  body["notify_url"] = notify_url;
  body["amount"] = sdk::Json{{"total", request.amount}, {"currency", "CNY"}};
  if (info.channel == Channel::pub || info.channel == Channel::lite) {
    body["payer"] = sdk::Json{{"openid", request.extra.at("open_id").get<std::string>()}};
  }
  if (info.channel == Channel::h5) {
    body["scene_info"] =
        sdk::Json{{"payer_client_ip", request.client_ip}, {"h5_info", sdk::Json{{"type", "Wap"}}}};
  }
  return sdk::json_dump(body);
}

std::string query_path(std::string_view order_no, std::string_view mchid) {
  return "/v3/pay/transactions/out-trade-no/" + sdk::url_encode(order_no) +
         "?mchid=" + sdk::url_encode(mchid);
}

std::string close_path(std::string_view order_no) {
  return "/v3/pay/transactions/out-trade-no/" + sdk::url_encode(order_no) + "/close";
}

std::string close_body(std::string_view mchid) {
  return sdk::json_dump(sdk::Json{{"mchid", mchid}});
}

std::string refund_query_path(std::string_view refund_no) {
  return std::string(kRefundPath) + "/" + sdk::url_encode(refund_no);
}

sdk::Status check_refund(const sdk::RefundRequest& request) {
  if (request.amount <= 0) {
    return invalid("invalid_amount", "refund amount must be positive", "amount");
  }
  if (request.trade.amount > 0 && request.amount > request.trade.amount) {
    return invalid("invalid_amount", "refund amount exceeds the charge", "amount");
  }
  if (!is_valid_out_refund_no(request.refund_no)) {
    return invalid("invalid_refund_no",
                   "WeChat Pay's out_refund_no must be 1-64 of [A-Za-z0-9_|*@-]", "refund_no");
  }
  if (!is_valid_out_trade_no(request.trade.order_no)) {
    return invalid("invalid_order_no", "WeChat Pay's out_trade_no must be 6-32 of [A-Za-z0-9_|*-]",
                   "order_no");
  }
  if (request.reason.size() > kMaxRefundReason) {
    return invalid("invalid_reason", "a refund reason is at most 80 bytes", "reason");
  }
  return {};
}

std::string refund_body(const sdk::RefundRequest& request) {
  sdk::Json body = sdk::Json::object();
  body["out_trade_no"] = request.trade.order_no;
  body["out_refund_no"] = request.refund_no;
  if (!request.reason.empty()) body["reason"] = request.reason;
  body["amount"] =
      sdk::Json{{"refund", request.amount}, {"total", request.trade.amount}, {"currency", "CNY"}};
  return sdk::json_dump(body);
}

sdk::Result<sdk::Json> app_credential(const sdk::crypto::PrivateKey& key, std::string_view app_id,
                                      std::string_view mchid, std::string_view prepay_id,
                                      std::int64_t timestamp, std::string_view nonce) {
  auto sign = sign_base64(key, app_pay_message(app_id, timestamp, nonce, prepay_id));
  if (!sign) return sign.error();
  sdk::Json c = sdk::Json::object();
  c["appId"] = app_id;
  c["partnerId"] = mchid;
  c["prepayId"] = prepay_id;
  c["nonceStr"] = nonce;
  c["timeStamp"] = timestamp;
  c["packageValue"] = "Sign=WXPay";
  c["sign"] = *sign;
  return c;
}

sdk::Result<sdk::Json> jsapi_credential(const sdk::crypto::PrivateKey& key, std::string_view app_id,
                                        std::string_view prepay_id, std::int64_t timestamp,
                                        std::string_view nonce) {
  const std::string package = "prepay_id=" + std::string(prepay_id);
  auto sign = sign_base64(key, jsapi_pay_message(app_id, timestamp, nonce, package));
  if (!sign) return sign.error();
  sdk::Json c = sdk::Json::object();
  c["appId"] = app_id;
  c["timeStamp"] = std::to_string(timestamp);
  c["nonceStr"] = nonce;
  c["package"] = package;
  c["signType"] = "RSA";
  c["paySign"] = *sign;
  return c;
}

std::string wap_credential(std::string_view h5_url, std::string_view result_url) {
  std::string url(h5_url);
  if (!result_url.empty()) url += "&redirect_url=" + sdk::url_encode(result_url);
  return url;
}

}  // namespace payhost::wechat
