// The option table, live-mode requirements and refusals (each naming its key), and test
// mode's use of the simulator's files (present at start, or appearing later).
#include <gtest/gtest.h>

#include "options.hpp"
#include "test_support.hpp"

namespace payhost::unionpay {
namespace {

using testing::pki;

struct Files {
  std::filesystem::path dir = testing::fresh_dir("options");
  std::string pfx = (dir / "merchant.pfx").string();
  std::string root = (dir / "root.cer").string();
  std::string middle = (dir / "middle.cer").string();
  Files() {
    testing::write_file(pfx, pki().merchant_pfx);
    testing::write_file(root, pki().root.pem);
    testing::write_file(middle, pki().middle.pem);
  }
  ~Files() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

sdk::Json live_options(const Files& f) {
  return {{"mer_id", "898111111111111"},
          {"sign_cert_pfx", f.pfx},
          {"sign_cert_password", "000000"},
          {"root_cert", f.root},
          {"middle_cert", f.middle},
          {"apple_merchant_id", "merchant.com.shop"},
          {"connect_timeout_ms", 3000},
          {"timeout_ms", 10000},
          {"gateway_base", ""},
          {"notify_url", ""}};
}

StartContext live() {
  StartContext c;
  c.livemode = true;
  c.data_dir = "/nonexistent";
  c.enabled_channels = {"upacp", "applepay_upacp"};
  return c;
}

std::string refused_param(const sdk::Json& values, const StartContext& context) {
  auto s = resolve_settings(sdk::Options(values), context);
  return s ? "accepted" : s.error().param;
}

TEST(UnionpayOptions, TableNamesEveryOptionAndMarksSecrets) {
  std::vector<std::string> names;
  for (const auto& spec : option_specs()) {
    names.push_back(spec.name);
    EXPECT_FALSE(spec.required) << spec.name;
    EXPECT_FALSE(spec.description.empty()) << spec.name;
    const bool secret = spec.name == "sign_cert_password" || spec.name == "sign_private_key";
    EXPECT_EQ(spec.secret, secret) << spec.name;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"mer_id", "sign_cert_pfx", "sign_cert_password",
                                             "sign_private_key", "sign_cert", "root_cert",
                                             "middle_cert", "apple_merchant_id", "gateway_base",
                                             "notify_url", "connect_timeout_ms", "timeout_ms"}));
}

TEST(UnionpayOptions, LiveModeWithEverythingConfigured) {
  Files f;
  auto s = resolve_settings(sdk::Options(live_options(f)), live());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->gateway_base, "https://gateway.95516.com");
  EXPECT_EQ(s->mer_id, "898111111111111");
  ASSERT_TRUE(s->material);
  EXPECT_EQ(s->material->signer.cert_id, "69903319369");
  EXPECT_TRUE(s->from_sandbox.empty());
}

TEST(UnionpayOptions, LiveModeRequiresEachPieceByName) {
  Files f;
  for (const char* name : {"mer_id", "sign_cert_pfx", "root_cert", "apple_merchant_id"}) {
    sdk::Json values = live_options(f);
    values.erase(std::string(name));
    if (std::string(name) == "sign_cert_pfx") values.erase("sign_cert_password");
    if (std::string(name) == "root_cert") values.erase("middle_cert");
    EXPECT_EQ(refused_param(values, live()), name);
  }
  // apple_merchant_id only matters when applepay_upacp is enabled.
  sdk::Json values = live_options(f);
  values.erase("apple_merchant_id");
  StartContext no_apple = live();
  no_apple.enabled_channels = {"upacp_pc"};
  EXPECT_EQ(refused_param(values, no_apple), "accepted");
}

TEST(UnionpayOptions, LiveModeRefusesTestAndLocalGateways) {
  Files f;
  for (const char* base :
       {"https://gateway.test.95516.com", "https://127.0.0.1:8080", "https://localhost",
        "http://gateway.95516.com", "https://pay.example/sandbox/unionpay"}) {
    sdk::Json values = live_options(f);
    values["gateway_base"] = base;
    EXPECT_EQ(refused_param(values, live()), "gateway_base") << base;
  }
  sdk::Json values = live_options(f);
  values["notify_url"] = "http://pay.example/notify/unionpay";
  EXPECT_EQ(refused_param(values, live()), "notify_url");
  values["notify_url"] = "https://pay.example/notify/unionpay";
  EXPECT_EQ(refused_param(values, live()), "accepted");
}

TEST(UnionpayOptions, LiveModeRefusesSandboxKeys) {
  Files f;
  const testing::Key sandbox_key = testing::make_key(65539);
  const auto cert =
      testing::make_cert("041@Z2026@777290058167151:SIGN@1", sandbox_key, &pki().middle,
                         pki().middle_key, false, testing::kNow - 10, testing::kNow + 1000, 5);
  testing::write_file(f.pfx, testing::make_pfx(sandbox_key, cert, "000000"));
  EXPECT_EQ(refused_param(live_options(f), live()), "sign_cert_pfx");
  StartContext test_mode;
  EXPECT_EQ(refused_param(live_options(f), test_mode), "accepted");
}

