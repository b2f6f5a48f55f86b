#include "api_requests.hpp"

#include <arpa/inet.h>

#include <optional>

#include "payhost/sdk/json.hpp"
#include "rfc3339.hpp"

namespace payhost::sandbox_wechat {
namespace {

using sdk::Json;

constexpr std::int64_t kMaxAmount = 10'000'000'000;  // 10^8 yuan, in fen

sdk::Error param(std::string field, const std::string& issue) {
  return wechat_error(kParamError, field + ": " + issue, field);
}

bool is_id_char(char c, std::string_view extra) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         extra.find(c) != std::string_view::npos;
}

bool id_shape(std::string_view text, std::size_t min, std::size_t max, std::string_view extra) {
  if (text.size() < min || text.size() > max) return false;
  for (char c : text) {
    if (!is_id_char(c, extra)) return false;
  }
  return true;
}

// A string member: absent is nullopt unless `required`; present, it must be a string of
// min..max bytes.
sdk::Result<std::optional<std::string>> string_member(const Json& object, const char* name,
                                                      const std::string& field, bool required,
                                                      std::size_t min, std::size_t max) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) return param(field, "is required");
    return std::optional<std::string>();
  }
  if (!it->is_string()) return param(field, "must be a string");
  std::string value = it->get<std::string>();
  if (value.size() < min || value.size() > max) {
    return param(field, "must be " + std::to_string(min) + "-" + std::to_string(max) + " bytes");
  }
  return std::optional<std::string>(std::move(value));
}

sdk::Result<const Json*> object_member(const Json& object, const char* name,
                                       const std::string& field, bool required) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) {
    if (required) return param(field, "is required");
    return static_cast<const Json*>(nullptr);
  }
  if (!it->is_object()) return param(field, "must be an object");
  return &*it;
}

// A JSON integer (not 1.0, not "1") in 1..kMaxAmount.
sdk::Result<sdk::Fen> amount_member(const Json& object, const char* name,
                                    const std::string& field) {
  const auto it = object.find(name);
  if (it == object.end() || it->is_null()) return param(field, "is required");
  if (!it->is_number_integer()) return param(field, "must be an integer number of fen");
  if (it->is_number_unsigned()) {
    const auto value = it->get<std::uint64_t>();
    if (value == 0 || value > static_cast<std::uint64_t>(kMaxAmount)) {
      return param(field, "must be 1-" + std::to_string(kMaxAmount));
    }
    return static_cast<sdk::Fen>(value);
  }
  const auto value = it->get<std::int64_t>();
  if (value <= 0 || value > kMaxAmount) {
    return param(field, "must be 1-" + std::to_string(kMaxAmount));
  }
  return value;
}

sdk::Status check_currency(const Json& amount, bool required) {
  auto currency = string_member(amount, "currency", "amount.currency", required, 1, 16);
  if (!currency.ok()) return currency.error();
  if (currency->has_value() && **currency != "CNY") {
    return param("amount.currency", "must be CNY");
  }
  return {};
}

bool valid_notify_url(std::string_view url) {
  std::string_view rest;
  if (url.substr(0, 8) == "https://") {
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else {
    return false;
  }
  const std::size_t host_end = rest.find('/');
  if (host_end == 0 || rest.empty()) return false;
  for (char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '?' || c == '#' || c == '"' || c == '<' || c == '>' ||
        c == '\\') {
      return false;
    }
  }
  return true;
}

sdk::Result<std::string> notify_url_member(const Json& object, bool required) {
  auto url = string_member(object, "notify_url", "notify_url", required, 1, 255);
  if (!url.ok()) return url.error();
  if (!url->has_value()) return std::string();
  if (!valid_notify_url(**url)) {
    return param("notify_url",
                 "must be an absolute https (or, in the sandbox, http) URL without query or "
                 "fragment");
  }
  return std::move(**url);
}

