#include "api/charge_request.hpp"

#include <array>
#include <string_view>

#include "text/utf8_text.hpp"

namespace payhost::host::api {

using sdk::Json;

namespace {

constexpr std::array<std::string_view, 12> kFields = {
    "app",  "channel",   "amount", "order_no", "currency",    "subject",
    "body", "client_ip", "extra",  "metadata", "time_expire", "description"};

sdk::Error invalid(std::string code, std::string message, std::string param) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, std::move(code), std::move(message),
                         std::move(param));
}

sdk::Error missing(const std::string& param) {
  return invalid("parameter_missing", "缺少参数: " + param, param);
}

// A string parameter; absent -> `fallback` (or missing when required).
sdk::Result<std::string> string_param(const Json& params, const std::string& name, bool required,
                                      std::string fallback = {}) {
  auto it = params.find(name);
  if (it == params.end()) {
    if (required) return missing(name);
    return fallback;
  }
  if (!it->is_string()) return invalid("parameter_invalid", name + " must be a string", name);
  return it->get<std::string>();
}

std::size_t utf8_chars(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

}  // namespace

bool is_clean_text(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(text, i, cp);
    if (n == 0 || is_control_character(cp)) return false;
    i += n;
  }
  return true;
}

namespace {

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Ping++'s order_no lengths per channel family; letters and digits only everywhere.
std::pair<std::size_t, std::size_t> order_no_bounds(const std::string& channel) {
  if (channel.starts_with("wx")) return {2, 32};
  if (channel.starts_with("upacp") || channel == "applepay_upacp") return {8, 40};
  return {1, 64};
}

bool is_client_ip(const std::string& ip) {
  if (ip.empty() || ip.size() > 45) return false;
  return ip.find_first_not_of("0123456789abcdefABCDEF.:") == std::string::npos;
}

sdk::Result<std::string> app_param(const Json& params) {
  auto it = params.find("app");
  if (it == params.end()) return missing("app[id]");
  if (it->is_string()) return it->get<std::string>();
  if (it->is_object() && it->size() == 1 && it->contains("id") && (*it)["id"].is_string()) {
    return (*it)["id"].get<std::string>();
  }
  return invalid("parameter_invalid", "app must be the app's id or {\"id\": id}", "app[id]");
}

}  // namespace

sdk::Result<std::int64_t> parse_fen(const Json& value, const std::string& param) {
  const std::string message = param + " must be a positive whole number of fen";
  if (value.is_number_unsigned()) {
    const auto v = value.get<std::uint64_t>();
    if (v == 0 || v > 10'000'000'000'000ULL) return invalid("amount_invalid", message, param);
    return static_cast<std::int64_t>(v);
  }
  if (value.is_number_integer()) {
    const auto v = value.get<std::int64_t>();
    if (v <= 0) return invalid("amount_invalid", message, param);
    return v;
  }
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (text.empty() || text.size() > 13 || text[0] == '0' ||
        text.find_first_not_of("0123456789") != std::string::npos) {
      return invalid("amount_invalid", message, param);
    }
    return std::stoll(text);
  }
  return invalid("amount_invalid", message, param);
}

sdk::Status check_metadata(const Json& metadata) {
  if (!metadata.is_object()) {
    return invalid("metadata_invalid", "metadata must be an object", "metadata");
  }
  if (metadata.size() > kMaxMetadataKeys) {
    return invalid("metadata_invalid",
                   "metadata has more than " + std::to_string(kMaxMetadataKeys) + " keys",
                   "metadata");
  }
  for (const auto& [key, value] : metadata.items()) {
    if (key.empty() || utf8_chars(key) > kMaxMetadataKeyChars || !is_clean_text(key)) {
      return invalid(
          "metadata_invalid",
          "metadata keys must be 1 to " + std::to_string(kMaxMetadataKeyChars) + " characters",
          "metadata");
    }
    std::size_t chars = 0;
    if (value.is_string()) {
      chars = utf8_chars(value.get_ref<const std::string&>());
    } else if (value.is_number() || value.is_boolean()) {
      chars = value.dump().size();
    } else {
      return invalid("metadata_invalid",
                     "metadata values must be strings, numbers or booleans (metadata." + key + ")",
                     "metadata");
    }
    if (chars > kMaxMetadataValueChars) {
      return invalid("metadata_invalid",
                     "metadata values must be at most " + std::to_string(kMaxMetadataValueChars) +
                         " characters (metadata." + key + ")",
                     "metadata");
    }
  }
  return {};
}