TEST(UnionpayOptions, RefusalsNameTheirKey) {
  Files f;
  const StartContext test_mode;
  auto with = [&](const char* name, sdk::Json value) {
    sdk::Json values = live_options(f);
    values[name] = std::move(value);
    return refused_param(values, test_mode);
  };
  EXPECT_EQ(with("mer_id", "12345"), "mer_id");
  EXPECT_EQ(with("mer_id", "77729005816715-"), "mer_id");
  EXPECT_EQ(with("sign_cert_password", "wrong"), "sign_cert_password");
  EXPECT_EQ(with("sign_cert_pfx", (f.dir / "missing.pfx").string()), "sign_cert_pfx");
  EXPECT_EQ(with("sign_cert_pfx", f.root), "sign_cert_pfx");
  EXPECT_EQ(with("root_cert", f.middle), "root_cert");
  EXPECT_EQ(with("middle_cert", pki().outsider_root.pem), "middle_cert");
  EXPECT_EQ(with("middle_cert", "/nonexistent/middle.cer"), "middle_cert");
  EXPECT_EQ(with("gateway_base", "gateway.95516.com"), "gateway_base");
  EXPECT_EQ(with("gateway_base", "https://gw.example/a?b"), "gateway_base");
  EXPECT_EQ(with("notify_url", "https://pay.example/n&x=1"), "notify_url");
  EXPECT_EQ(with("apple_merchant_id", "merchant id"), "apple_merchant_id");
  EXPECT_EQ(with("connect_timeout_ms", 20000), "connect_timeout_ms");
  EXPECT_EQ(with("sign_private_key", pki().merchant_key.private_pem), "sign_private_key");

  sdk::Json values = live_options(f);
  values.erase("sign_cert_password");
  EXPECT_EQ(refused_param(values, test_mode), "sign_cert_password");
  values = live_options(f);
  values.erase("middle_cert");
  EXPECT_EQ(refused_param(values, test_mode), "middle_cert");
  values = live_options(f);
  values.erase("sign_cert_pfx");
  EXPECT_EQ(refused_param(values, test_mode), "sign_cert_password");
}

TEST(UnionpayOptions, APemKeyAndCertificateReplaceThePfx) {
  Files f;
  sdk::Json values = live_options(f);
  values.erase("sign_cert_pfx");
  values.erase("sign_cert_password");
  values["sign_private_key"] = pki().merchant_key.private_pem;
  values["sign_cert"] = pki().merchant.pem;
  values["root_cert"] = pki().root.pem;  // PEM text instead of a path
  auto s = resolve_settings(sdk::Options(values), live());
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_EQ(s->material->signer.cert_id, "69903319369");

  values["sign_private_key"] = pki().sign_key.private_pem;
  EXPECT_EQ(refused_param(values, live()), "sign_private_key");
  values["sign_private_key"] = pki().merchant_key.private_pem;
  values.erase("sign_cert");
  EXPECT_EQ(refused_param(values, live()), "sign_cert");
}

TEST(UnionpayOptions, TestModeWaitsForTheSimulatorsFiles) {
  const auto data_dir = testing::fresh_dir("data");
  StartContext context;
  context.data_dir = data_dir.string();
  auto s = resolve_settings(sdk::Options(sdk::Json::object()), context);
  ASSERT_TRUE(s) << s.error().message;
  EXPECT_FALSE(s->material);
  EXPECT_EQ(s->mer_id, "777290058167151");
  EXPECT_EQ(s->apple_merchant_id, "merchant.com.payhost.sandbox");
  EXPECT_EQ(s->gateway_base, "");
  EXPECT_EQ(s->from_sandbox,
            (std::vector<std::string>{"mer_id", "apple_merchant_id", "sign_cert_pfx", "root_cert",
                                      "middle_cert"}));
  auto missing = load_material(s->source);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "sandbox_not_ready");
  EXPECT_NE(missing.error().message.find("enable the sandbox_unionpay plugin"), std::string::npos);

  testing::write_sandbox_files(data_dir);
  auto loaded = load_material(s->source);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ((*loaded)->signer.cert_id, "69903319369");

  auto at_start = resolve_settings(sdk::Options(sdk::Json::object()), context);
  ASSERT_TRUE(at_start);
  EXPECT_TRUE(at_start->material);
  std::filesystem::remove_all(data_dir);
}

TEST(UnionpayOptions, NonProductionGateways) {
  EXPECT_TRUE(is_non_production_gateway("https://gateway.test.95516.com"));
  EXPECT_TRUE(is_non_production_gateway("https://GATEWAY.TEST.95516.COM/"));
  EXPECT_TRUE(is_non_production_gateway("http://[::1]:8080"));
  EXPECT_TRUE(is_non_production_gateway("https://x.example/sandbox/unionpay"));
  EXPECT_FALSE(is_non_production_gateway("https://gateway.95516.com"));
}

}  // namespace
}  // namespace payhost::unionpay
