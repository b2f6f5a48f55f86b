#include "requests.hpp"

#include <algorithm>
#include <array>

#include "beijing_time.hpp"

namespace payhost::unionpay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

constexpr std::array<ChannelInfo, 4> kChannels = {{
    {Channel::applepay, "applepay_upacp", "08", false},
    {Channel::app, "upacp", "08", false},
    {Channel::wap, "upacp_wap", "08", true},
    {Channel::pc, "upacp_pc", "07", true},
}};

constexpr std::size_t kMaxUrl = 2048;
// txnAmt is at most 12 digits at UnionPay.
constexpr sdk::Fen kMaxAmount = 999'999'999'999;
constexpr std::size_t kStampDigits = 14;

sdk::Error invalid(std::string code, std::string message, std::string param) {
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message),
                    std::move(param));
}

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
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
  // The client sees the signed fields: an '&' in frontUrl would let it re-split the signed
  // string into frontUrl plus fields of its choosing (any name sorting before merId) under
  // our signature. Braces and brackets would change how UnionPay's raw answers split.
  return std::none_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u >= 0x7f || c == '"' || c == '<' || c == '>' || c == '\\' || c == '&' ||
           c == '{' || c == '}' || c == '[' || c == ']';
  });
}

bool balanced(std::string_view s) {
  int depth = 0;
  for (const char c : s) {
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && --depth < 0) return false;
  }
  return depth == 0;
}

// A string from charge.extra: absent -> "", another type -> error naming it.
sdk::Result<std::string> extra_string(const sdk::Json& extra, std::string_view name) {
  const std::string param = "extra." + std::string(name);
  if (!extra.is_object()) return std::string();
  const auto it = extra.find(std::string(name));
  if (it == extra.end() || it->is_null()) return std::string();
  if (!it->is_string()) return invalid("invalid_extra", param + " must be a string", param);
  return it->get<std::string>();
}

Fields common_fields(std::string_view txn_type, std::string_view txn_sub_type,
                     std::string_view biz_type) {
  return {{"version", "5.1.0"},
          {"encoding", "UTF-8"},
          {"signMethod", "01"},
          {"txnType", std::string(txn_type)},
          {"txnSubType", std::string(txn_sub_type)},
          {"bizType", std::string(biz_type)}};
}

}  // namespace

std::optional<ChannelInfo> channel_info(std::string_view channel_name) {
  for (const auto& info : kChannels) {
    if (info.name == channel_name) return info;
  }
  return std::nullopt;
}

std::vector<sdk::ChannelSpec> channel_specs() {
  std::vector<sdk::ChannelSpec> specs(4);
  specs[0].name = "applepay_upacp";
  specs[0].description =
      "Apple Pay through the UnionPay control: appTransReq.do, then {tn, mode, merchant_id}";
  specs[1].name = "upacp";
  specs[1].description = "UnionPay in-app payment (control): appTransReq.do, then {tn, mode}";
  specs[2].name = "upacp_wap";
  specs[2].description =
      "UnionPay mobile web payment: the signed frontTransReq.do form the client posts";
  specs[2].required_extra = {std::string(kResultUrlExtra)};
  specs[3].name = "upacp_pc";
  specs[3].description =
      "UnionPay PC web payment: the signed frontTransReq.do form the client posts";
  specs[3].required_extra = {std::string(kResultUrlExtra)};
  for (auto& s : specs)
    s.default_expiry_seconds = kDefaultExpirySeconds;
  return specs;
}

bool is_valid_order_id(std::string_view s) {
  return s.size() >= 8 && s.size() <= 40 && std::all_of(s.begin(), s.end(), is_alnum);
}

bool is_valid_query_id(std::string_view s) {
  return !s.empty() && s.size() <= 40 && std::all_of(s.begin(), s.end(), is_alnum);
}

sdk::Status check_create(const sdk::CreateRequest& request, const ChannelInfo& info) {
  if (request.amount <= 0 || request.amount > kMaxAmount) {
    return invalid("invalid_amount", "amount must be 1 to 999999999999 fen", "amount");
  }
  if (request.currency != "cny") {
    return invalid("invalid_currency", "UnionPay charges are in cny", "currency");
  }
  if (!is_valid_order_id(request.order_no)) {
    return invalid("invalid_order_no", "UnionPay's orderId must be 8-40 letters and digits",
                   "order_no");
  }
  if (!balanced(request.subject)) {
    // UnionPay echoes orderDesc in raw answers, which split on '&' outside {...}/[...].
    return invalid("invalid_subject", "the subject has an unbalanced bracket or brace", "subject");
  }
  if (request.created <= 0) return invalid("invalid_created", "no creation time", "created");
  if (request.time_expire != 0 && request.time_expire <= request.created) {
    return invalid("invalid_time_expire", "time_expire must be after created", "time_expire");
  }
  if (info.browser_form) {
    auto url = extra_string(request.extra, kResultUrlExtra);
    if (!url) return url.error();
    const std::string param = "extra." + std::string(kResultUrlExtra);
    if (url->empty()) {
      return invalid("missing_extra", request.channel + " needs " + param, param);
    }
    if (!is_absolute_http_url(*url)) {
      return invalid("invalid_extra", param + " must be an absolute http(s) URL", param);
    }
  }
  return {};
}

