#include "http/ip_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace payhost::host {

namespace {

bool is_v4_mapped(const in6_addr& address) noexcept {
  static constexpr unsigned char kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(address.s6_addr, kPrefix, sizeof kPrefix) == 0;
}

// The bits of byte `byte` (0..15) that a /prefix_bits range fixes.
unsigned char prefix_mask(int prefix_bits, int byte) noexcept {
  const int bits = std::clamp(prefix_bits - byte * 8, 0, 8);
  return static_cast<unsigned char>(0xff00u >> bits);
}

}  // namespace

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

std::string ip_address_text(const in6_addr& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (is_v4_mapped(address)) {
    in_addr v4{};
    std::memcpy(&v4, &address.s6_addr[12], sizeof v4);
    inet_ntop(AF_INET, &v4, text, sizeof text);
  } else {
    inet_ntop(AF_INET6, &address, text, sizeof text);
  }
  return text;
}

bool IpRange::contains(const in6_addr& address) const noexcept {
  for (int byte = 0; byte < 16; ++byte) {
    if ((address.s6_addr[byte] & prefix_mask(prefix_bits, byte)) != base.s6_addr[byte])
      return false;
  }
  return true;
}

std::optional<IpRange> parse_ip_range(const std::string& text) {
  const auto slash = text.find('/');
  const auto address = parse_ip_address(text.substr(0, slash));
  if (!address) return std::nullopt;
  IpRange range{*address, 128};
  if (slash == std::string::npos) return range;
  const std::string digits = text.substr(slash + 1);
  if (digits.empty() || digits.size() > 3 || (digits.size() > 1 && digits[0] == '0') ||
      digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const int bits = std::stoi(digits);
  const bool v4 = text.find(':') == std::string::npos;
  if (bits > (v4 ? 32 : 128)) return std::nullopt;
  range.prefix_bits = v4 ? 96 + bits : bits;
  for (int byte = 0; byte < 16; ++byte) {
    if (range.base.s6_addr[byte] &
        static_cast<unsigned char>(~prefix_mask(range.prefix_bits, byte)))
      return std::nullopt;  // a bit past the prefix
  }
  return range;
}

}  // namespace payhost::host
