#include "webhooks/endpoint_text.hpp"

#include "text/printable_text.hpp"

namespace payhost::host::webhooks {

std::string endpoint_for_log(const std::string& url) {
  std::string shown = url.substr(0, url.find_first_of("?#"));
  const auto scheme_end = shown.find("://");
  if (scheme_end != std::string::npos) {
    const auto authority = scheme_end + 3;
    const auto path = shown.find('/', authority);
    const auto at = shown.rfind('@', path == std::string::npos ? std::string::npos : path);
    if (at != std::string::npos && at >= authority) shown.erase(authority, at + 1 - authority);
  }
  return printable_line(shown, 300);
}

}  // namespace payhost::host::webhooks