bool valid_ip(const std::string& text) {
  unsigned char buffer[16];
  return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

sdk::Result<Json> object_body(std::string_view body) {
  if (body.size() > kMaxBodyBytes) {
    return param("body", "larger than " + std::to_string(kMaxBodyBytes) + " bytes");
  }
  Json parsed = sdk::parse_json(body);
  if (parsed.is_discarded()) return param("body", "is not valid JSON");
  if (!parsed.is_object()) return param("body", "must be a JSON object");
  return parsed;
}

}  // namespace

sdk::Error wechat_error(const char* code, std::string message, std::string field) {
  const std::string_view c = code;
  sdk::ErrorKind kind = sdk::ErrorKind::invalid_request;
  if (c == kSignError) kind = sdk::ErrorKind::unauthorized;
  if (c == kOrderNotExist || c == kResourceNotExists) kind = sdk::ErrorKind::not_found;
  if (c == kOrderPaid || c == kOrderClosed) kind = sdk::ErrorKind::conflict;
  if (c == kSystemError) kind = sdk::ErrorKind::unavailable;
  return sdk::make_error(kind, code, std::move(message), std::move(field));
}

int status_of(const sdk::Error& error) {
  const std::string& c = error.code;
  if (c == kSignError) return 401;
  if (c == kOrderNotExist || c == kResourceNotExists) return 404;
  if (c == kSystemError) return 500;
  return 400;
}

const char* trade_type_of(PrepayKind kind) {
  switch (kind) {
    case PrepayKind::app:
      return kApp;
    case PrepayKind::h5:
      return kMweb;
    case PrepayKind::jsapi:
      return kJsapi;
    case PrepayKind::native:
      return kNative;
  }
  return kApp;
}

bool valid_out_trade_no(std::string_view text) {
  return id_shape(text, 6, 32, "_|*-");
}

bool valid_out_refund_no(std::string_view text) {
  return id_shape(text, 1, 64, "_|*@-");
}

sdk::Result<PrepayOrder> parse_prepay(PrepayKind kind, std::string_view body,
                                      const SimOptions& options, const std::string& auth_mchid) {
  auto parsed = object_body(body);
  if (!parsed.ok()) return parsed.error();
  const Json& j = parsed.value();
  PrepayOrder order;
  order.kind = kind;

  auto appid = string_member(j, "appid", "appid", true, 1, 32);
  if (!appid.ok()) return appid.error();
  order.appid = std::move(**appid);
  if (!options.knows_app_id(order.appid)) {
    return param("appid", "is not an app id bound to merchant " + options.mchid);
  }
  auto mchid = string_member(j, "mchid", "mchid", true, 1, 32);
  if (!mchid.ok()) return mchid.error();
  order.mchid = std::move(**mchid);
  if (order.mchid != options.mchid || order.mchid != auth_mchid) {
    return param("mchid", "must be the merchant that signed the request");
  }
  auto description = string_member(j, "description", "description", true, 1, 127);
  if (!description.ok()) return description.error();
  order.description = std::move(**description);
  auto out_trade_no = string_member(j, "out_trade_no", "out_trade_no", true, 1, 64);
  if (!out_trade_no.ok()) return out_trade_no.error();
  order.out_trade_no = std::move(**out_trade_no);
  if (!valid_out_trade_no(order.out_trade_no)) {
    return param("out_trade_no", "must be 6-32 of [A-Za-z0-9_|*-]");
  }
  auto notify_url = notify_url_member(j, true);
  if (!notify_url.ok()) return notify_url.error();
  order.notify_url = std::move(notify_url.value());
  auto attach = string_member(j, "attach", "attach", false, 0, 128);
  if (!attach.ok()) return attach.error();
  order.attach = attach->value_or("");
  auto time_expire = string_member(j, "time_expire", "time_expire", false, 1, 64);
  if (!time_expire.ok()) return time_expire.error();
  if (time_expire->has_value()) {
    const auto at = parse_rfc3339(**time_expire);
    if (!at || *at <= 0) {
      return param("time_expire", "must be an RFC 3339 date-time (2018-06-08T10:34:56+08:00)");
    }
    order.time_expire = std::move(**time_expire);
    order.expires_at = *at;
  }

  auto amount = object_member(j, "amount", "amount", true);
  if (!amount.ok()) return amount.error();
  auto total = amount_member(**amount, "total", "amount.total");
  if (!total.ok()) return total.error();
  order.amount = total.value();
  if (auto currency = check_currency(**amount, false); !currency.ok()) return currency.error();

  if (kind == PrepayKind::jsapi) {
    auto payer = object_member(j, "payer", "payer", true);
    if (!payer.ok()) return payer.error();
    auto openid = string_member(**payer, "openid", "payer.openid", true, 1, 128);
    if (!openid.ok()) return openid.error();
    order.payer_openid = std::move(**openid);
  }
  if (kind == PrepayKind::h5) {
    auto scene = object_member(j, "scene_info", "scene_info", true);
    if (!scene.ok()) return scene.error();
    auto ip = string_member(**scene, "payer_client_ip", "scene_info.payer_client_ip", true, 1, 45);
    if (!ip.ok()) return ip.error();
    if (!valid_ip(**ip))
      return param("scene_info.payer_client_ip", "must be an IPv4 or IPv6 address");
    order.payer_client_ip = std::move(**ip);
    auto h5 = object_member(**scene, "h5_info", "scene_info.h5_info", true);
    if (!h5.ok()) return h5.error();
    auto type = string_member(**h5, "type", "scene_info.h5_info.type", true, 1, 32);
    if (!type.ok()) return type.error();
    if (**type != "Wap" && **type != "iOS" && **type != "Android") {
      return param("scene_info.h5_info.type", "must be Wap, iOS or Android");
    }
    order.h5_type = std::move(**type);
  }
  return order;
}

