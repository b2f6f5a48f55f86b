// The option table and the start-up rules: live mode requires real credentials and a real
// API base, test mode fills what is missing from the sandbox, every error names its key.
#include <gtest/gtest.h>

#include "options.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "sandbox_identity.hpp"
#include "test_support.hpp"
#include "wechat_plugin.hpp"

namespace payhost::wechat {
namespace {

using testing::merchant_pair;
using testing::platform_pair;
using testing::read_fixture;
using testing::sign_with;
using testing::stranger_pair;

const sdk::OptionSpec* find_spec(const std::vector<sdk::OptionSpec>& specs, std::string_view n) {
  for (const auto& s : specs) {
    if (s.name == n) return &s;
  }
  return nullptr;
}

// Real-looking live credentials: the wechatpay-go test key as the merchant key, its
// self-signed certificate as a platform certificate.
sdk::Json live_options() {
  return sdk::Json{{"mchid", "1900009191"},
                   {"app_id", "wx8888888888888888"},
                   {"merchant_private_key", read_fixture("wechatpay-go-test-private-key.pem")},
                   {"merchant_serial_no", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"},
                   {"api_v3_key", "53D67FCB97E68F9998CBD17ED7A8D1E2"},
                   {"platform_certificates", {read_fixture("wechatpay-go-platform-cert.pem")}},
                   {"api_base", ""},
                   {"connect_timeout_ms", 3000},
                   {"timeout_ms", 10000}};
}

StartContext live_context() {
  StartContext c;
  c.livemode = true;
  c.sandbox_merchant = merchant_pair();
  c.sandbox_platform = platform_pair();
  return c;
}

StartContext test_context() {
  StartContext c = live_context();
  c.livemode = false;
  return c;
}

sdk::Error error_of(const sdk::Json& options, const StartContext& context) {
  auto r = resolve_settings(sdk::Options(options), context);
  EXPECT_FALSE(r.ok());
  return r.ok() ? sdk::Error{} : r.error();
}

// Whether `keys` verifies a signature made with `private_pem` under `serial`.
bool verifies_under(const PlatformKeys& keys, const std::string& serial,
                    const std::string& private_pem) {
  const auto* key = keys.find(serial);
  if (key == nullptr) return false;
  const auto raw = sdk::base64_decode(sign_with(private_pem, "probe"));
  return raw && sdk::crypto::rsa_sha256_verify(*key, "probe", *raw);
}

TEST(OptionTable, DocumentsEveryOptionWithTypesDefaultsAndSecrets) {
  const auto specs = option_specs();
  const std::vector<std::string> names = {"mchid",
                                          "app_id",
                                          "pub_app_id",
                                          "lite_app_id",
                                          "merchant_private_key",
                                          "merchant_serial_no",
                                          "api_v3_key",
                                          "platform_certificates",
                                          "wechatpay_public_key",
                                          "wechatpay_public_key_id",
                                          "api_base",
                                          "connect_timeout_ms",
                                          "timeout_ms"};
  ASSERT_EQ(specs.size(), names.size());
  for (const auto& n : names) {
    const auto* s = find_spec(specs, n);
    ASSERT_NE(s, nullptr) << n;
    EXPECT_FALSE(s->description.empty()) << n;
    EXPECT_FALSE(s->required) << n << ": test mode starts without it";
  }
  EXPECT_TRUE(find_spec(specs, "merchant_private_key")->secret);
  EXPECT_TRUE(find_spec(specs, "api_v3_key")->secret);
  EXPECT_TRUE(find_spec(specs, "wechatpay_public_key")->secret);  // for wechatpay_public_key_file
  for (const char* n : {"mchid", "app_id", "merchant_serial_no", "platform_certificates",
                        "wechatpay_public_key_id", "api_base"}) {
    EXPECT_FALSE(find_spec(specs, n)->secret) << n;
  }
  EXPECT_EQ(find_spec(specs, "platform_certificates")->type, sdk::OptionType::string_list);
  EXPECT_EQ(find_spec(specs, "connect_timeout_ms")->default_value, 3000);
  EXPECT_EQ(find_spec(specs, "timeout_ms")->default_value, 10000);
  EXPECT_EQ(find_spec(specs, "connect_timeout_ms")->type, sdk::OptionType::integer);
  EXPECT_EQ(find_spec(specs, "api_base")->default_value, "");
  EXPECT_TRUE(find_spec(specs, "mchid")->default_value.is_null());
  EXPECT_EQ(WechatPlugin().option_specs().size(), specs.size());
}

// ---- live mode -----------------------------------------------------------------------------

TEST(LiveMode, AcceptsRealCredentialsAndDefaultsToProduction) {
  auto s = resolve_settings(sdk::Options(live_options()), live_context());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->livemode);
  EXPECT_EQ(s->api_base, "https://api.mch.weixin.qq.com");
  EXPECT_EQ(s->mchid, "1900009191");
  EXPECT_EQ(s->app_id, "wx8888888888888888");
  EXPECT_EQ(s->pub_app_id, "wx8888888888888888");  // defaults to app_id
  EXPECT_EQ(s->lite_app_id, "wx8888888888888888");
  EXPECT_EQ(s->merchant_serial_no, "5157F09EFDC096DE15EBE81A47057A7232F1B8E1");
  EXPECT_EQ(s->platform_keys.size(), 1u);
  EXPECT_NE(s->platform_keys.find("D7CE59D1F522D701"), nullptr);
  EXPECT_TRUE(s->from_sandbox.empty());
  EXPECT_EQ(s->connect_timeout.count(), 3000);
  EXPECT_EQ(s->timeout.count(), 10000);
}

TEST(LiveMode, RequiresEachCredentialNamingIt) {
  for (const char* key :
       {"mchid", "app_id", "merchant_private_key", "merchant_serial_no", "api_v3_key"}) {
    auto options = live_options();
    options.erase(key);
    const auto e = error_of(options, live_context());
    EXPECT_EQ(e.param, key);
    EXPECT_NE(e.message.find(key), std::string::npos) << e.message;
    EXPECT_EQ(e.kind, sdk::ErrorKind::invalid_request);
  }
  auto options = live_options();
  options["platform_certificates"] = sdk::Json::array();
  EXPECT_EQ(error_of(options, live_context()).param, "platform_certificates");
}

TEST(LiveMode, PublicKeyModeAloneIsEnough) {
  auto options = live_options();
  options["platform_certificates"] = sdk::Json::array();
  options["wechatpay_public_key"] = stranger_pair().public_key;
  options["wechatpay_public_key_id"] = "PUB_KEY_ID_0114232134912410000000000000";
  auto s = resolve_settings(sdk::Options(options), live_context());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(verifies_under(s->platform_keys, "PUB_KEY_ID_0114232134912410000000000000",
                             stranger_pair().private_key));
  // Both sources together: certificates and the key id are all looked up.
  options["platform_certificates"] = {read_fixture("wechatpay-go-platform-cert.pem")};
  s = resolve_settings(sdk::Options(options), live_context());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->platform_keys.size(), 2u);
}

TEST(LiveMode, RefusesLocalSandboxAndPlainHttpApiBases) {
  for (const char* base :
       {"http://127.0.0.1:8080/sandbox/wechat", "https://localhost", "https://127.0.0.1",
        "https://[::1]:8443", "https://pay.example.com/sandbox/wechat", "https://0.0.0.0",
        "https://api.localhost"}) {
    auto options = live_options();
    options["api_base"] = base;
    EXPECT_EQ(error_of(options, live_context()).param, "api_base") << base;
  }
  auto options = live_options();
  options["api_base"] = "http://api.mch.weixin.qq.com";
  EXPECT_EQ(error_of(options, live_context()).param, "api_base");
  options["api_base"] = "https://api2.mch.weixin.qq.com/";
  auto s = resolve_settings(sdk::Options(options), live_context());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->api_base, "https://api2.mch.weixin.qq.com");
}

