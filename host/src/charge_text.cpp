#include "charge_text.hpp"

#include <algorithm>

namespace payhost::host {

using sdk::ErrorKind;

namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 if it is not one (overlong
// forms, surrogates and code points past U+10FFFF included).
std::size_t utf8_sequence(std::string_view text, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t n = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  if (lead >= 0xC2 && lead <= 0xDF) {
    n = 2;
    cp = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    n = 3;
    cp = lead & 0x0F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    n = 4;
    cp = lead & 0x07;
  } else {
    return 0;
  }
  if (i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  const char32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  code_point = cp;
  return n;
}

bool is_control(char32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029;
}

std::string hex(char32_t cp) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out = "U+";
  for (int shift = cp > 0xFFFF ? 20 : 12; shift >= 0; shift -= 4)
    out += kDigits[(cp >> shift) & 0xF];
  return out;
}

sdk::Error invalid(std::string code, std::string message, std::string param) {
  return sdk::make_error(ErrorKind::invalid_request, std::move(code), std::move(message),
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
    const std::size_t n = utf8_sequence(text, i, cp);
    if (n == 0) return "not valid UTF-8";
    if (cp == '&' || cp == '=') {
      return std::string("must not contain '") + static_cast<char>(cp) + "'";
    }
    if (is_control(cp)) return "must not contain the control character " + hex(cp);
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
    return invalid("forbidden_characters", "subject " + *problem, "subject");
  }
  if (auto problem = free_text_problem(body)) {
    return invalid("forbidden_characters", "body " + *problem, "body");
  }
  if (!extra.is_object()) return {};
  for (const auto& [name, value] : extra.items()) {
    const std::string param = "extra." + name;
    if (auto problem = free_text_problem(name)) {
      return invalid("extra_invalid", "extra names " + *problem, "extra");
    }
    if (is_url_extra(name)) {
      if (value.is_null() || value == "") continue;  // absent, as channels read it
      if (!value.is_string()) return invalid("extra_invalid", param + " must be a string", param);
      if (auto problem = url_problem(value.get_ref<const std::string&>())) {
        return invalid("extra_invalid", param + " " + *problem, param);
      }
      continue;
    }
    if (auto problem = nested_text_problem(value)) {
      return invalid("extra_invalid", param + " " + *problem, param);
    }
  }
  return {};
}

}  // namespace payhost::host
