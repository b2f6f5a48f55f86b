// The address a request comes from. Without `server.trusted_proxies`, the TCP peer. When
// the peer is one of those proxies, the right-most X-Forwarded-For entry that is not: each
// proxy appends the address it was reached from, so that entry is the last one a trusted
// proxy wrote, and anything left of it is whatever the client sent.
#pragma once

#include <netinet/in.h>

#include <string>
#include <vector>

#include "http/ip_address.hpp"
#include "payhost/sdk/http.hpp"

namespace payhost::host {

class ClientAddress {
 public:
  // `trusted_proxies`: addresses and CIDR ranges (the config checks them).
  explicit ClientAddress(const std::vector<std::string>& trusted_proxies);

  // `peer` as the listener gave it. A malformed entry ends the walk at the trusted hop to
  // its right; an entry found is returned in ip_address_text's spelling.
  std::string of(const std::string& peer, const sdk::Headers& headers) const;

 private:
  bool trusted(const in6_addr& address) const noexcept;
  std::vector<IpRange> trusted_;
};

}  // namespace payhost::host
