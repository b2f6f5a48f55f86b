// The simulator's own ACP signing against the published yansongda request vector and the
// SDK's independent crypto, and the wire formats: form bodies (decoded once, hostile input
// refused), raw answers, Beijing time.
#include <gtest/gtest.h>

#include "acp_form.hpp"
#include "acp_signature.hpp"
#include "beijing_time.hpp"
#include "certificates.hpp"
#include "harness.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "test_keys.hpp"

namespace payhost::sandbox_unionpay {
namespace {

std::string fixture(const std::string& name) {
  return testing::read_file(std::string(SANDBOX_UNIONPAY_FIXTURE_DIR) + "/" + name);
}

// yansongda/pay tests/Plugin/Unipay/Open/AddPayloadSignaturePluginTest.php::testNormal.
Fields yansongda_params() {
  return Fields{{"txnTime", "20220903065448"},
                {"txnAmt", "1"},
                {"orderId", "yansongda20220903065448"},
                {"version", "5.1.0"},
                {"encoding", "utf-8"},
                {"bizType", "000201"},
                {"backUrl", "https://yansongda.cn/unipay/notify"},
                {"currencyCode", "156"},
                {"txnType", "01"},
                {"txnSubType", "01"},
                {"accessType", "0"},
                {"signature", ""},
                {"signMethod", "01"},
                {"channelType", "07"},
                {"merId", "777290058167151"},
                {"frontUrl", "https://yansongda.cn/unipay/return"},
                {"certId", "69903319369"}};
}

constexpr const char* kYansongdaSignature =
    "CJ0Hh6WC0YldYMi2cIi7rjOvV4IJyzhqgj8KKNeRWZz+2csPVlDcnP1f4YfykVww6NDimsl2zE+oQAm7lH8qiU5f8o"
    "jVH+P62uMe1yqb2WoNlIM45REg6bhfUPvATgecVplnKIPdFUGdRZ97va+ZVbla75HwtskZnDykmr9rkYaSg7PcGuil"
    "EwHcb2rV+BNkCi3bi4fYELjYlE1a7Imv/cSLRyXkPS1jzF0HUIUiVA6P98DYh0GbsgqRZqPYsGocFJs9jZoAlu44Ry"
    "gzDKjK/n8iwhHNH61IFaADdGp+uLQsol6kR/DRpF1pZgO7lsuK0YuaL6pfN6dtkJO9prbu6Q==";

TEST(PublishedVector, YansongdaRequestSignatureIsReproducedFromThePfx) {
  const std::string der = fixture("yansongda-unipayAppCert.pfx");
  ASSERT_FALSE(der.empty());
  EXPECT_FALSE(read_pkcs12(der, "000001").ok()) << "a wrong password must not open the pfx";
  auto pfx = read_pkcs12(der, "000000");
  ASSERT_TRUE(pfx.ok()) << pfx.error().message;
  // The certId of the vector is this certificate's serial in decimal.
  EXPECT_EQ(serial_decimal(pfx->certificate.get()), "69903319369");
  EXPECT_EQ(common_name(pfx->certificate.get()), "041@Z2014-11-11@700000000000001:SIGN@00000003");

  const Fields params = yansongda_params();
  EXPECT_EQ(signing_string(params),
            "accessType=0&backUrl=https://yansongda.cn/unipay/notify&bizType=000201&certId="
            "69903319369&channelType=07&currencyCode=156&encoding=utf-8&frontUrl=https://"
            "yansongda.cn/unipay/return&merId=777290058167151&orderId=yansongda20220903065448&"
            "signMethod=01&txnAmt=1&txnSubType=01&txnTime=20220903065448&txnType=01&version=5.1.0");
  const auto signature = sign_fields(pfx->key, params);
  ASSERT_TRUE(signature.has_value());
  EXPECT_EQ(*signature, kYansongdaSignature);

  auto certificate_key = RsaKey::public_from_certificate(pfx->certificate.get());
  ASSERT_TRUE(certificate_key.ok());
  EXPECT_TRUE(verify_fields(*certificate_key, params, kYansongdaSignature));
  Fields changed = params;
  changed["txnAmt"] = "2";
  EXPECT_FALSE(verify_fields(*certificate_key, changed, kYansongdaSignature));
}

TEST(Signature, RoundTripsWithTheSdkCryptoBothWays) {
  auto merchant = RsaKey::private_from_pem(testing::test_keypair(0).private_pem);
  ASSERT_TRUE(merchant.ok());
  Fields fields = {{"merId", "777290058167151"},
                   {"orderId", "order20241205"},
                   {"orderDesc", "沙箱 茶叶"},
                   {"empty", ""},
                   {"signPubKeyCert", "-----BEGIN CERTIFICATE-----\r\nAB=\r\n-----END"}};
  // Empty values and the signature itself are left out; names sort by byte value.
  EXPECT_EQ(signing_string(fields),
            "merId=777290058167151&orderDesc=沙箱 茶叶&orderId=order20241205&signPubKeyCert=-----"
            "BEGIN CERTIFICATE-----\r\nAB=\r\n-----END");
  EXPECT_EQ(signing_string(fields), testing::merchant_signing_string(fields));
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  // Ours signs, the SDK verifies.
  const auto ours = sign_fields(*merchant, fields);
  ASSERT_TRUE(ours.has_value());
  auto sdk_public = sdk::crypto::PublicKey::parse(testing::test_keypair(0).public_pem);
  ASSERT_TRUE(sdk_public.ok());
  EXPECT_TRUE(sdk::crypto::rsa_sha256_verify(
      *sdk_public, sdk::hex_lower(sdk::crypto::sha256(testing::merchant_signing_string(fields))),
      sdk::base64_decode(*ours).value()));
  // The SDK signs (as the channel would), ours verifies; the signature field is ignored.
  const std::string theirs = testing::merchant_signature(fields, 0);
  EXPECT_EQ(theirs, *ours) << "RSA PKCS#1 v1.5 is deterministic";
  auto bio_key = RsaKey::private_from_pem(testing::test_keypair(0).private_pem);
  Fields with_signature = fields;
  with_signature["signature"] = theirs;
  auto public_only = RsaKey::share(bio_key->get());
  EXPECT_TRUE(verify_fields(public_only, with_signature, theirs));

  Fields tampered = with_signature;
  tampered["orderId"] = "order20241206";
  EXPECT_FALSE(verify_fields(public_only, tampered, theirs));
  // A stranger's key, garbage and an empty signature never verify.
  auto stranger =
      RsaKey::private_from_pem(testing::test_keypair(testing::kStrangerSlot).private_pem);
  EXPECT_FALSE(verify_fields(*stranger, with_signature, theirs));
  EXPECT_FALSE(verify_fields(public_only, with_signature, "not base64!"));
  EXPECT_FALSE(verify_fields(public_only, with_signature, ""));
  EXPECT_FALSE(verify_fields(public_only, with_signature, std::string(4000, 'A')));
}

TEST(RequestForm, DecodesOnceAndRefusesWhatCouldBeReadTwoWays) {
  auto ok = parse_request_form("a=1+2&b=%2B%3D&c=&orderDesc=%E6%B2%99%E7%AE%B1");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->at("a"), "1 2");
  EXPECT_EQ(ok->at("b"), "+=");
  EXPECT_EQ(ok->at("c"), "");
  EXPECT_EQ(ok->at("orderDesc"), "沙箱");
  // %2541 is decoded once: "%41", not "A".
  EXPECT_EQ(parse_request_form("a=%2541")->at("a"), "%41");

