#include "authorization.hpp"

#include <array>

namespace payhost::sandbox_wechat {
namespace {

sdk::Error refused(std::string message) {
  return sdk::make_error(sdk::ErrorKind::unauthorized, "SIGN_ERROR", std::move(message),
                         "Authorization");
}

bool value_char(char c) {
  return c != '"' && c != '\\' && static_cast<unsigned char>(c) >= 0x20 && c != 0x7F;
}

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}

}  // namespace

sdk::Result<Authorization> parse_authorization(std::string_view header) {
  if (header.size() > 4096) return refused("Authorization header too long");
  if (header.substr(0, kAuthScheme.size()) != kAuthScheme || header.size() <= kAuthScheme.size() ||
      header[kAuthScheme.size()] != ' ') {
    return refused("Authorization must start with \"WECHATPAY2-SHA256-RSA2048 \"");
  }
  Authorization out;
  struct Slot {
    std::string_view name;
    std::string* value;
    bool seen = false;
  };
  std::array<Slot, 5> slots = {Slot{"mchid", &out.mchid}, Slot{"nonce_str", &out.nonce_str},
                               Slot{"timestamp", &out.timestamp}, Slot{"serial_no", &out.serial_no},
                               Slot{"signature", &out.signature}};
  std::size_t pos = kAuthScheme.size() + 1;
  while (true) {
    const std::size_t name_start = pos;
    while (pos < header.size() && name_char(header[pos]))
      ++pos;
    const std::string_view name = header.substr(name_start, pos - name_start);
    if (name.empty() || pos + 1 >= header.size() || header[pos] != '=' || header[pos + 1] != '"') {
      return refused("Authorization parameters must be name=\"value\" pairs");
    }
    pos += 2;
    const std::size_t value_start = pos;
    while (pos < header.size() && value_char(header[pos]))
      ++pos;
    if (pos >= header.size() || header[pos] != '"') {
      return refused("Authorization parameter " + std::string(name) + " has no closing quote");
    }
    const std::string_view value = header.substr(value_start, pos - value_start);
    ++pos;
    Slot* slot = nullptr;
    for (auto& s : slots) {
      if (s.name == name) slot = &s;
    }
    if (slot == nullptr) {
      return refused("Authorization has an unknown parameter " + std::string(name));
    }
    if (slot->seen) return refused("Authorization repeats " + std::string(name));
    slot->seen = true;
    slot->value->assign(value);
    if (pos == header.size()) break;
    if (header[pos] != ',') return refused("Authorization pairs must be separated by ','");
    ++pos;
    while (pos < header.size() && header[pos] == ' ')
      ++pos;
  }
  for (const auto& s : slots) {
    if (!s.seen) return refused("Authorization lacks " + std::string(s.name));
    if (s.value->empty()) return refused("Authorization " + std::string(s.name) + " is empty");
  }
  if (out.nonce_str.size() > 64) return refused("Authorization nonce_str longer than 64");
  return out;
}

std::string signed_url(const sdk::HttpRequest& request) {
  if (request.raw_query.empty()) return request.path;
  return request.path + "?" + request.raw_query;
}

std::string request_message(std::string_view method, std::string_view url,
                            std::string_view timestamp, std::string_view nonce,
                            std::string_view body) {
  std::string out;
  out.reserve(method.size() + url.size() + timestamp.size() + nonce.size() + body.size() + 5);
  out.append(method).append("\n");
  out.append(url).append("\n");
  out.append(timestamp).append("\n");
  out.append(nonce).append("\n");
  out.append(body).append("\n");
  return out;
}

std::string answer_message(std::string_view timestamp, std::string_view nonce,
                           std::string_view body) {
  std::string out;
  out.reserve(timestamp.size() + nonce.size() + body.size() + 3);
  out.append(timestamp).append("\n");
  out.append(nonce).append("\n");
  out.append(body).append("\n");
  return out;
}

std::optional<std::int64_t> parse_timestamp(std::string_view text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace payhost::sandbox_wechat
