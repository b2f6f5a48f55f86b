#include "http/metrics_access.hpp"

#include <arpa/inet.h>

#include <cstring>

#include "http/json_error.hpp"
#include "http/jwt.hpp"
#include "payhost/sdk/crypto.hpp"

namespace payhost::host {

std::optional<in6_addr> parse_ip_address(const std::string& text) {
  in6_addr address{};
  if (inet_pton(AF_INET6, text.c_str(), &address) == 1) return address;
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) != 1) return std::nullopt;
  address.s6_addr[10] = 0xff;
  address.s6_addr[11] = 0xff;
  std::memcpy(&address.s6_addr[12], &v4, sizeof v4);
  return address;
}

MetricsAccess::MetricsAccess(std::string token, const std::vector<std::string>& allowed)
    : token_(std::move(token)) {
  for (const auto& text : allowed) {
    if (auto address = parse_ip_address(text)) allowed_.push_back(*address);
  }
}

std::optional<sdk::HttpResponse> MetricsAccess::refusal(const sdk::HttpRequest& request) const {
  if (!token_.empty()) {
    const std::string presented = bearer_token(request);
    if (!presented.empty()) {
      if (sdk::crypto::constant_time_equals(presented, token_)) return std::nullopt;
      return json_error(401, "Unauthenticated.");
    }
  }
  if (const auto client = parse_ip_address(request.client_ip)) {
    for (const auto& address : allowed_) {
      if (std::memcmp(&address, &*client, sizeof address) == 0) return std::nullopt;
    }
  }
  if (!token_.empty()) return json_error(401, "Unauthenticated.");
  return json_error(403, "This action is unauthorized.");
}

}  // namespace payhost::host
