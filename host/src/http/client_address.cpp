#include "http/client_address.hpp"

#include <strings.h>

#include <string_view>

#include "http/ip_address.hpp"
#include "text/http_whitespace.hpp"

namespace payhost::host {

namespace {

// Every X-Forwarded-For entry, in order, over all headers of that name.
std::vector<std::string_view> forwarded_entries(const sdk::Headers& headers) {
  std::vector<std::string_view> entries;
  for (const auto& [name, value] : headers.all()) {
    if (strcasecmp(name.c_str(), "X-Forwarded-For") != 0) continue;
    std::string_view rest = value;
    for (;;) {
      const auto comma = rest.find(',');
      entries.push_back(trim_ows(rest.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
  return entries;
}

}  // namespace

ClientAddress::ClientAddress(const std::vector<std::string>& trusted_proxies) {
  for (const auto& text : trusted_proxies) {
    if (auto range = parse_ip_range(text)) trusted_.push_back(*range);
  }
}

bool ClientAddress::trusted(const in6_addr& address) const noexcept {
  for (const auto& proxies : trusted_) {
    if (proxies.contains(address)) return true;
  }
  return false;
}

std::string ClientAddress::of(const std::string& peer, const sdk::Headers& headers) const {
  if (trusted_.empty()) return peer;
  const auto peer_address = parse_ip_address(peer);
  if (!peer_address || !trusted(*peer_address)) return peer;
  std::string client = ip_address_text(*peer_address);
  const auto entries = forwarded_entries(headers);
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    const auto address = parse_ip_address(std::string(*it));
    if (!address) break;
    client = ip_address_text(*address);
    if (!trusted(*address)) break;
  }
  return client;
}

}  // namespace payhost::host
