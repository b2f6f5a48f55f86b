// Request and client signatures, certificates and answer verification, against the
// published wechatpay-go and yansongda/pay vectors (tests/fixtures/README.md) and keys made
// here.
#include <gtest/gtest.h>

#include "payhost/sdk/encoding.hpp"
#include "signing.hpp"
#include "test_support.hpp"

namespace payhost::wechat {
namespace {

using testing::platform_pair;
using testing::read_fixture;
using testing::read_line_fixture;
using testing::sign_with;
using testing::stranger_pair;
using testing::verifies_with;
using testing::wechat_signed_headers;

// wechatpay-go core/notify/notify_test.go::TestHandler_ParseNotifyRequest.
constexpr std::int64_t kGoNotifyTimestamp = 1624523846;
constexpr const char* kGoNotifyNonce = "EcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz";
constexpr const char* kGoNotifySerial = "D7CE59D1F522D701";

sdk::crypto::PrivateKey go_test_key() {
  auto key = sdk::crypto::PrivateKey::parse(read_fixture("wechatpay-go-test-private-key.pem"));
  if (!key) throw std::runtime_error("wechatpay-go test key: " + key.error().message);
  return *key;
}

sdk::Headers go_notify_headers() {
  sdk::Headers h;
  h.add("Content-Type", "application/json");
  h.add("Wechatpay-Nonce", kGoNotifyNonce);
  h.add("Wechatpay-Timestamp", std::to_string(kGoNotifyTimestamp));
  h.add("Wechatpay-Serial", kGoNotifySerial);
  h.add("Wechatpay-Signature", read_line_fixture("wechatpay-go-notify-signature.txt"));
  return h;
}

PlatformKeys go_platform_keys() {
  auto cert = read_certificate(read_fixture("wechatpay-go-platform-cert.pem"));
  if (!cert) throw std::runtime_error(cert.error().message);
  PlatformKeys keys;
  keys.add(cert->serial, cert->key);
  return keys;
}

sdk::Headers without(const sdk::Headers& headers, std::string_view name) {
  sdk::Headers out;
  for (const auto& [n, v] : headers.all()) {
    if (n != name) out.add(n, v);
  }
  return out;
}

sdk::Headers replaced(const sdk::Headers& headers, std::string name, std::string value) {
  sdk::Headers out = headers;
  out.set(std::move(name), std::move(value));
  return out;
}

std::string code_of(const sdk::Status& st) {
  return st.ok() ? std::string("ok") : st.error().code;
}

// ---- published and computed signature vectors ------------------------------------------

TEST(PublishedVectors, WechatpayGoSignsSourceDeterministically) {
  // utils/sign_test.go::TestSha256WithRsa: "source" with its PKCS#8 test key.
  auto sign = sign_base64(go_test_key(), "source");
  ASSERT_TRUE(sign.ok()) << sign.error().message;
  EXPECT_EQ(*sign, read_line_fixture("wechatpay-go-sign-source-signature.txt"));
}

TEST(PublishedVectors, RequestMessageAndSignatureWithTheWechatpayGoKey) {
  // provider-protocols.md §2.5, computed with the wechatpay-go test key and checked there.
  const std::string message = request_message("GET", "/v3/certificates", 1554208460,
                                              "593BEC0C930BF1AFEB40B4A08C8FB242", "");
  EXPECT_EQ(message, "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
  auto sign = sign_base64(go_test_key(), message);
  ASSERT_TRUE(sign.ok());
  EXPECT_EQ(
      *sign,
      "RjVFHMcrr9NsM4SiNmpFx6QPR99WztxatBshmr/6f7pXnt2YSPAhmNrEEAjWgpOcf5Zxbwl2qdPACOsEOeGrnL"
      "D81nVK3ucJq50iD0FAyF11knd1C9ic7zV9Jg3zao0+Wx3yAI6jXx6NLBEfNNspCazrQ+IHsUi04tubSBsT+4LH"
      "T9j0rL9axFBl7jVYe7uZ1ZQzap8EokLHDQbYw6qPEOs85+a2rnudh3TCPe81oUfe0zPqwEE6sWxxeSCYx+1mbU"
      "RsOAN4Z8/uKgOIZxbDAkqYWFb7VOaHFeejC1rsxUc7wkw0zQWxae1giswROXii1DorwdJ3CGlPchx0PyDjkQ==");
}

TEST(PublishedVectors, AppPaySignatureWithTheWechatpayGoKey) {
  const std::string message =
      app_pay_message("wxd678efh567hg6787", 1554208460, "593BEC0C930BF1AFEB40B4A08C8FB242",
                      "wx201410272009395522657a690389285100");
  EXPECT_EQ(message,
            "wxd678efh567hg6787\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n"
            "wx201410272009395522657a690389285100\n");
  auto sign = sign_base64(go_test_key(), message);
  ASSERT_TRUE(sign.ok());
  EXPECT_EQ(
      *sign,
      "TuOIV25LR+6ibnSGL5blC/GHVulBQQSDkS07Pv+fmwWN4O9LfSkVWLFdcAhwuEOJJKbulB7guGtv+xxvTJfZBz"
      "NiS7Kbgg2TZNpqPYxAUGSQ4jkBYd7A7/kC4yVznWJBfakVZ5VW70pilHcrqQ5Ij848PmsjuD1GbzF0tRphbSMX"
      "yXHdyeyxb5RpWIFMGFKP1pdmRSt00x/n4ysw4hv7mZVKKmgyads7cJXaNfWDPAwCEX34wkwJGYM9ukQymuWPsc"
      "fVgP0f0XDaMFNZAm5PM/nUZlUKGUV2Z6lSAi+cDO5pB9o9EMup4/p70JOhuTv7zOr+4DKuu9J3KH47Lskz2A==");
}

TEST(PublishedVectors, WechatpayGoNotificationVerifiesWithItsCertificate) {
  const auto keys = go_platform_keys();
  const std::string body = read_fixture("wechatpay-go-notify-body.json");
  EXPECT_EQ(code_of(verify_signed_message(keys, go_notify_headers(), body, kGoNotifyTimestamp)),
            "ok");
  std::string tampered = body;
  tampered.replace(tampered.find("签约成功"), std::string("签约成功").size(), "支付成功");
  EXPECT_EQ(code_of(verify_signed_message(keys, go_notify_headers(), tampered, kGoNotifyTimestamp)),
            "bad_signature");
}

TEST(PublishedVectors, YansongdaCallbackVerifiesWithItsPublicCertificate) {
  // tests/Plugin/Wechat/V3/CallbackPluginTest.php::testNormal; its TestCase.php maps serial
  // 45F59D4D... to wechatAppPublicKey.pem, whose own serial is another one.
  auto cert = read_certificate(read_fixture("yansongda-wechat-app-public-cert.pem"));
  ASSERT_TRUE(cert.ok()) << cert.error().message;
  PlatformKeys keys;
  keys.add("45F59D4DABF31918AFCEC556D5D2C6E376675D57", cert->key);
  sdk::Headers h;
  h.add("Wechatpay-Nonce", "e59e78a6c3f7dfd7e84aabee71be0452");
  h.add("Wechatpay-Signature", read_line_fixture("yansongda-callback-signature.txt"));
  h.add("Wechatpay-Timestamp", "1626444144");
  h.add("Wechatpay-Serial", "45F59D4DABF31918AFCEC556D5D2C6E376675D57");
  const std::string body = read_fixture("yansongda-callback-body.json");
  EXPECT_EQ(code_of(verify_signed_message(keys, h, body, 1626444144)), "ok");
  // PHP wrote "\/": the same JSON with plain slashes is other bytes, so it must not verify.
  std::string unescaped = body;
  for (auto pos = unescaped.find("\\/"); pos != std::string::npos; pos = unescaped.find("\\/"))
    unescaped.erase(pos, 1);
  ASSERT_NE(unescaped, body);
  EXPECT_EQ(code_of(verify_signed_message(keys, h, unescaped, 1626444144)), "bad_signature");
}

// ---- certificates and serials ----------------------------------------------------------

TEST(Certificates, SerialIsUpperCaseHexOfTheCertificateSerial) {
  auto go = read_certificate(read_fixture("wechatpay-go-platform-cert.pem"));
  ASSERT_TRUE(go.ok()) << go.error().message;
  EXPECT_EQ(go->serial, "D7CE59D1F522D701");  // the serial notify_test.go names it by
  EXPECT_FALSE(go->expired);                  // valid until 2031
  auto yansongda = read_certificate(read_fixture("yansongda-wechat-app-public-cert.pem"));
  ASSERT_TRUE(yansongda.ok());
  EXPECT_EQ(yansongda->serial, "25F8AA5452D55497C24BA57DC81B1E5915DC2E77");
}

TEST(Certificates, RefusesAnythingButExactlyOneCertificate) {
  const std::string go = read_fixture("wechatpay-go-platform-cert.pem");
  const std::string yansongda = read_fixture("yansongda-wechat-app-public-cert.pem");
  EXPECT_EQ(read_certificate(go + yansongda).error().code, "invalid_certificate");
  EXPECT_EQ(read_certificate(platform_pair().public_key).error().code, "invalid_certificate");
  EXPECT_EQ(read_certificate("").error().code, "invalid_certificate");
  std::string broken = go;
  broken.replace(100, 20, "!!!!!!!!!!!!!!!!!!!!");
  EXPECT_FALSE(read_certificate(broken).ok());
  EXPECT_FALSE(read_certificate(std::string(20000, 'A')).ok());
}

TEST(Certificates, CanonicalSerialIgnoresCaseAndLeadingZeros) {
  EXPECT_EQ(canonical_serial("00d7ce59d1f522d701"), "D7CE59D1F522D701");
  EXPECT_EQ(canonical_serial("0A"), "A");
  EXPECT_EQ(canonical_serial("PUB_KEY_ID_0114232134912410000000000000"),
            "PUB_KEY_ID_0114232134912410000000000000");
  PlatformKeys keys;
  auto key = sdk::crypto::PublicKey::parse(platform_pair().public_key);
  ASSERT_TRUE(keys.add("0ABC", *key));
  EXPECT_FALSE(keys.add("abc", *key));  // the same serial spelled otherwise
  EXPECT_NE(keys.find("000abc"), nullptr);
  EXPECT_EQ(keys.find("ABCD"), nullptr);
}

// ---- request signing -------------------------------------------------------------------

TEST(RequestSigning, MessageIsFiveLinesOverTheExactBody) {
  const std::string body = R"({"mchid":"1230000109","description":"A \"quoted\" \u4e2d"})";
  EXPECT_EQ(
      request_message("POST", "/sandbox/wechat/v3/pay/transactions/app", 1796459400, "abc", body),
      "POST\n/sandbox/wechat/v3/pay/transactions/app\n1796459400\nabc\n" + body + "\n");
}

TEST(RequestSigning, AuthorizationHeaderCarriesAllFivePairs) {
  EXPECT_EQ(authorization_header("1230000109", "NONCE", 1796459400, "ABC123", "c2ln"),
            "WECHATPAY2-SHA256-RSA2048 mchid=\"1230000109\",nonce_str=\"NONCE\","
            "timestamp=\"1796459400\",serial_no=\"ABC123\",signature=\"c2ln\"");
}

TEST(RequestSigning, JsapiMessageSignsThePackage) {
  EXPECT_EQ(jsapi_pay_message("wxAPP", 1796459400, "N", "prepay_id=wx1"),
            "wxAPP\n1796459400\nN\nprepay_id=wx1\n");
}

TEST(RequestSigning, NoncesAre32RandomLettersAndDigits) {
  const std::string a = make_nonce();
  const std::string b = make_nonce();
  EXPECT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
  for (const char c : a)
    EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << a;
}

// ---- answer verification ---------------------------------------------------------------

class Verification : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = sdk::crypto::PublicKey::parse(platform_pair().public_key);
    ASSERT_TRUE(key.ok());
    keys.add(kCertSerial, *key);
    keys.add(kKeyId, *key);
  }
  static constexpr const char* kCertSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
  static constexpr const char* kKeyId = "PUB_KEY_ID_01142321349124100000000000002199";
  static constexpr std::int64_t kNow = 1796459400;
  const std::string body = R"({"prepay_id":"wx201410272009395522657a690389285100"})";
  PlatformKeys keys;
};

