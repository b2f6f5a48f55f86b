// The option table and the start-up rules that keep test keys and simulators out of live
// mode.
#include <gtest/gtest.h>

#include <sstream>

#include "alipay_plugin.hpp"
#include "options.hpp"
#include "test_support.hpp"

namespace payhost::alipay {
namespace {

using testing::merchant_pair;
using testing::platform_pair;
using testing::read_fixture;

const sdk::OptionSpec* find_spec(const std::vector<sdk::OptionSpec>& specs, std::string_view n) {
  for (const auto& s : specs) {
    if (s.name == n) return &s;
  }
  return nullptr;
}

// Real-looking live credentials: the Node SDK's app key and Alipay key fixtures.
sdk::Json live_options() {
  return sdk::Json{{"app_id", "2021000122671080"},
                   {"app_private_key", read_fixture("app-private-key.pem")},
                   {"alipay_public_key", read_fixture("alipay-public-key.pem")},
                   {"gateway_url", ""},
                   {"timeout_ms", 10000}};
}

StartContext live_context() {
  StartContext c;
  c.livemode = true;
  c.sandbox_merchant = merchant_pair();
  c.sandbox_platform = platform_pair();
  return c;
}

sdk::Error live_error(const sdk::Json& options) {
  auto r = resolve_settings(sdk::Options(options), live_context());
  EXPECT_FALSE(r.ok());
  return r.ok() ? sdk::Error{} : r.error();
}

TEST(OptionTable, DocumentsEveryOptionWithTypesDefaultsAndSecrets) {
  const auto specs = option_specs();
  const std::vector<std::string> names = {"app_id",      "app_private_key", "alipay_public_key",
                                          "gateway_url", "seller_id",       "timeout_ms",
                                          "notify_url",  "return_url"};
  ASSERT_EQ(specs.size(), names.size());
  for (const auto& n : names) {
    const auto* s = find_spec(specs, n);
    ASSERT_NE(s, nullptr) << n;
    EXPECT_FALSE(s->description.empty()) << n;
    EXPECT_FALSE(s->required) << n << ": test mode starts without it";
  }
  EXPECT_TRUE(find_spec(specs, "app_private_key")->secret);
  EXPECT_TRUE(find_spec(specs, "alipay_public_key")->secret);  // for alipay_public_key_file
  EXPECT_FALSE(find_spec(specs, "app_id")->secret);
  EXPECT_FALSE(find_spec(specs, "gateway_url")->secret);
  const auto* timeout = find_spec(specs, "timeout_ms");
  EXPECT_EQ(timeout->type, sdk::OptionType::integer);
  EXPECT_EQ(timeout->default_value, 10000);
  EXPECT_EQ(find_spec(specs, "gateway_url")->default_value, "");
  EXPECT_TRUE(find_spec(specs, "app_id")->default_value.is_null());
  // The plugin exposes the same table.
  EXPECT_EQ(AlipayPlugin().option_specs().size(), specs.size());
}

TEST(LiveMode, AcceptsRealKeysAndDefaultsToProduction) {
  auto s = resolve_settings(sdk::Options(live_options()), live_context());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->livemode);
  EXPECT_EQ(s->gateway_url, "https://openapi.alipay.com/gateway.do");
  EXPECT_EQ(s->app_id, "2021000122671080");
  EXPECT_FALSE(s->using_sandbox_keys);
  EXPECT_EQ(s->timeout.count(), 10000);
}

TEST(LiveMode, RequiresAppIdAndBothKeys) {
  for (const char* name : {"app_id", "app_private_key", "alipay_public_key"}) {
    sdk::Json o = live_options();
    o.erase(name);
    const auto e = live_error(o);
    EXPECT_EQ(e.param, name);
    EXPECT_NE(e.message.find("required in live mode"), std::string::npos) << e.message;
    o[name] = "";
    EXPECT_EQ(live_error(o).param, name);
  }
}

TEST(LiveMode, RefusesSandboxAndLocalGateways) {
  for (const char* url :
       {"https://pay.example.com/sandbox/alipay/gateway.do", "https://localhost/gateway.do",
        "https://127.0.0.1:8443/gateway.do", "https://LOCALHOST:443/gateway.do",
        "https://[::1]/gateway.do", "https://openapi-sandbox.dl.alipaydev.com/gateway.do",
        "https://openapi.alipaydev.com/gateway.do"}) {
    sdk::Json o = live_options();
    o["gateway_url"] = url;
    EXPECT_EQ(live_error(o).param, "gateway_url") << url;
  }
  sdk::Json plain_http = live_options();
  plain_http["gateway_url"] = "http://openapi.alipay.com/gateway.do";
  EXPECT_EQ(live_error(plain_http).param, "gateway_url");

  sdk::Json proxy = live_options();
  proxy["gateway_url"] = "https://alipay-egress.corp.example.com/gateway.do";
  EXPECT_TRUE(resolve_settings(sdk::Options(proxy), live_context()).ok());
}

TEST(LiveMode, RefusesTheSandboxKeyPairsHoweverSpelled) {
  sdk::Json merchant = live_options();
  merchant["app_private_key"] = merchant_pair().private_key;
  EXPECT_EQ(live_error(merchant).param, "app_private_key");

  sdk::Json platform = live_options();
  platform["alipay_public_key"] = platform_pair().public_key;
  EXPECT_EQ(live_error(platform).param, "alipay_public_key");

  // Same key as bare base64 without PEM armour.
  std::string bare;
  std::istringstream lines(platform_pair().public_key);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("-----", 0) != 0) bare += line;
  }
  platform["alipay_public_key"] = bare;
  EXPECT_EQ(live_error(platform).param, "alipay_public_key");
}

