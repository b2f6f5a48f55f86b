#include "input.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace payhost::wallet {
namespace {

bool looks_like_json(std::string_view body) {
  for (const char c : body) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
    return c == '{' || c == '[';
  }
  return false;
}

// Adds form pairs. Body pairs overwrite each other (the last wins, as in PHP); query
// pairs only fill fields the body did not set.
bool merge_form(sdk::Json& fields, const std::vector<std::pair<std::string, std::string>>& pairs,
                bool overwrite) {
  const sdk::Json before = overwrite ? sdk::Json::object() : fields;
  for (const auto& [key, value] : pairs) {
    if (!is_valid_utf8(key) || !is_valid_utf8(value)) return false;
    const std::string top = key.substr(0, key.find('['));
    if (top.empty() || before.contains(top)) continue;
    put_form_field(fields, key, value);
  }
  return true;
}

}  // namespace

const sdk::Json* Input::find(std::string_view name) const {
  auto it = fields.find(std::string(name));
  return it == fields.end() ? nullptr : &*it;
}

void put_form_field(sdk::Json& fields, std::string_view key, std::string value) {
  const auto open = key.find('[');
  if (open == std::string_view::npos) {
    fields[std::string(key)] = std::move(value);
    return;
  }
  const std::string top(key.substr(0, open));
  const auto close = key.find(']', open);
  if (top.empty() || close == std::string_view::npos) return;
  const std::string sub(key.substr(open + 1, close - open - 1));
  sdk::Json& parent = fields[top];
  if (!parent.is_object()) parent = sdk::Json::object();
  if (sub.empty()) return;  // "a[]=x" lists: no wallet field takes one
  parent[sub] = std::move(value);
}

Input read_input(const sdk::HttpRequest& request) {
  Input input;
  std::string content_type = request.header("Content-Type").value_or("");
  std::transform(content_type.begin(), content_type.end(), content_type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool json = content_type.find("json") != std::string::npos ||
                    (content_type.empty() && looks_like_json(request.body));
  if (json) {
    if (!request.body.empty()) {
      auto parsed = sdk::parse_json(request.body);
      if (parsed.is_discarded() || !parsed.is_object()) {
        input.malformed = true;
      } else {
        input.fields = std::move(parsed);
      }
    }
  } else if (!request.body.empty()) {
    input.malformed = !merge_form(input.fields, sdk::parse_form(request.body), true);
  }
  if (!input.malformed)
    input.malformed = !merge_form(input.fields, sdk::parse_form(request.raw_query), false);
  return input;
}

bool is_valid_utf8(std::string_view text) noexcept {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      extra = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      extra = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= text.size()) return false;
    for (std::size_t k = 1; k <= extra; ++k) {
      const auto cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

std::optional<std::int64_t> parse_int64(std::string_view text) noexcept {
  bool negative = false;
  if (!text.empty() && text.front() == '-') {
    negative = true;
    text.remove_prefix(1);
  }
  // 18 digits always fit: no overflow checks needed.
  if (text.empty() || text.size() > 18) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return negative ? -value : value;
}

std::optional<std::int64_t> parse_positive_id(std::string_view text) noexcept {
  if (!text.empty() && text.front() == '-') return std::nullopt;
  const auto value = parse_int64(text);
  if (!value || *value < 1) return std::nullopt;
  return value;
}

std::optional<std::int64_t> caller_id(const sdk::HttpRequest& request) {
  if (!request.principal) return std::nullopt;
  const std::string& subject = request.principal->user_id;
  if (!subject.empty() && subject.front() == '0') return std::nullopt;
  return parse_positive_id(subject);
}

}  // namespace payhost::wallet