TEST_F(Verification, AcceptsCertificateSerialAndPublicKeyId) {
  EXPECT_EQ(code_of(verify_signed_message(keys, wechat_signed_headers(body, kNow, kCertSerial),
                                          body, kNow)),
            "ok");
  EXPECT_EQ(
      code_of(verify_signed_message(keys, wechat_signed_headers(body, kNow, kKeyId), body, kNow)),
      "ok");
}

TEST_F(Verification, TimestampWindowIs299SecondsEitherWay) {
  for (const std::int64_t skew : {-299, 0, 299}) {
    EXPECT_EQ(code_of(verify_signed_message(
                  keys, wechat_signed_headers(body, kNow + skew, kCertSerial), body, kNow)),
              "ok")
        << skew;
  }
  for (const std::int64_t skew : {-300, 300, -86400}) {
    EXPECT_EQ(code_of(verify_signed_message(
                  keys, wechat_signed_headers(body, kNow + skew, kCertSerial), body, kNow)),
              "stale_timestamp")
        << skew;
  }
}

TEST_F(Verification, UnknownSerialIsUnverifiable) {
  EXPECT_EQ(code_of(verify_signed_message(
                keys, wechat_signed_headers(body, kNow, "7132D72A03E93CDDF8C03BBD1F37EEDF204C0B23"),
                body, kNow)),
            "unknown_serial");
  EXPECT_EQ(code_of(verify_signed_message(
                keys, wechat_signed_headers(body, kNow, "PUB_KEY_ID_0000"), body, kNow)),
            "unknown_serial");
}

