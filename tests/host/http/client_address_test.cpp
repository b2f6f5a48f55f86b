// Which address a request comes from, with and without trusted proxies.
#include "http/client_address.hpp"

#include <gtest/gtest.h>

#include "http/ip_address.hpp"

namespace payhost::host {
namespace {

sdk::Headers forwarded(std::initializer_list<const char*> values) {
  sdk::Headers headers;
  for (const char* v : values)
    headers.add("X-Forwarded-For", v);
  return headers;
}

TEST(ClientAddress, WithoutTrustedProxiesThePeerWhateverTheHeaderSays) {
  const ClientAddress none({});
  EXPECT_EQ(none.of("127.0.0.1", forwarded({"203.0.113.7"})), "127.0.0.1");
}

TEST(ClientAddress, AnUntrustedPeerIsTheClient) {
  const ClientAddress proxies({"10.0.0.1"});
  EXPECT_EQ(proxies.of("198.51.100.4", forwarded({"203.0.113.7"})), "198.51.100.4");
}

TEST(ClientAddress, TheRightMostEntryNoTrustedProxyWrote) {
  const ClientAddress proxies({"10.0.0.1", "10.0.0.2"});
  // The client wrote "1.2.3.4" itself; the outer proxy appended the client's address.
  EXPECT_EQ(proxies.of("10.0.0.1", forwarded({"1.2.3.4, 203.0.113.7"})), "203.0.113.7");
  // Two trusted hops, over two headers.
  EXPECT_EQ(proxies.of("10.0.0.1", forwarded({"1.2.3.4, 203.0.113.7", " 10.0.0.2 "})),
            "203.0.113.7");
  EXPECT_EQ(proxies.of("10.0.0.1", sdk::Headers{}), "10.0.0.1");  // no header: the proxy
  // Only trusted hops: the left-most of them.
  EXPECT_EQ(proxies.of("10.0.0.1", forwarded({"10.0.0.2"})), "10.0.0.2");
}

TEST(ClientAddress, AMalformedEntryStopsAtTheTrustedHopToItsRight) {
  const ClientAddress proxies({"10.0.0.1", "10.0.0.2"});
  EXPECT_EQ(proxies.of("10.0.0.1", forwarded({"203.0.113.7, unknown"})), "10.0.0.1");
  EXPECT_EQ(proxies.of("10.0.0.1", forwarded({"203.0.113.7, 10.0.0.2, 1.2.3.4:80"})), "10.0.0.1");
  EXPECT_EQ(proxies.of("10.0.0.1", forwarded({"bad, 10.0.0.2"})), "10.0.0.2");
  EXPECT_EQ(proxies.of("10.0.0.1", forwarded({""})), "10.0.0.1");
  EXPECT_EQ(proxies.of("10.0.0.1", forwarded({"203.0.113.7\r\nX: y"})), "10.0.0.1");
}

TEST(ClientAddress, OneSpellingPerAddress) {
  const ClientAddress proxies({"::1"});
  EXPECT_EQ(proxies.of("::1", forwarded({"2001:0DB8:0000::0001"})), "2001:db8::1");
  EXPECT_EQ(proxies.of("::1", forwarded({"::ffff:203.0.113.7"})), "203.0.113.7");
  // The peer as the listener spells it is trusted in any spelling of the list.
  EXPECT_EQ(ClientAddress({"0:0:0:0:0:0:0:1"}).of("::1", forwarded({"203.0.113.7"})),
            "203.0.113.7");
}

TEST(ClientAddress, TrustedRanges) {
  const ClientAddress proxies({"10.0.0.0/8", "fd00::/8"});
  EXPECT_EQ(proxies.of("10.42.7.1", forwarded({"203.0.113.7, 10.9.9.9"})), "203.0.113.7");
  EXPECT_EQ(proxies.of("fd12::5", forwarded({"2001:db8::7"})), "2001:db8::7");
  EXPECT_EQ(proxies.of("11.0.0.1", forwarded({"203.0.113.7"})), "11.0.0.1");
}

TEST(IpRange, ParsesRangesAndAddresses) {
  const auto in = [](const char* range, const char* address) {
    return parse_ip_range(range)->contains(*parse_ip_address(address));
  };
  EXPECT_TRUE(in("10.0.0.0/8", "10.255.1.2"));
  EXPECT_FALSE(in("10.0.0.0/8", "11.0.0.0"));
  EXPECT_TRUE(in("192.168.4.0/22", "192.168.7.255"));
  EXPECT_FALSE(in("192.168.4.0/22", "192.168.8.0"));
  EXPECT_TRUE(in("0.0.0.0/0", "203.0.113.7"));
  EXPECT_FALSE(in("0.0.0.0/0", "2001:db8::1"));  // every IPv4 address, no IPv6 one
  EXPECT_TRUE(in("::/0", "2001:db8::1"));
  EXPECT_TRUE(in("fd00::/8", "fdff:1::1"));
  EXPECT_FALSE(in("fd00::/8", "fe00::1"));
  EXPECT_TRUE(in("203.0.113.7", "::ffff:203.0.113.7"));  // an address is its own /32
  EXPECT_FALSE(in("203.0.113.7", "203.0.113.8"));
  EXPECT_TRUE(in("203.0.113.7/32", "203.0.113.7"));
  for (const char* bad : {"10.1.0.0/8", "10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/08",
                          "10.0.0.0/-1", "10.0.0.0/8/8", "10.0.0.0/ 8", "example.com/8", "/8"}) {
    EXPECT_FALSE(parse_ip_range(bad)) << bad;
  }
}

TEST(IpAddress, ParsesAndSpells) {
  EXPECT_FALSE(parse_ip_address("example.com"));
  EXPECT_FALSE(parse_ip_address("1.2.3"));
  EXPECT_FALSE(parse_ip_address(""));
  ASSERT_TRUE(parse_ip_address("203.0.113.7"));
  EXPECT_EQ(ip_address_text(*parse_ip_address("::ffff:203.0.113.7")), "203.0.113.7");
  EXPECT_EQ(ip_address_text(*parse_ip_address("203.0.113.7")), "203.0.113.7");
  EXPECT_EQ(ip_address_text(*parse_ip_address("2001:db8:0:0:0:0:0:1")), "2001:db8::1");
}

}  // namespace
}  // namespace payhost::host