TEST(LiveMode, RefusesTheSandboxKeyPairsAndKey) {
  auto options = live_options();
  options["merchant_private_key"] = merchant_pair().private_key;
  EXPECT_EQ(error_of(options, live_context()).param, "merchant_private_key");

  options = live_options();
  options["platform_certificates"] = sdk::Json::array();
  options["wechatpay_public_key"] = platform_pair().public_key;
  options["wechatpay_public_key_id"] = sandbox_public_key_id(platform_pair().public_key);
  EXPECT_EQ(error_of(options, live_context()).param, "wechatpay_public_key");

  options = live_options();
  options["api_v3_key"] = sandbox_api_v3_key(platform_pair().public_key);
  EXPECT_EQ(error_of(options, live_context()).param, "api_v3_key");
}

// ---- test mode -----------------------------------------------------------------------------

TEST(TestMode, FillsEverythingFromTheSandbox) {
  auto s = resolve_settings(sdk::Options(sdk::Json::object()), test_context());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(s->livemode);
  EXPECT_EQ(s->api_base, "");  // <public_url>/sandbox/wechat, per request
  EXPECT_EQ(s->mchid, "1230000109");
  EXPECT_EQ(s->app_id, "wxd678efh567hg6787");
  EXPECT_EQ(s->pub_app_id, "wxd678efh567hg6787");
  EXPECT_EQ(s->lite_app_id, "wxd678efh567hg6787");
  EXPECT_EQ(s->merchant_serial_no, sandbox_certificate_serial(merchant_pair().public_key));
  EXPECT_EQ(s->api_v3_key, sandbox_api_v3_key(platform_pair().public_key));
  EXPECT_EQ(s->merchant_key.public_key_pem(),
            sdk::crypto::PrivateKey::parse(merchant_pair().private_key)->public_key_pem());
  // The simulator may name its key by certificate serial or by public key id.
  EXPECT_TRUE(verifies_under(s->platform_keys,
                             sandbox_certificate_serial(platform_pair().public_key),
                             platform_pair().private_key));
  EXPECT_TRUE(verifies_under(s->platform_keys, sandbox_public_key_id(platform_pair().public_key),
                             platform_pair().private_key));
  EXPECT_EQ(s->from_sandbox,
            (std::vector<std::string>{"mchid", "app_id", "merchant_private_key",
                                      "merchant_serial_no", "api_v3_key", "wechatpay_public_key"}));
}

