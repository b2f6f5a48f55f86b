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

// An address, or a CIDR range of them.
struct IpRange {
  in6_addr base{};        // no bit set past prefix_bits
  int prefix_bits = 128;  // of the 16-byte form: an IPv4 /n is 96 + n
  bool contains(const in6_addr& address) const noexcept;
};

// "203.0.113.7", "10.0.0.0/8", "2001:db8::1", "fd00::/8"; nothing for anything else,
// including a range with bits set past its prefix ("10.1.0.0/8"), which is not the range it
// seems to name.
std::optional<IpRange> parse_ip_range(const std::string& text);

}  // namespace payhost::host
