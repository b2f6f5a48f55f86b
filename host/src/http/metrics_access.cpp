#include "http/metrics_access.hpp"

#include "http/ip_address.hpp"
#include "http/json_error.hpp"
#include "http/jwt.hpp"
#include "payhost/sdk/crypto.hpp"

namespace payhost::host {

MetricsAccess::MetricsAccess(std::string token, const std::vector<std::string>& allowed)
    : token_(std::move(token)) {
  for (const auto& text : allowed) {
    if (auto range = parse_ip_range(text)) allowed_.push_back(*range);
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
    for (const auto& range : allowed_) {
      if (range.contains(*client)) return std::nullopt;
    }
  }
  if (!token_.empty()) return json_error(401, "Unauthenticated.");
  return json_error(403, "This action is unauthorized.");
}

}  // namespace payhost::host