TEST(TestMode, ConfiguredValuesWin) {
  const sdk::Json options = {{"mchid", "1900000001"},
                             {"app_id", "wxAPP0000000000001"},
                             {"pub_app_id", "wxPUB0000000000002"},
                             {"lite_app_id", "wxLITE000000000003"},
                             {"merchant_private_key", stranger_pair().private_key},
                             {"merchant_serial_no", "0abc"},
                             {"api_v3_key", "0123456789abcdef0123456789abcdef"},
                             {"wechatpay_public_key", stranger_pair().public_key},
                             {"wechatpay_public_key_id", "PUB_KEY_ID_42"},
                             {"api_base", "http://127.0.0.1:9999/sim"}};
  auto s = resolve_settings(sdk::Options(options), test_context());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->from_sandbox.empty());
  EXPECT_EQ(s->mchid, "1900000001");
  EXPECT_EQ(s->pub_app_id, "wxPUB0000000000002");
  EXPECT_EQ(s->lite_app_id, "wxLITE000000000003");
  EXPECT_EQ(s->merchant_serial_no, "0ABC");
  EXPECT_EQ(s->api_v3_key, "0123456789abcdef0123456789abcdef");
  EXPECT_EQ(s->api_base, "http://127.0.0.1:9999/sim");  // local bases are fine in test mode
  EXPECT_EQ(s->platform_keys.size(), 1u);               // the sandbox key is not added next to it
  EXPECT_TRUE(verifies_under(s->platform_keys, "PUB_KEY_ID_42", stranger_pair().private_key));
}

TEST(TestMode, AConfiguredMerchantKeyNeedsItsSerial) {
  const sdk::Json options = {{"merchant_private_key", stranger_pair().private_key}};
  EXPECT_EQ(error_of(options, test_context()).param, "merchant_serial_no");
}

TEST(TestMode, NoSandboxPairsMeansTheMissingKeyIsNamed) {
  StartContext bare;
  EXPECT_EQ(error_of(sdk::Json::object(), bare).param, "merchant_private_key");
  bare.sandbox_merchant = merchant_pair();
  EXPECT_EQ(error_of(sdk::Json::object(), bare).param, "api_v3_key");
  EXPECT_EQ(error_of(sdk::Json{{"api_v3_key", "0123456789abcdef0123456789abcdef"}}, bare).param,
            "platform_certificates");
}

// ---- every option on its own ----------------------------------------------------------------

std::string check_param(sdk::Json options) {
  const auto st = check_options(sdk::Options(std::move(options)));
  return st.ok() ? std::string("ok") : st.error().param;
}