  const std::pair<std::string, std::string> refused[] = {
      {"a=1&a=2", "repeated"},
      {"a=%FF", "not UTF-8"},
      {"a=%C0%AF", "not UTF-8"},
      {"a=%ED%A0%80", "not UTF-8"},
      {"a=%0A", "control"},
      {"a=x%26b%3D1", "'&'"},
      {"a=1&&b=2", "no '='"},
      {"a=1&", "no '='"},
      {"a", "no '='"},
      {"a=%G1", "malformed"},
      {"a-b=1", "names"},
      {"=1", "names"},
      {"", "empty"},
      {"a=" + std::string(kMaxFormBytes, 'x'), "larger"},
  };
  for (const auto& [body, why] : refused) {
    SCOPED_TRACE(body.substr(0, 40));
    auto result = parse_request_form(body);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, "10");
    EXPECT_NE(result.error().message.find(why), std::string::npos) << result.error().message;
  }
  std::string many;
  for (std::size_t i = 0; i <= kMaxFormFields; ++i)
    many += (i == 0 ? "f" : "&f") + std::to_string(i) + "=1";
  EXPECT_FALSE(parse_request_form(many).ok());
}

TEST(RawAnswer, SplitsOnlyOutsideBracesAndKeepsValuesRaw) {
  const Fields fields = {{"signature", "ab+c/d=="},
                         {"signPubKeyCert", "-----BEGIN CERTIFICATE-----\r\nMIIB=\r\n-----END"},
                         {"reserved", "{a=1&b=2}"},
                         {"list", "[x&y]"},
                         {"respMsg", "成功[0000000]"}};
  const std::string body = raw_answer(fields);
  EXPECT_EQ(body.find('%'), std::string::npos) << "nothing is percent-encoded";
  EXPECT_EQ(body.rfind("list=[x&y]&reserved=", 0), 0u) << "sorted by name: " << body;
  const auto parsed = parse_raw_answer(body);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(*parsed, fields);
  EXPECT_FALSE(parse_raw_answer("a=1&a=2").has_value());
  EXPECT_FALSE(parse_raw_answer("a=1&b").has_value());
}

TEST(BeijingTime, ConvertsBothWaysAndRefusesImpossibleDates) {
  EXPECT_EQ(beijing_digits(1733384096), "20241205153456");
  EXPECT_EQ(parse_beijing_digits("20241205153456").value_or(0), 1733384096);
  // Beijing midnight is 16:00 UTC the day before.
  EXPECT_EQ(beijing_digits(1735660800), "20250101000000");
  EXPECT_EQ(parse_beijing_digits("20240229235959").value_or(0), 1709222399);
  EXPECT_EQ(beijing_date_dashed(1733384096), "2024-12-05");
  for (const char* bad : {"20230229000000", "20241305000000", "20241205240000", "20241205156000",
                          "2024120515345", "202412051534567", "2024120515345a", "19991231235959"}) {
    EXPECT_FALSE(parse_beijing_digits(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace payhost::sandbox_unionpay