TEST(LiveMode, StartsWhenTheHostHasNoSandboxKeys) {
  StartContext c;
  c.livemode = true;
  EXPECT_TRUE(resolve_settings(sdk::Options(live_options()), c).ok());
}

TEST(LiveMode, BadKeyTextNamesTheOption) {
  sdk::Json o = live_options();
  o["app_private_key"] =
      "-----BEGIN RSA PRIVATE KEY-----\nnot base64!\n-----END RSA PRIVATE KEY-----";
  EXPECT_EQ(live_error(o).param, "app_private_key");
  o = live_options();
  o["alipay_public_key"] = "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA";
  EXPECT_EQ(live_error(o).param, "alipay_public_key");
}

TEST(TestMode, RunsWithoutAnyOptionOnTheSandboxKeyPairs) {
  StartContext c;
  c.sandbox_merchant = merchant_pair();
  c.sandbox_platform = platform_pair();
  auto s = resolve_settings(sdk::Options(sdk::Json::object()), c);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(s->livemode);
  EXPECT_EQ(s->app_id, "9021000000000001");
  EXPECT_TRUE(s->gateway_url.empty());  // resolved per request from public_url
  EXPECT_TRUE(s->using_sandbox_keys);
  EXPECT_EQ(s->app_private_key.public_key_pem(),
            load_private_key(merchant_pair().private_key)->public_key_pem());
}

TEST(TestMode, ConfiguredKeysAndAppIdWin) {
  StartContext c;
  c.sandbox_merchant = merchant_pair();
  c.sandbox_platform = platform_pair();
  sdk::Json o = live_options();
  o["app_id"] = "9021000000000002";
  auto s = resolve_settings(sdk::Options(o), c);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->app_id, "9021000000000002");
  EXPECT_FALSE(s->using_sandbox_keys);
  EXPECT_TRUE(s->gateway_url.empty());
}

TEST(TestMode, NoKeysAndNoSandboxIsAnError) {
  auto s = resolve_settings(sdk::Options(sdk::Json::object()), StartContext{});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().param, "app_private_key");
}

TEST(Gateways, NonProductionDetection) {
  EXPECT_FALSE(is_non_production_gateway("https://openapi.alipay.com/gateway.do"));
  EXPECT_TRUE(is_non_production_gateway("http://127.0.0.1:8080/sandbox/alipay/gateway.do"));
  EXPECT_TRUE(is_non_production_gateway("https://user:pw@localhost/gateway.do"));
  EXPECT_TRUE(is_non_production_gateway("https://app.localhost/gateway.do"));
  EXPECT_TRUE(is_non_production_gateway("not a url"));
  EXPECT_FALSE(is_non_production_gateway("https://localhost.example.com/gateway.do"));
}

TEST(PluginStart, LiveModeWithoutKeysStopsStartUp) {
  testing::TestHost host;
  host.live = true;
  AlipayPlugin plugin;
  const auto status = plugin.start(sdk::Options(sdk::Json{{"app_id", "2021000122671080"}}), host);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().param, "app_private_key");
}

TEST(PluginStart, LiveModeWithSandboxGatewayStopsStartUp) {
  testing::TestHost host;
  host.live = true;
  sdk::Json o = live_options();
  o["gateway_url"] = "http://127.0.0.1:8080/sandbox/alipay/gateway.do";
  AlipayPlugin plugin;
  const auto status = plugin.start(sdk::Options(o), host);
  ASSERT_FALSE(status.ok());
  EXPECT_EQ(status.error().param, "gateway_url");
}

TEST(PluginStart, LogsNoSecrets) {
  testing::TestHost host;
  AlipayPlugin plugin;
  ASSERT_TRUE(plugin.start(sdk::Options(live_options()), host).ok());
  EXPECT_FALSE(host.log.contains("MIIE")) << host.log.dump();
  EXPECT_FALSE(host.log.contains("PRIVATE")) << host.log.dump();
}

}  // namespace
}  // namespace payhost::alipay
