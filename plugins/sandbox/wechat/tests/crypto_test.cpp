// The simulator's own RSA-SHA256 and AES-GCM code against the official SDKs' published
// vectors, the derived sandbox identities against an independent computation (the SDK's
// digest), and RFC 3339 times.
#include <gtest/gtest.h>

#include "aes_gcm.hpp"
#include "authorization.hpp"
#include "identity.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "published_vectors.hpp"
#include "rfc3339.hpp"
#include "rsa_sha256.hpp"
#include "test_keys.hpp"

namespace payhost::sandbox_wechat {
namespace {

namespace v = testing::vectors;

std::string decode(const std::string& b64) {
  auto out = sdk::base64_decode(b64);
  EXPECT_TRUE(out.has_value()) << b64;
  return out.value_or("");
}

TEST(PublishedVectors, WechatpayGoSignatureOfSourceIsReproduced) {
  auto key = RsaKey::private_from_pem(v::kPlatformPrivateKey);
  ASSERT_TRUE(key.ok()) << key.error().message;
  EXPECT_EQ(rsa_sign_base64(*key, v::kSignSource), v::kSignExpected);
}

TEST(PublishedVectors, WechatpayGoCertificateVerifiesItsPrivateKeysSignature) {
  auto cert = RsaKey::public_from_pem(v::kPlatformCertificate);
  ASSERT_TRUE(cert.ok()) << cert.error().message;
  EXPECT_TRUE(rsa_verify_base64(*cert, v::kSignSource, v::kSignExpected));
  EXPECT_FALSE(rsa_verify_base64(*cert, "sourcE", v::kSignExpected));
}

TEST(PublishedVectors, WechatpayGoNotificationVerifiesWithTheCertificate) {
  auto cert = RsaKey::public_from_pem(v::kPlatformCertificate);
  ASSERT_TRUE(cert.ok());
  const std::string message = answer_message(v::kNotifyTimestamp, v::kNotifyNonce, v::kNotifyBody);
  EXPECT_TRUE(rsa_verify_base64(*cert, message, v::kNotifySignature));

  // Any other timestamp, nonce or body byte fails.
  EXPECT_FALSE(rsa_verify_base64(
      *cert, answer_message("1624523847", v::kNotifyNonce, v::kNotifyBody), v::kNotifySignature));
  EXPECT_FALSE(rsa_verify_base64(
      *cert, answer_message(v::kNotifyTimestamp, v::kNotifyNonce + "x", v::kNotifyBody),
      v::kNotifySignature));
  std::string body = v::kNotifyBody;
  body[body.find("payscore")] = 'P';
  EXPECT_FALSE(rsa_verify_base64(*cert, answer_message(v::kNotifyTimestamp, v::kNotifyNonce, body),
                                 v::kNotifySignature));
  // Without the trailing newline the message is not WeChat's.
  EXPECT_FALSE(
      rsa_verify_base64(*cert, message.substr(0, message.size() - 1), v::kNotifySignature));
}

TEST(PublishedVectors, WechatpayGoNotificationResourceDecrypts) {
  const auto body = sdk::Json::parse(v::kNotifyBody);
  const auto& resource = body["resource"];
  const auto plaintext = aes_gcm_open(v::kNotifyApiV3Key, resource["nonce"].get<std::string>(),
                                      resource["associated_data"].get<std::string>(),
                                      decode(resource["ciphertext"].get<std::string>()));
  ASSERT_TRUE(plaintext.has_value());
  EXPECT_EQ(*plaintext, v::kNotifyPlaintext);
  // The wrong AAD (a payment's "transaction") or key does not authenticate.
  EXPECT_FALSE(aes_gcm_open(v::kNotifyApiV3Key, resource["nonce"].get<std::string>(), "transaction",
                            decode(resource["ciphertext"].get<std::string>())));
  EXPECT_FALSE(aes_gcm_open("testMchAPIv3Key1", resource["nonce"].get<std::string>(), "payscore",
                            decode(resource["ciphertext"].get<std::string>())));
}

TEST(PublishedVectors, WechatpayGoAesVector) {
  const auto plaintext =
      aes_gcm_open(v::kAesGoKey, v::kAesGoNonce, v::kAesGoAad, decode(v::kAesGoCiphertext));
  ASSERT_TRUE(plaintext.has_value());
  EXPECT_EQ(*plaintext, v::kAesGoPlaintext);
  EXPECT_FALSE(
      aes_gcm_open(v::kAesGoWrongKey, v::kAesGoNonce, v::kAesGoAad, decode(v::kAesGoCiphertext)));
  EXPECT_FALSE(
      aes_gcm_open(v::kAesGoKey, v::kAesGoNonce, v::kAesGoAad, decode(v::kAesGoNotCiphertext)));
  EXPECT_FALSE(
      aes_gcm_open("not a aes key", v::kAesGoNonce, v::kAesGoAad, decode(v::kAesGoCiphertext)));
  // Sealing the plaintext again gives the published bytes (GCM is deterministic per nonce).
  const auto sealed = aes_gcm_seal(v::kAesGoKey, v::kAesGoNonce, v::kAesGoAad, v::kAesGoPlaintext);
  ASSERT_TRUE(sealed.has_value());
  EXPECT_EQ(sdk::base64_encode(*sealed), v::kAesGoCiphertext);
}

TEST(PublishedVectors, AxiosPluginAes256GcmWithA16ByteIv) {
  auto empty = aes_gcm_seal(v::kAxiosKey, v::kAxiosIv, "", "");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(sdk::base64_encode(*empty), v::kAxiosEmptyCiphertext);
  auto hello = aes_gcm_seal(v::kAxiosKey, v::kAxiosIv, "world", "hello");
  ASSERT_TRUE(hello.has_value());
  EXPECT_EQ(sdk::base64_encode(*hello), v::kAxiosHelloCiphertext);

  EXPECT_EQ(aes_gcm_open(v::kAxiosKey, v::kAxiosIv, "", decode(v::kAxiosEmptyCiphertext)), "");
  EXPECT_EQ(aes_gcm_open(v::kAxiosKey, v::kAxiosIv, "world", decode(v::kAxiosHelloCiphertext)),
            "hello");
  EXPECT_FALSE(aes_gcm_open(v::kAxiosKey, v::kAxiosIv, "World", decode(v::kAxiosHelloCiphertext)));
  EXPECT_FALSE(aes_gcm_open(v::kAxiosKey, v::kAxiosIv, "", ""));  // shorter than a tag
}

TEST(AesGcm, EveryChangedByteFailsAndTheSdkAgrees) {
  const std::string key = "0123456789abcdef0123456789ABCDEF";
  const std::string nonce = "abcdefABCDEF";
  const std::string plaintext = R"({"trade_state":"SUCCESS","amount":{"total":100}})";
  const auto sealed = aes_gcm_seal(key, nonce, "transaction", plaintext);
  ASSERT_TRUE(sealed.has_value());
  ASSERT_EQ(sealed->size(), plaintext.size() + kGcmTagBytes);
  // An independent implementation (the SDK's, which the channel side may use) opens it.
  auto by_sdk = sdk::crypto::aes_gcm_decrypt(key, nonce, "transaction", *sealed);
  ASSERT_TRUE(by_sdk.ok());
  EXPECT_EQ(by_sdk.value(), plaintext);
  for (std::size_t i = 0; i < sealed->size(); ++i) {
    std::string changed = *sealed;
    changed[i] = static_cast<char>(changed[i] ^ 0x40);
    EXPECT_FALSE(aes_gcm_open(key, nonce, "transaction", changed)) << "byte " << i;
  }
  EXPECT_FALSE(aes_gcm_open(key, "abcdefABCDEG", "transaction", *sealed));
  EXPECT_FALSE(aes_gcm_seal("short key", nonce, "", "x"));
  EXPECT_FALSE(aes_gcm_seal(key, "", "", "x"));
}

TEST(RsaSha256, RoundTripAndRefusals) {
  const auto& pair = testing::test_keypair(0);
  auto priv = RsaKey::private_from_pem(pair.private_pem);
  auto pub = RsaKey::public_from_pem(pair.public_pem);
  ASSERT_TRUE(priv.ok() && pub.ok());
  const auto signature = rsa_sign_base64(*priv, "GET\n/v3/x\n1\nn\n\n");
  ASSERT_TRUE(signature.has_value());
  EXPECT_TRUE(rsa_verify_base64(*pub, "GET\n/v3/x\n1\nn\n\n", *signature));
  EXPECT_FALSE(rsa_verify_base64(*pub, "GET\n/v3/x\n1\nn\n", *signature));
  EXPECT_FALSE(rsa_verify_base64(*pub, "GET\n/v3/x\n1\nn\n\n", "not base64!"));
  EXPECT_FALSE(rsa_verify_base64(*pub, "GET\n/v3/x\n1\nn\n\n", ""));
  // The SDK's independent verifier agrees with our signer.
  auto sdk_key = sdk::crypto::PublicKey::parse(pair.public_pem);
  ASSERT_TRUE(sdk_key.ok());
  EXPECT_TRUE(sdk::crypto::rsa_sha256_verify(*sdk_key, "GET\n/v3/x\n1\nn\n\n",
                                             sdk::base64_decode(*signature).value()));
  // Another key's signature does not verify.
  auto stranger = RsaKey::private_from_pem(testing::test_keypair(2).private_pem);
  ASSERT_TRUE(stranger.ok());
  EXPECT_FALSE(rsa_verify_base64(*pub, "x", *rsa_sign_base64(*stranger, "x")));

  EXPECT_FALSE(RsaKey::private_from_pem("garbage").ok());
  EXPECT_FALSE(RsaKey::public_from_pem("garbage").ok());
  EXPECT_FALSE(
      RsaKey::public_from_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
          .ok());
}

TEST(Identity, DerivedAsTheContractSays) {
  const std::string platform = testing::test_keypair(1).public_pem;
  const std::string digest = sdk::crypto::sha256(platform);  // an independent SHA-256
  EXPECT_EQ(certificate_serial(platform), sdk::hex_upper(digest).substr(0, 40));
  const std::string id = public_key_id(platform);
  ASSERT_EQ(id.size(), 11u + 32u);
  EXPECT_EQ(id.substr(0, 11), "PUB_KEY_ID_");
  for (std::size_t i = 0; i < 32; ++i) {
    EXPECT_EQ(id[11 + i], '0' + static_cast<unsigned char>(digest[i]) % 10) << i;
  }
  EXPECT_EQ(apiv3_key(platform),
            sdk::hex_lower(sdk::crypto::sha256("payhost-sandbox-apiv3:" + platform)).substr(0, 32));
  EXPECT_NE(certificate_serial(platform), certificate_serial(testing::test_keypair(0).public_pem));
}

TEST(Rfc3339, FormatsBeijingTimeAndParsesStrictly) {
  EXPECT_EQ(format_rfc3339_beijing(1624523846), "2021-06-24T16:37:26+08:00");
  EXPECT_EQ(parse_rfc3339("2021-06-24T16:37:26+08:00"), 1624523846);
  EXPECT_EQ(parse_rfc3339("2021-06-24T08:37:26Z"), 1624523846);
  EXPECT_EQ(parse_rfc3339("2021-06-24T03:37:26.123-05:00"), 1624523846);
  EXPECT_EQ(format_rfc3339_beijing(0), "1970-01-01T08:00:00+08:00");
  EXPECT_EQ(parse_rfc3339("2024-02-29T00:00:00+08:00"), 1709136000);
  EXPECT_EQ(beijing_date_digits(1624523846), "20210624");
  EXPECT_EQ(beijing_timestamp_digits(1624523846), "20210624163726");
  for (const char* bad :
       {"2021-06-24 16:37:26+08:00", "2021-06-24T16:37:26", "2021-02-29T00:00:00Z",
        "2021-13-01T00:00:00Z", "2021-06-24T24:00:00Z", "2021-06-24T16:37:26+8:00",
        "2021-06-24T16:37:26.+08:00", "2021-06-24T16:37:26+08:00 ", ""}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
  // A round trip over a range of instants.
  for (std::int64_t t = 946684800; t < 4102444800; t += 86400 * 37 + 3607) {
    EXPECT_EQ(parse_rfc3339(format_rfc3339_beijing(t)), t);
  }
}

}  // namespace
}  // namespace payhost::sandbox_wechat
