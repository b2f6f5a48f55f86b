#include "payhost/sdk/encoding.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace payhost::sdk {
namespace {

std::string all_bytes() {
  std::string out;
  for (int i = 0; i < 256; ++i)
    out += static_cast<char>(i);
  return out;
}

TEST(Base64, Rfc4648Vectors) {
  const std::vector<std::pair<std::string, std::string>> vectors = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(base64_encode(plain), encoded);
    EXPECT_EQ(base64_decode(encoded), plain) << encoded;
  }
}

TEST(Base64, UsesTheStandardAlphabetAndRoundTripsAllBytes) {
  EXPECT_EQ(base64_encode("\xfb\xff\xbf"), "+/+/");
  EXPECT_EQ(base64_decode("+/+/"), "\xfb\xff\xbf");
  const std::string bytes = all_bytes();
  for (std::size_t len = 0; len <= bytes.size(); len += 37) {
    const std::string chunk = bytes.substr(0, len);
    EXPECT_EQ(base64_decode(base64_encode(chunk)), chunk) << len;
  }
  // No line breaks, however long.
  EXPECT_EQ(base64_encode(std::string(300, 'x')).find('\n'), std::string::npos);
}

TEST(Base64, IgnoresWhitespace) {
  EXPECT_EQ(base64_decode("Zm9v\nYmFy"), "foobar");
  EXPECT_EQ(base64_decode("Zm9v\r\nYmFy\r\n"), "foobar");
  EXPECT_EQ(base64_decode(" Zm 9v\tYg ==\n"), "foob");
  EXPECT_EQ(base64_decode("\n\n"), "");
}

TEST(Base64, PaddingIsOptionalButMustBeRightWhenPresent) {
  EXPECT_EQ(base64_decode("Zg"), "f");
  EXPECT_EQ(base64_decode("Zm8"), "fo");
  EXPECT_EQ(base64_decode("Zg="), std::nullopt);    // one '=' where two are needed
  EXPECT_EQ(base64_decode("Zm8=="), std::nullopt);  // two where one is needed
  EXPECT_EQ(base64_decode("Zm9v="), std::nullopt);  // padding on a full group
  EXPECT_EQ(base64_decode("Zg==="), std::nullopt);
  EXPECT_EQ(base64_decode("Zg==Zg=="), std::nullopt);  // data after padding
  EXPECT_EQ(base64_decode("="), std::nullopt);
  EXPECT_EQ(base64_decode("Z"), std::nullopt);  // a lone sextet cannot hold a byte
  EXPECT_EQ(base64_decode("Zm9vY"), std::nullopt);
}

TEST(Base64, RejectsForeignCharacters) {
  EXPECT_EQ(base64_decode("Zm9v!"), std::nullopt);
  EXPECT_EQ(base64_decode("Zm-_"), std::nullopt);  // base64url alphabet
  EXPECT_EQ(base64_decode("Zm9v\\n"), std::nullopt);
  EXPECT_EQ(base64_decode(std::string("Zm\0v", 4)), std::nullopt);
  EXPECT_EQ(base64_decode("Zm9\xc3\xa9"), std::nullopt);
}

TEST(Base64Url, UnpaddedUrlAlphabet) {
  EXPECT_EQ(base64url_encode("\xfb\xff\xbf"), "-_-_");
  EXPECT_EQ(base64url_encode("f"), "Zg");
  EXPECT_EQ(base64url_encode("fo"), "Zm8");
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_decode("-_-_"), "\xfb\xff\xbf");
  EXPECT_EQ(base64url_decode("Zg"), "f");
  EXPECT_EQ(base64url_decode("+/+/"), std::nullopt);
  // A JWT header.
  EXPECT_EQ(base64url_encode(R"({"alg":"HS256","typ":"JWT"})"),
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9");
  const std::string bytes = all_bytes();
  EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes);
}

TEST(Hex, LowerAndUpper) {
  EXPECT_EQ(hex_lower(""), "");
  EXPECT_EQ(hex_lower(std::string("\x00\x01\xab\xff", 4)), "0001abff");
  EXPECT_EQ(hex_upper(std::string("\x00\x01\xab\xff", 4)), "0001ABFF");
  EXPECT_EQ(hex_lower(all_bytes()).size(), 512u);
  EXPECT_EQ(hex_lower(all_bytes()).substr(500), "fafbfcfdfeff");
}

