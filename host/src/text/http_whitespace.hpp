// HTTP's optional whitespace (RFC 9110 "OWS": spaces and tabs) around header values and list
// elements.
#pragma once

#include <string_view>

namespace payhost::host {

inline std::string_view trim_ows(std::string_view v) noexcept {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
    v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t'))
    v.remove_suffix(1);
  return v;
}

}  // namespace payhost::host
