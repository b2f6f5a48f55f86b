#include "charges/charge_text.hpp"

#include <algorithm>

#include "payhost/sdk/charge_errors.hpp"
#include "text/utf8_text.hpp"

namespace payhost::host {

using sdk::ErrorKind;

namespace {

std::string hex(char32_t cp) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out = "U+";
  for (int shift = cp > 0xFFFF ? 20 : 12; shift >= 0; shift -= 4)
    out += kDigits[(cp >> shift) & 0xF];
  return out;
}

sdk::Error invalid(std::string_view code, std::string message, std::string param) {
  return sdk::make_error(ErrorKind::invalid_request, std::string(code), std::move(message),
                         std::move(param));
}

// Free text anywhere inside a (nested) extra value.
std::optional<std::string> nested_text_problem(const sdk::Json& value) {
  if (value.is_string()) return free_text_problem(value.get_ref<const std::string&>());
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      if (auto problem = free_text_problem(key)) return "a key: " + *problem;
      if (auto problem = nested_text_problem(item)) return problem;
    }
  }
  if (value.is_array()) {
    for (const auto& item : value) {
      if (auto problem = nested_text_problem(item)) return problem;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> free_text_problem(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(text, i, cp);
    if (n == 0) return "not valid UTF-8";
    if (cp == '&' || cp == '=') {
      return std::string("must not contain '") + static_cast<char>(cp) + "'";
    }
    if (is_control_character(cp)) return "must not contain the control character " + hex(cp);
    i += n;
  }
  return std::nullopt;
}

std::optional<std::string> url_problem(std::string_view url) {
  if (url.size() > kMaxExtraUrlBytes) {
    return "longer than " + std::to_string(kMaxExtraUrlBytes) + " bytes";
  }
  const auto bad = std::find_if(url.begin(), url.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b <= 0x20 || b >= 0x7F || c == '"' || c == '<' || c == '>' || c == '\\';
  });
  if (bad != url.end()) {
    return "must not contain spaces, controls, non-ASCII bytes (percent-encode them), '\"', "
           "'<', '>' or '\\'";
  }
  const auto colon = url.find("://");
  std::string scheme(url.substr(0, colon == std::string_view::npos ? 0 : colon));
  std::transform(scheme.begin(), scheme.end(), scheme.begin(),
                 [](unsigned char c) { return static_cast<char>(c | 0x20); });
  if (scheme != "http" && scheme != "https") return "must be an absolute http:// or https:// URL";
  const std::string_view rest = url.substr(colon + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    authority = authority.substr(at + 1);
  }
  if (authority.empty() || authority.front() == ':') return "must name a host";
  return std::nullopt;
}

bool is_url_extra(std::string_view name) {
  return name.ends_with("_url");
}

sdk::Status check_charge_text(std::string_view subject, std::string_view body,
                              const sdk::Json& extra) {
  if (auto problem = free_text_problem(subject)) {
    return invalid(sdk::charge_errors::forbidden_characters, "subject " + *problem, "subject");
  }
  if (auto problem = free_text_problem(body)) {
    return invalid(sdk::charge_errors::forbidden_characters, "body " + *problem, "body");
  }
  if (!extra.is_object()) return {};
  for (const auto& [name, value] : extra.items()) {
    const std::string param = "extra." + name;
    if (auto problem = free_text_problem(name)) {
      return invalid(sdk::charge_errors::extra_invalid, "extra names " + *problem, "extra");
    }
    if (is_url_extra(name)) {
      if (value.is_null() || value == "") continue;  // absent, as channels read it
      if (!value.is_string())
        return invalid(sdk::charge_errors::extra_invalid, param + " must be a string", param);
      if (auto problem = url_problem(value.get_ref<const std::string&>())) {
        return invalid(sdk::charge_errors::extra_invalid, param + " " + *problem, param);
      }
      continue;
    }
    if (auto problem = nested_text_problem(value)) {
      return invalid(sdk::charge_errors::extra_invalid, param + " " + *problem, param);
    }
  }
  return {};
}

}  // namespace payhost::host
