// IP addresses as 16 bytes (IPv4 as ::ffff:a.b.c.d), parsed from and written as text.
#pragma once

#include <netinet/in.h>

#include <optional>
#include <string>

namespace payhost::host {

// Nothing if `text` is not an IPv4 or IPv6 address.
std::optional<in6_addr> parse_ip_address(const std::string& text);

// One spelling per address (inet_ntop's; IPv4 and IPv4-mapped as dotted quads), so that
// what counts per address cannot be split by writing one address several ways.
std::string ip_address_text(const in6_addr& address);

bool same_ip_address(const in6_addr& a, const in6_addr& b) noexcept;

}  // namespace payhost::host