TEST(CheckOptions, EachBadValueIsNamed) {
  EXPECT_EQ(check_param(sdk::Json::object()), "ok");
  EXPECT_EQ(check_param(live_options()), "ok");
  EXPECT_EQ(check_param({{"mchid", "19000x"}}), "mchid");
  EXPECT_EQ(check_param({{"app_id", "wx 1"}}), "app_id");
  EXPECT_EQ(check_param({{"pub_app_id", std::string(33, 'w')}}), "pub_app_id");
  EXPECT_EQ(check_param({{"lite_app_id", "wx/1"}}), "lite_app_id");
  EXPECT_EQ(check_param({{"merchant_serial_no", "XYZ"}}), "merchant_serial_no");
  EXPECT_EQ(check_param({{"merchant_private_key", "not a key"}}), "merchant_private_key");
  EXPECT_EQ(check_param({{"api_v3_key", "testMchAPIv3Key0"}}), "api_v3_key");  // 16 bytes
  EXPECT_EQ(check_param({{"api_v3_key", std::string(33, 'k')}}), "api_v3_key");
  EXPECT_EQ(check_param({{"api_base", "api.mch.weixin.qq.com"}}), "api_base");
  EXPECT_EQ(check_param({{"api_base", "https://api.mch.weixin.qq.com/?x=1"}}), "api_base");
  EXPECT_EQ(check_param({{"connect_timeout_ms", 5000}, {"timeout_ms", 4000}}),
            "connect_timeout_ms");
}

TEST(CheckOptions, SecretsAreNeverEchoed) {
  const std::string wrong_length_key = "s3cr3t-0123456789abcdef-01234567";
  ASSERT_EQ(wrong_length_key.size(), 32u);
  const auto st = check_options(sdk::Options(sdk::Json{{"api_v3_key", wrong_length_key + "x"}}));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().message.find(wrong_length_key), std::string::npos);
}

TEST(CheckOptions, PlatformCertificatesAreNamedByIndex) {
  const std::string cert = read_fixture("wechatpay-go-platform-cert.pem");
  EXPECT_EQ(check_param({{"platform_certificates", {cert, "/etc/wechat/cert.pem"}}}),
            "platform_certificates[1]");
  EXPECT_EQ(check_param({{"platform_certificates", {cert, cert}}}), "platform_certificates[1]");
  EXPECT_EQ(check_param({{"platform_certificates", {platform_pair().public_key}}}),
            "platform_certificates[0]");
}

TEST(CheckOptions, PublicKeyAndItsIdGoTogether) {
  EXPECT_EQ(check_param({{"wechatpay_public_key", stranger_pair().public_key}}),
            "wechatpay_public_key_id");
  EXPECT_EQ(check_param({{"wechatpay_public_key_id", "PUB_KEY_ID_1"}}), "wechatpay_public_key");
  EXPECT_EQ(check_param({{"wechatpay_public_key", stranger_pair().public_key},
                         {"wechatpay_public_key_id", "KEY_1"}}),
            "wechatpay_public_key_id");
  EXPECT_EQ(check_param(
                {{"wechatpay_public_key", "garbage"}, {"wechatpay_public_key_id", "PUB_KEY_ID_1"}}),
            "wechatpay_public_key");
}

TEST(CheckOptions, ThePluginValidatesWithTheSameRules) {
  WechatPlugin plugin;
  EXPECT_TRUE(plugin.validate(sdk::Options(live_options())).ok());
  const auto st = plugin.validate(sdk::Options(sdk::Json{{"api_v3_key", "short"}}));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().param, "api_v3_key");
}

// ---- the sandbox identity, as the contract derives it ---------------------------------------

TEST(SandboxIdentity, DerivedFromTheSha256OfThePemText) {
  const std::string& pem = platform_pair().public_key;
  const std::string digest = sdk::crypto::sha256(pem);
  const std::string serial = sandbox_certificate_serial(pem);
  EXPECT_EQ(serial.size(), 40u);
  EXPECT_EQ(serial, sdk::hex_upper(digest).substr(0, 40));
  const std::string id = sandbox_public_key_id(pem);
  ASSERT_EQ(id.size(), 11u + 32u);
  EXPECT_TRUE(id.starts_with("PUB_KEY_ID_"));
  for (std::size_t i = 0; i < 32; ++i) {
    EXPECT_EQ(id[11 + i] - '0', static_cast<unsigned char>(digest[i]) % 10) << i;
  }
  const std::string key = sandbox_api_v3_key(pem);
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(key, sdk::hex_lower(sdk::crypto::sha256("payhost-sandbox-apiv3:" + pem)).substr(0, 32));
  // Another PEM text, another identity.
  EXPECT_NE(sandbox_certificate_serial(merchant_pair().public_key), serial);
}

}  // namespace
}  // namespace payhost::wechat
