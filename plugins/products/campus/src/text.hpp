// Small text helpers shared by request and CSV parsing.
#pragma once

#include <string>
#include <string_view>

namespace payhost::campus {

// Without leading and trailing spaces, tabs and line breaks.
inline std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

}  // namespace payhost::campus
