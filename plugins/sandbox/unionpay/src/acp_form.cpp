#include "acp_form.hpp"

#include "payhost/sdk/encoding.hpp"

namespace payhost::sandbox_unionpay {
namespace {

sdk::Error format_error(std::string message) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "10", std::move(message));
}

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok =
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned long code = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      length = 2;
      code = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      length = 3;
      code = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code = (code << 6) | (next & 0x3F);
    }
    if ((length == 3 && code < 0x800) || (length == 4 && code < 0x10000) || code > 0x10FFFF ||
        (code >= 0xD800 && code <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

sdk::Result<Fields> parse_request_form(std::string_view body) {
  if (body.size() > kMaxFormBytes) {
    return format_error("the body is larger than " + std::to_string(kMaxFormBytes) + " bytes");
  }
  if (body.empty()) return format_error("the body is empty");
  Fields out;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view piece = body.substr(start, end - start);
    start = end + 1;
    const std::size_t equals = piece.find('=');
    if (equals == std::string_view::npos) {
      return format_error("a form piece has no '=' (empty pieces are refused too)");
    }
    auto name = sdk::url_decode(piece.substr(0, equals), true);
    auto value = sdk::url_decode(piece.substr(equals + 1), true);
    if (!name || !value) return format_error("a form piece holds a malformed percent escape");
    if (!valid_name(*name)) {
      return format_error("field names are 1-64 of [A-Za-z0-9_]");
    }
    if (!valid_utf8(*value)) return format_error(*name + " is not UTF-8");
    for (char c : *value) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x20 || u == 0x7F) return format_error(*name + " holds a control character");
      if (c == '&') return format_error(*name + " holds '&', which the signed string cannot");
    }
    if (out.count(*name) != 0) return format_error(*name + " is repeated");
    if (out.size() == kMaxFormFields) {
      return format_error("more than " + std::to_string(kMaxFormFields) + " fields");
    }
    out.emplace(std::move(*name), std::move(*value));
    if (end == body.size()) break;
  }
  return out;
}

std::string raw_answer(const Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::optional<Fields> parse_raw_answer(std::string_view body) {
  Fields out;
  int depth = 0;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    const char c = i < body.size() ? body[i] : '&';
    if (c == '{' || c == '[') ++depth;
    if ((c == '}' || c == ']') && depth > 0) --depth;
    if (c != '&' || (depth > 0 && i < body.size())) continue;
    const std::string_view piece = body.substr(start, i - start);
    start = i + 1;
    const std::size_t equals = piece.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const std::string name(piece.substr(0, equals));
    if (!out.emplace(name, std::string(piece.substr(equals + 1))).second) return std::nullopt;
  }
  return out;
}

}  // namespace payhost::sandbox_unionpay
