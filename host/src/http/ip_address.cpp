#include "http/ip_address.hpp"

#include <arpa/inet.h>

#include <cstring>

namespace payhost::host {

namespace {

bool is_v4_mapped(const in6_addr& address) noexcept {
  static constexpr unsigned char kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(address.s6_addr, kPrefix, sizeof kPrefix) == 0;
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

bool same_ip_address(const in6_addr& a, const in6_addr& b) noexcept {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

}  // namespace payhost::host