sdk::Result<ChargeRequest> parse_charge_request(const Json& params, const std::string& app,
                                                std::int64_t now) {
  for (const auto& [key, value] : params.items()) {
    bool known = false;
    for (auto field : kFields)
      known = known || key == field;
    if (!known) return invalid("parameter_unknown", "未知参数: " + key, key);
  }
  ChargeRequest out;
  sdk::NewCharge& c = out.charge;

  auto app_id = app_param(params);
  if (!app_id) return app_id.error();
  if (*app_id != app) {
    return invalid("app_invalid", "app[id] " + *app_id + " is not the app of this API key",
                   "app[id]");
  }
  out.fields.app = app;

  auto channel = string_param(params, "channel", true);
  if (!channel) return channel.error();
  if (channel->empty() || channel->size() > 32) {
    return invalid("channel_invalid", "channel must be 1 to 32 characters", "channel");
  }
  c.channel = *channel;

  auto amount = params.find("amount");
  if (amount == params.end()) return missing("amount");
  auto fen = parse_fen(*amount, "amount");
  if (!fen) return fen.error();
  c.amount = *fen;

  auto order_no = string_param(params, "order_no", true);
  if (!order_no) return order_no.error();
  const auto [min_len, max_len] = order_no_bounds(c.channel);
  bool order_ok = order_no->size() >= min_len && order_no->size() <= max_len;
  for (char ch : *order_no)
    order_ok = order_ok && is_alnum(ch);
  if (!order_ok) {
    return invalid("order_no_invalid",
                   "order_no must be " + std::to_string(min_len) + " to " +
                       std::to_string(max_len) + " letters or digits for channel " + c.channel,
                   "order_no");
  }
  out.fields.order_no = *order_no;

  auto currency = string_param(params, "currency", true);
  if (!currency) return currency.error();
  if (*currency != "cny") {
    return invalid("currency_invalid", "currency must be \"cny\"", "currency");
  }

  auto subject = string_param(params, "subject", true);
  if (!subject) return subject.error();
  c.subject = *subject;
  auto body = string_param(params, "body", true);
  if (!body) return body.error();
  c.body = *body;

  auto client_ip = string_param(params, "client_ip", true);
  if (!client_ip) return client_ip.error();
  if (!is_client_ip(*client_ip)) {
    return invalid("client_ip_invalid", "client_ip must be an IPv4 or IPv6 address", "client_ip");
  }
  c.client_ip = *client_ip;

  if (auto it = params.find("extra"); it != params.end()) {
    if (!it->is_object()) return invalid("extra_invalid", "extra must be an object", "extra");
    c.extra = *it;
  }
  if (auto it = params.find("metadata"); it != params.end()) {
    if (auto st = check_metadata(*it); !st) return st.error();
    c.metadata = *it;
  }

  if (auto it = params.find("time_expire"); it != params.end()) {
    auto at = parse_fen(*it, "time_expire");
    if (!at || *at <= now || *at > now + kMaxExpirySeconds) {
      return invalid("time_expire_invalid",
                     "time_expire must be a Unix time in seconds after now and at most " +
                         std::to_string(kMaxExpirySeconds / 86400) + " days ahead",
                     "time_expire");
    }
    out.fields.time_expire = *at;
  }

  auto description = string_param(params, "description", false);
  if (!description) return description.error();
  if (utf8_chars(*description) > kMaxDescriptionChars || !is_clean_text(*description)) {
    return invalid("description_invalid",
                   "description must be at most " + std::to_string(kMaxDescriptionChars) +
                       " characters of UTF-8 text without control characters",
                   "description");
  }
  c.description = *description;
  return out;
}

}  // namespace payhost::host::api