TEST_F(Verification, ProbeSignatureAlwaysFails) {
  const auto probe = replaced(wechat_signed_headers(body, kNow, kCertSerial), "Wechatpay-Signature",
                              "WECHATPAY/SIGNTEST/" + sign_with(platform_pair().private_key, "x"));
  EXPECT_EQ(code_of(verify_signed_message(keys, probe, body, kNow)), "signature_probe");
}

TEST_F(Verification, TamperedBodyOrWrongKeyFails) {
  const auto headers = wechat_signed_headers(body, kNow, kCertSerial);
  std::string tampered = body;
  tampered[tampered.size() - 3] = '1';
  EXPECT_EQ(code_of(verify_signed_message(keys, headers, tampered, kNow)), "bad_signature");
  EXPECT_EQ(code_of(verify_signed_message(keys, headers, body + " ", kNow)), "bad_signature");
  const auto forged = wechat_signed_headers(body, kNow, kCertSerial, stranger_pair().private_key);
  EXPECT_EQ(code_of(verify_signed_message(keys, forged, body, kNow)), "bad_signature");
  const auto garbage = replaced(headers, "Wechatpay-Signature", "not*base64");
  EXPECT_EQ(code_of(verify_signed_message(keys, garbage, body, kNow)), "bad_signature");
}

