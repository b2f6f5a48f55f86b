// Who may read GET /metrics: clients at the listed addresses or ranges (loopback by default), and
// anyone presenting the configured bearer token.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "http/ip_address.hpp"
#include "payhost/sdk/http.hpp"

namespace payhost::host {

class MetricsAccess {
 public:
  // `allowed`: addresses and CIDR ranges (the config checks them).
  MetricsAccess(std::string token, const std::vector<std::string>& allowed);

  // The refusal to answer, or nothing when the request may read the metrics.
  std::optional<sdk::HttpResponse> refusal(const sdk::HttpRequest& request) const;

 private:
  std::string token_;
  std::vector<IpRange> allowed_;
};

}  // namespace payhost::host
