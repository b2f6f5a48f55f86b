#include "web_url.hpp"

#include <cstddef>

namespace payhost::cashier {
namespace {

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return false;
  }
  return true;
}

}  // namespace

bool is_absolute_web_url(std::string_view url) {
  if (url.size() > 4096) return false;
  std::size_t rest = 0;
  if (starts_with_ignoring_case(url, "https://")) {
    rest = 8;
  } else if (starts_with_ignoring_case(url, "http://")) {
    rest = 7;
  } else {
    return false;
  }
  if (rest >= url.size() || url[rest] == '/' || url[rest] == '?' || url[rest] == '#') {
    return false;  // no host
  }
  for (const char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c >= 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '\\' ||
        c == '`') {
      return false;
    }
  }
  return true;
}

}  // namespace payhost::cashier
