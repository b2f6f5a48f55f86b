// Who may read GET /metrics: clients at the listed addresses (loopback by default), and
// anyone presenting the configured bearer token.
#pragma once

#include <netinet/in.h>

#include <optional>
#include <string>
#include <vector>

#include "payhost/sdk/http.hpp"

namespace payhost::host {

// An IPv4 or IPv6 address as 16 bytes (IPv4 as ::ffff:a.b.c.d), or nothing if `text` is
// not an address.
std::optional<in6_addr> parse_ip_address(const std::string& text);

class MetricsAccess {
 public:
  // `allowed` must hold addresses only (the config checks them).
  MetricsAccess(std::string token, const std::vector<std::string>& allowed);

  // The refusal to answer, or nothing when the request may read the metrics.
  std::optional<sdk::HttpResponse> refusal(const sdk::HttpRequest& request) const;

 private:
  std::string token_;
  std::vector<in6_addr> allowed_;
};

}  // namespace payhost::host
