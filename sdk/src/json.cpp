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

}  // namespace

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
