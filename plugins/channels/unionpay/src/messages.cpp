#include "messages.hpp"

#include <algorithm>

#include "payhost/sdk/encoding.hpp"

namespace payhost::unionpay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

constexpr std::size_t kMaxShortText = 200;

sdk::Error malformed(std::string code, std::string message) {
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message));
}

bool is_name_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

// Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned min = 0;
    unsigned cp = 0;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

// '&' may appear in a value only inside a balanced {...} or [...]; an unbalanced brace
// would make the sender's split and ours disagree.
bool splits_one_way(std::string_view value) {
  int depth = 0;
  for (const char c : value) {
    if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth < 0) return false;
    } else if (c == '&' && depth == 0) {
      return false;
    }
  }
  return depth == 0;
}

sdk::Status check_pair(const Fields& fields, std::string_view name, std::string_view value) {
  if (name.empty() || name.size() > kMaxNameBytes ||
      !std::all_of(name.begin(), name.end(), is_name_char)) {
    return malformed("invalid_field_name",
                     "a field name must be 1-64 of [A-Za-z0-9_]: \"" + short_text(name) + "\"");
  }
  for (const auto& [existing, unused] : fields) {
    if (existing == name) {
      return malformed("duplicate_field", "field " + std::string(name) + " appears twice");
    }
  }
  if (value.size() > kMaxValueBytes) {
    return malformed("value_too_large", "field " + std::string(name) + " holds " +
                                            std::to_string(value.size()) + " bytes (limit 16384)");
  }
  if (!is_utf8(value)) {
    return malformed("invalid_utf8", "field " + std::string(name) + " is not UTF-8");
  }
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\r' && c != '\n' && c != '\t') || u == 0x7f) {
      return malformed("control_character",
                       "field " + std::string(name) + " holds a control character");
    }
  }
  if (!splits_one_way(value)) {
    return malformed(
        "ambiguous_value",
        "field " + std::string(name) + " holds '&' or an unbalanced brace outside {...}/[...]");
  }
  return {};
}

sdk::Status check_size(std::string_view body) {
  if (body.size() > kMaxMessageBytes) {
    return malformed("message_too_large",
                     "a message of " + std::to_string(body.size()) + " bytes (limit 65536)");
  }
  if (body.empty()) return malformed("malformed_message", "an empty message");
  return {};
}

sdk::Status add(Fields& fields, std::string name, std::string value) {
  if (fields.size() == kMaxFields) {
    return malformed("too_many_fields", "more than 100 fields");
  }
  if (auto st = check_pair(fields, name, value); !st) return st;
  fields.emplace_back(std::move(name), std::move(value));
  return {};
}

}  // namespace

sdk::Result<Fields> parse_sync_answer(std::string_view body) {
  if (auto st = check_size(body); !st) return st.error();
  Fields fields;
  std::size_t start = 0;
  int depth = 0;
  for (std::size_t i = 0; i <= body.size(); ++i) {
    const bool end = i == body.size();
    if (!end) {
      const char c = body[i];
      if (c == '{' || c == '[') {
        ++depth;
        continue;
      }
      if (c == '}' || c == ']') {
        if (--depth < 0) return malformed("malformed_message", "an unbalanced '}' or ']'");
        continue;
      }
      if (c != '&' || depth > 0) continue;
    } else if (depth != 0) {
      return malformed("malformed_message", "an unclosed '{' or '['");
    }
    const std::string_view pair = body.substr(start, i - start);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return malformed("malformed_message",
                       "a parameter without '=': \"" + short_text(pair) + "\"");
    }
    if (auto st = add(fields, std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
        !st) {
      return st.error();
    }
    start = i + 1;
  }
  return fields;
}

sdk::Result<Fields> parse_notification_form(std::string_view body) {
  if (auto st = check_size(body); !st) return st.error();
  Fields fields;
  std::size_t start = 0;
  while (start <= body.size()) {
    auto amp = body.find('&', start);
    if (amp == std::string_view::npos) amp = body.size();
    const std::string_view pair = body.substr(start, amp - start);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos) {
      return malformed("malformed_message", "a form parameter without '='");
    }
    auto name = sdk::url_decode(pair.substr(0, eq), true);
    auto value = sdk::url_decode(pair.substr(eq + 1), true);
    if (!name || !value) return malformed("malformed_escape", "a malformed %-escape");
    if (auto st = add(fields, std::move(*name), std::move(*value)); !st) return st.error();
    start = amp + 1;
  }
  return fields;
}

std::string form_body(const Fields& fields) {
  return sdk::form_encode(fields);
}

std::optional<std::string> field(const Fields& fields, std::string_view name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string field_or_empty(const Fields& fields, std::string_view name) {
  auto v = field(fields, name);
  return v ? std::move(*v) : std::string();
}

std::string short_text(std::string_view text) {
  std::string out;
  out.reserve(std::min(text.size(), kMaxShortText));
  for (const char c : text) {
    if (out.size() == kMaxShortText) break;
    const auto u = static_cast<unsigned char>(c);
    out.push_back(u < 0x20 || u == 0x7f ? ' ' : c);
  }
  if (out.size() < text.size()) {
    // Drop a trailing partial UTF-8 sequence (continuation bytes and their lead byte).
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
      out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0) out.pop_back();
  }
  return out;
}

}  // namespace payhost::unionpay
