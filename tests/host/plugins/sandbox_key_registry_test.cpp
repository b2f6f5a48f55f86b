// Live mode's refusal of sandbox keys, by the exponent mark and by recorded fingerprint.
#include "plugins/sandbox_key_registry.hpp"

#include <gtest/gtest.h>

#include "payhost/sdk/crypto.hpp"

namespace payhost::host {
namespace {

using sdk::Json;

sdk::crypto::GeneratedKeyPair pair_with_exponent(unsigned long exponent) {
  auto pair = sdk::crypto::generate_rsa_keypair(2048, exponent);
  EXPECT_TRUE(pair.ok());
  return *pair;
}

sdk::Status check(const SandboxFingerprints& recorded, const std::string& option,
                  const std::string& value) {
  return refuse_sandbox_keys(recorded, sdk::Options(Json{{option, value}, {"app_id", "2021"}}),
                             {{option, "/etc/payhost/key.pem"}},
                             "payhost.yaml: plugins.alipay.options");
}

TEST(SandboxKeyRegistry, AKeyWithTheSandboxExponentIsRefusedWithoutAnyRecord) {
  const auto marked = pair_with_exponent(kSandboxPublicExponent);
  for (const std::string& text : {marked.private_key_pem, marked.public_key_pem}) {
    const sdk::Status st = check({}, "alipay_public_key", text);
    ASSERT_FALSE(st.ok());
    EXPECT_NE(st.error().message.find("payhost.yaml: plugins.alipay.options.alipay_public_key_file "
                                      "(/etc/payhost/key.pem): live mode refuses this key"),
              std::string::npos)
        << st.error().message;
    EXPECT_NE(st.error().message.find("public exponent, 65539"), std::string::npos);
  }
}

TEST(SandboxKeyRegistry, AnOlderSandboxKeyIsKnownByItsRecordedFingerprint) {
  const auto older = pair_with_exponent(65537);
  const auto fingerprint = fingerprint_of_key_text(older.public_key_pem);
  ASSERT_TRUE(fingerprint.has_value());
  EXPECT_EQ(fingerprint_of_key_text(older.private_key_pem), fingerprint);
  EXPECT_TRUE(check({}, "app_private_key", older.private_key_pem).ok());
  const SandboxFingerprints recorded = {{*fingerprint, "recorded as alipay-platform"}};
  const sdk::Status st = check(recorded, "app_private_key", older.private_key_pem);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find(*fingerprint + ", recorded as alipay-platform"),
            std::string::npos)
      << st.error().message;
}

TEST(SandboxKeyRegistry, TextThatIsNoKeyIsLeftAlone) {
  EXPECT_TRUE(check({}, "notify_url", "https://pay.example.com/notify/alipay").ok());
  EXPECT_FALSE(fingerprint_of_key_text("-----BEGIN PUBLIC KEY-----\nAAAA\n").has_value());
}

}  // namespace
}  // namespace payhost::host
