#include "payhost/sdk/json.hpp"

#include <algorithm>
#include <charconv>

namespace payhost::sdk {
namespace {

constexpr auto kReplaceInvalid = Json::error_handler_t::replace;

bool needs_escaping(unsigned char ch) {
  return ch < 0x20 || ch >= 0x7f || ch == '"' || ch == '\\';
}

template <class Int>
void append_integer(std::string& out, Int v) {
  char digits[24];
  const auto end = std::to_chars(digits, digits + sizeof digits, v).ptr;
  out.append(digits, end);
}

// The deepest nesting of `[` and `{` outside strings. Counts on text that may not be JSON
// at all: it only has to bound the depth before the parser sees it.
int nesting_depth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // whatever is escaped, it neither opens nor closes anything
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;  // never below zero: stray closers up front must not hide what follows
    }
  }
  return deepest;
}

}  // namespace

Json parse_json(std::string_view text) {
  if (nesting_depth(text) > kMaxJsonDepth) return Json(Json::value_t::discarded);
  return Json::parse(text, nullptr, /*allow_exceptions=*/false);
}

void append_json_string(std::string& out, std::string_view s) {
  if (std::none_of(s.begin(), s.end(), [](char ch) { return needs_escaping(ch); })) {
    out += '"';
    out += s;
    out += '"';
  } else {
    // Escapes and UTF-8 (valid or not) are nlohmann's to write, so the bytes stay its bytes.
    out += Json(std::string(s)).dump(-1, ' ', false, kReplaceInvalid);
  }
}

void append_json(std::string& out, const Json& j) {
  switch (j.type()) {
    case Json::value_t::object: {
      out += '{';
      bool first = true;
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (!first) out += ',';
        first = false;
        append_json_string(out, it.key());
        out += ':';
        append_json(out, it.value());
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& value : j) {
        if (!first) out += ',';
        first = false;
        append_json(out, value);
      }
      out += ']';
      return;
    }
    case Json::value_t::string:
      append_json_string(out, j.get_ref<const std::string&>());
      return;
    case Json::value_t::number_integer:
      append_integer(out, j.get<std::int64_t>());
      return;
    case Json::value_t::number_unsigned:
      append_integer(out, j.get<std::uint64_t>());
      return;
    case Json::value_t::boolean:
      out += j.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::null:
      out += "null";
      return;
    default:  // floats, binary, discarded: rare here, and their formatting is nlohmann's
      out += j.dump(-1, ' ', false, kReplaceInvalid);
      return;
  }
}

std::string json_dump(const Json& j) {
  std::string out;
  append_json(out, j);
  return out;
}

}  // namespace payhost::sdk