TEST(UrlEncode, KeepsOnlyUnreservedCharacters) {
  EXPECT_EQ(url_encode(""), "");
  EXPECT_EQ(url_encode("AZaz09-_.~"), "AZaz09-_.~");
  EXPECT_EQ(url_encode("a b"), "a%20b");  // never '+'
  EXPECT_EQ(url_encode("a+b"), "a%2Bb");
  EXPECT_EQ(url_encode("!*'()"), "%21%2A%27%28%29");
  EXPECT_EQ(url_encode("k=v&x/y?z#%"), "k%3Dv%26x%2Fy%3Fz%23%25");
  EXPECT_EQ(url_encode("\xe6\x94\xaf\xe4\xbb\x98"), "%E6%94%AF%E4%BB%98");  // 支付
  EXPECT_EQ(url_encode(std::string("\0", 1)), "%00");
  EXPECT_EQ(url_encode(R"({"a":1})"), "%7B%22a%22%3A1%7D");
}

TEST(UrlDecode, DecodesOnce) {
  EXPECT_EQ(url_decode("a%20b"), "a b");
  EXPECT_EQ(url_decode("%2541"), "%41");  // once, not twice
  EXPECT_EQ(url_decode("%e6%94%AF"), "\xe6\x94\xaf");
  EXPECT_EQ(url_decode("%00"), std::string("\0", 1));
  EXPECT_EQ(url_decode(""), "");
}

TEST(UrlDecode, PlusHandling) {
  EXPECT_EQ(url_decode("a+b"), "a b");
  EXPECT_EQ(url_decode("a+b", false), "a+b");
  EXPECT_EQ(url_decode("a%2Bb"), "a+b");
  EXPECT_EQ(url_decode("a%2bb", false), "a+b");
}

TEST(UrlDecode, MalformedEscapes) {
  EXPECT_EQ(url_decode("%G1"), std::nullopt);
  EXPECT_EQ(url_decode("%1G"), std::nullopt);
  EXPECT_EQ(url_decode("%4"), std::nullopt);
  EXPECT_EQ(url_decode("abc%4"), std::nullopt);
  EXPECT_EQ(url_decode("abc%"), std::nullopt);
  EXPECT_EQ(url_decode("%"), std::nullopt);
  EXPECT_EQ(url_decode("% 41"), std::nullopt);
  EXPECT_EQ(url_decode("%41"), "A");  // exactly at the end is fine
  EXPECT_EQ(url_decode("x%41"), "xA");
}

TEST(UrlCodec, RoundTripsEveryByte) {
  const std::string bytes = all_bytes();
  EXPECT_EQ(url_decode(url_encode(bytes)), bytes);
  EXPECT_EQ(url_decode(url_encode(bytes), false), bytes);
}

TEST(FormEncode, KeepsOrderAndEncodesKeysAndValues) {
  EXPECT_EQ(form_encode({}), "");
  EXPECT_EQ(form_encode({{"b", "2"}, {"a", "1"}}), "b=2&a=1");
  EXPECT_EQ(form_encode({{"k y", "v&w=x"}, {"empty", ""}}), "k%20y=v%26w%3Dx&empty=");
  EXPECT_EQ(form_encode({{"timestamp", "2023-12-21 06:54:37"}, {"sign", "ab+/c=="}}),
            "timestamp=2023-12-21%2006%3A54%3A37&sign=ab%2B%2Fc%3D%3D");
}

TEST(HtmlEscape, EscapesTheFiveCharacters) {
  EXPECT_EQ(html_escape(""), "");
  EXPECT_EQ(html_escape("plain text"), "plain text");
  EXPECT_EQ(html_escape(R"(<a href="x?a=1&b='2'">)"),
            "&lt;a href=&quot;x?a=1&amp;b=&#39;2&#39;&quot;&gt;");
  EXPECT_EQ(html_escape("&amp;"), "&amp;amp;");  // no double-decoding
  EXPECT_EQ(html_escape("\xe6\x94\xaf"), "\xe6\x94\xaf");
}

}  // namespace
}  // namespace payhost::sdk