TEST_F(Verification, NoContentIsVerifiedOverTheEmptyBody) {
  const auto headers = wechat_signed_headers("", kNow, kCertSerial);
  EXPECT_EQ(code_of(verify_signed_message(keys, headers, "", kNow)), "ok");
  // A 204 whose signature covers something else (here a 200's body) is forged.
  const auto other = wechat_signed_headers(body, kNow, kCertSerial);
  EXPECT_EQ(code_of(verify_signed_message(keys, other, "", kNow)), "bad_signature");
}

TEST_F(Verification, EveryHeaderIsRequired) {
  const auto headers = wechat_signed_headers(body, kNow, kCertSerial);
  for (const char* name :
       {"Wechatpay-Timestamp", "Wechatpay-Nonce", "Wechatpay-Signature", "Wechatpay-Serial"}) {
    const auto st = verify_signed_message(keys, without(headers, name), body, kNow);
    ASSERT_FALSE(st.ok()) << name;
    EXPECT_EQ(st.error().code, "missing_header") << name;
    EXPECT_NE(st.error().message.find(name), std::string::npos);
  }
  const sdk::Headers none;
  EXPECT_EQ(code_of(verify_signed_message(keys, none, body, kNow)), "missing_header");
}

TEST_F(Verification, HeaderNamesAreCaseInsensitiveButNotRepeatable) {
  sdk::Headers lower;
  const auto original = wechat_signed_headers(body, kNow, kCertSerial);
  for (const auto& [n, v] : original.all()) {
    std::string name = n;
    for (auto& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower.add(name, v);
  }
  EXPECT_EQ(code_of(verify_signed_message(keys, lower, body, kNow)), "ok");
  auto twice = wechat_signed_headers(body, kNow, kCertSerial);
  twice.add("Wechatpay-Signature", sign_with(platform_pair().private_key, "other"));
  EXPECT_EQ(code_of(verify_signed_message(keys, twice, body, kNow)), "bad_header");
}

TEST_F(Verification, MalformedHeadersAreRefusedBeforeAnyKeyIsUsed) {
  const auto headers = wechat_signed_headers(body, kNow, kCertSerial);
  EXPECT_EQ(code_of(verify_signed_message(
                keys, replaced(headers, "Wechatpay-Timestamp", "17964594OO"), body, kNow)),
            "bad_header");
  EXPECT_EQ(code_of(verify_signed_message(keys, replaced(headers, "Wechatpay-Timestamp", "-5"),
                                          body, kNow)),
            "bad_header");
  // A nonce that could carry a line of the message is refused, not signed over.
  EXPECT_EQ(code_of(verify_signed_message(keys, replaced(headers, "Wechatpay-Nonce", "a\nb"), body,
                                          kNow)),
            "bad_header");
  EXPECT_EQ(
      code_of(verify_signed_message(keys, replaced(headers, "Wechatpay-Nonce", ""), body, kNow)),
      "bad_header");
  EXPECT_EQ(code_of(verify_signed_message(
                keys, replaced(headers, "Wechatpay-Serial", std::string(65, 'A')), body, kNow)),
            "bad_header");
}

TEST_F(Verification, ANonceWithANewlineCannotShiftTheBody) {
  // "ts\nA\nB{...}\n" signed as nonce "A", body "B{...}" must not pass as nonce "A\nB".
  const std::string shifted_body = "{\"x\":1}";
  const auto headers = wechat_signed_headers("B" + shifted_body, kNow, kCertSerial,
                                             platform_pair().private_key, "A");
  const auto moved = replaced(headers, "Wechatpay-Nonce", "A\nB");
  EXPECT_EQ(code_of(verify_signed_message(keys, moved, shifted_body, kNow)), "bad_header");
}

}  // namespace
}  // namespace payhost::wechat