sdk::Result<RefundRequest> parse_refund(std::string_view body) {
  auto parsed = object_body(body);
  if (!parsed.ok()) return parsed.error();
  const Json& j = parsed.value();
  RefundRequest out;
  auto out_trade_no = string_member(j, "out_trade_no", "out_trade_no", false, 1, 64);
  if (!out_trade_no.ok()) return out_trade_no.error();
  auto transaction_id = string_member(j, "transaction_id", "transaction_id", false, 1, 32);
  if (!transaction_id.ok()) return transaction_id.error();
  if (!out_trade_no->has_value() && !transaction_id->has_value()) {
    return param("out_trade_no", "out_trade_no or transaction_id is required");
  }
  if (out_trade_no->has_value() && !valid_out_trade_no(**out_trade_no)) {
    return param("out_trade_no", "must be 6-32 of [A-Za-z0-9_|*-]");
  }
  if (transaction_id->has_value() && !id_shape(**transaction_id, 1, 32, "")) {
    return param("transaction_id", "must be digits");
  }
  out.key.out_trade_no = out_trade_no->value_or("");
  out.key.transaction_id = transaction_id->value_or("");
  auto out_refund_no = string_member(j, "out_refund_no", "out_refund_no", true, 1, 64);
  if (!out_refund_no.ok()) return out_refund_no.error();
  if (!valid_out_refund_no(**out_refund_no)) {
    return param("out_refund_no", "must be 1-64 of [A-Za-z0-9_|*@-]");
  }
  out.out_refund_no = std::move(**out_refund_no);
  auto reason = string_member(j, "reason", "reason", false, 0, 80);
  if (!reason.ok()) return reason.error();
  out.reason = reason->value_or("");
  auto notify_url = notify_url_member(j, false);
  if (!notify_url.ok()) return notify_url.error();
  out.notify_url = std::move(notify_url.value());
  auto amount = object_member(j, "amount", "amount", true);
  if (!amount.ok()) return amount.error();
  auto refund = amount_member(**amount, "refund", "amount.refund");
  if (!refund.ok()) return refund.error();
  auto total = amount_member(**amount, "total", "amount.total");
  if (!total.ok()) return total.error();
  if (auto currency = check_currency(**amount, true); !currency.ok()) return currency.error();
  out.refund = refund.value();
  out.total = total.value();
  if (out.refund > out.total) return param("amount.refund", "must not exceed amount.total");
  return out;
}

}  // namespace payhost::sandbox_wechat