Fields consume_fields(const sdk::CreateRequest& request, const ChannelInfo& info,
                      const Merchant& merchant) {
  Fields f = common_fields("01", "01", "000201");
  f.emplace_back("channelType", std::string(info.channel_type));
  f.emplace_back("accessType", "0");
  f.emplace_back("merId", merchant.mer_id);
  f.emplace_back("orderId", request.order_no);
  f.emplace_back("txnTime", format_txn_time(request.created));
  f.emplace_back("txnAmt", std::to_string(request.amount));
  f.emplace_back("currencyCode", "156");
  f.emplace_back("backUrl", merchant.back_url);
  if (info.browser_form) {
    f.emplace_back("frontUrl", request.extra.at(std::string(kResultUrlExtra)).get<std::string>());
  }
  if (request.time_expire > 0) f.emplace_back("payTimeout", format_txn_time(request.time_expire));
  f.emplace_back("orderDesc", request.subject);
  f.emplace_back("reqReserved", request.charge_id);
  return f;
}

Fields query_fields(std::string_view mer_id, std::string_view order_id, std::string_view txn_time) {
  Fields f = common_fields("00", "00", "000000");
  f.emplace_back("accessType", "0");
  f.emplace_back("merId", std::string(mer_id));
  f.emplace_back("orderId", std::string(order_id));
  f.emplace_back("txnTime", std::string(txn_time));
  return f;
}

sdk::Result<std::string> refund_txn_time(std::string_view refund_no) {
  if (!is_valid_order_id(refund_no) || refund_no.size() <= kStampDigits) {
    return invalid("invalid_refund_no",
                   "a UnionPay refund_no is 15-40 letters and digits starting with its UTC "
                   "creation time YYYYMMDDhhmmss",
                   "refund_no");
  }
  const auto at = parse_utc_stamp(refund_no.substr(0, kStampDigits));
  if (!at) {
    return invalid("invalid_refund_no",
                   "a UnionPay refund_no must start with its UTC creation time YYYYMMDDhhmmss "
                   "(UnionPay identifies a refund by orderId and txnTime)",
                   "refund_no");
  }
  return format_txn_time(*at);
}

sdk::Status check_refund(const sdk::RefundRequest& request) {
  if (request.amount <= 0) {
    return invalid("invalid_amount", "refund amount must be positive", "amount");
  }
  if (request.trade.amount > 0 && request.amount > request.trade.amount) {
    return invalid("invalid_amount", "refund amount exceeds the charge", "amount");
  }
  if (!is_valid_query_id(request.trade.transaction_no)) {
    return invalid("invalid_transaction_no",
                   "a refund needs the charge's UnionPay queryId (transaction_no)",
                   "transaction_no");
  }
  auto txn_time = refund_txn_time(request.refund_no);
  if (!txn_time) return txn_time.error();
  return {};
}

Fields refund_fields(const sdk::RefundRequest& request, std::string_view txn_time,
                     const Merchant& merchant) {
  Fields f = common_fields("04", "00", "000201");
  const auto info = channel_info(request.trade.channel);
  f.emplace_back("channelType", std::string(info ? info->channel_type : "08"));
  f.emplace_back("accessType", "0");
  f.emplace_back("merId", merchant.mer_id);
  f.emplace_back("orderId", request.refund_no);
  f.emplace_back("origQryId", request.trade.transaction_no);
  f.emplace_back("txnTime", std::string(txn_time));
  f.emplace_back("txnAmt", std::to_string(request.amount));
  f.emplace_back("currencyCode", "156");
  f.emplace_back("backUrl", merchant.back_url);
  return f;
}

sdk::Json app_credential(std::string_view tn, bool livemode, std::string_view apple_merchant_id) {
  sdk::Json c = sdk::Json::object();
  c["tn"] = std::string(tn);
  c["mode"] = livemode ? "00" : "01";
  if (!apple_merchant_id.empty()) c["merchant_id"] = std::string(apple_merchant_id);
  return c;
}

sdk::Json form_credential(const Fields& signed_fields, std::string_view channel_url) {
  sdk::Json out = sdk::Json::object();
  for (const auto& [k, v] : signed_fields)
    out[k] = v;
  out["channel_url"] = std::string(channel_url);
  return out;
}

}  // namespace payhost::unionpay
