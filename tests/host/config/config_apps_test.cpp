// The /v1 API's config sections: apps, their webhook endpoints and signing keys, webhook
// delivery and API limits. Each refusal names the file, the key and what is allowed.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "config_fixture.hpp"

namespace payhost::host {
namespace {

namespace fs = std::filesystem;

// The same files and directory as the other config tests.
using ConfigAppsTest = ConfigTest;

TEST_F(ConfigAppsTest, TheHostsAppIsAlwaysTheFirstApp) {
  auto c = load_config(write("app_id: app_aaaaaaaaaaaaaaaa\n"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->apps.size(), 1u);
  EXPECT_EQ(c->apps[0].id, "app_aaaaaaaaaaaaaaaa");
  EXPECT_TRUE(c->apps[0].webhooks.empty());

  c =
      load_config(write("app_id: app_aaaaaaaaaaaaaaaa\n"
                        "apps:\n"
                        "  app_bbbbbbbbbbbbbbbb:\n"
                        "  app_aaaaaaaaaaaaaaaa:\n"
                        "    webhooks:\n"
                        "      - url: https://merchant.example/hooks\n"
                        "        events: [refund.succeeded]\n"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->apps.size(), 2u);
  EXPECT_EQ(c->apps[0].id, "app_aaaaaaaaaaaaaaaa");
  EXPECT_EQ(c->apps[1].id, "app_bbbbbbbbbbbbbbbb");
  ASSERT_EQ(c->apps[0].webhooks.size(), 1u);
  EXPECT_TRUE(c->apps[0].webhooks[0].wants("refund.succeeded"));
  EXPECT_FALSE(c->apps[0].webhooks[0].wants("charge.succeeded"));
  EXPECT_NE(c->app("app_bbbbbbbbbbbbbbbb"), nullptr);
  EXPECT_EQ(c->app("app_cccccccccccccccc"), nullptr);
}

TEST_F(ConfigAppsTest, EndpointWithoutEventsTakesEveryType) {
  auto c =
      load_config(write("apps:\n  app_bbbbbbbbbbbbbbbb:\n    webhooks:\n"
                        "      - url: http://127.0.0.1:9/h\n"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  const AppConfig* app = c->app("app_bbbbbbbbbbbbbbbb");
  ASSERT_NE(app, nullptr);
  EXPECT_TRUE(app->webhooks.at(0).wants("charge.succeeded"));
  EXPECT_TRUE(app->webhooks.at(0).wants("refund.succeeded"));
}

TEST_F(ConfigAppsTest, BadAppsAreNamed) {
  EXPECT_NE(error_of("apps:\n  app_short:\n").find("apps.app_short: app ids are"),
            std::string::npos);
  EXPECT_NE(error_of("apps:\n  app_bbbbbbbbbbbbbbb_:\n").find("app ids are"), std::string::npos);
  EXPECT_NE(error_of("apps:\n  app_bbbbbbbbbbbbbbbb:\n    webhook: []\n")
                .find("apps.app_bbbbbbbbbbbbbbbb.webhook: unknown key"),
            std::string::npos);
  EXPECT_NE(error_of("apps:\n  app_bbbbbbbbbbbbbbbb:\n    webhooks:\n      - url: ftp://x/\n")
                .find("webhooks[0].url: expected an absolute http(s) URL"),
            std::string::npos);
  EXPECT_NE(error_of("apps:\n  app_bbbbbbbbbbbbbbbb:\n    webhooks:\n      - url: http://x/\n"
                     "        events: [charge.refunded]\n")
                .find("unknown event type \"charge.refunded\""),
            std::string::npos);
  EXPECT_NE(error_of("apps:\n  app_bbbbbbbbbbbbbbbb:\n    webhooks:\n      - url: http://x/\n"
                     "        events: [charge.succeeded]\n      - url: http://x/\n"
                     "        events: [refund.succeeded]\n")
                .find("webhooks[1].url: this URL is listed twice"),
            std::string::npos);
  EXPECT_NE(error_of("apps:\n  app_bbbbbbbbbbbbbbbb:\n    require_signature: true\n")
                .find("require_signature: needs request_public_key"),
            std::string::npos);
  EXPECT_NE(error_of("apps:\n  app_bbbbbbbbbbbbbbbb:\n    request_public_key: not a key\n")
                .find("request_public_key: not an RSA public key"),
            std::string::npos);
}

TEST_F(ConfigAppsTest, WebhookScheduleAndLimits) {
  auto c =
      load_config(write("webhooks:\n  retry_seconds: [1, 2, 3]\n  lease_seconds: 5\n"
                        "  timeout_ms: 1000\n"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->webhooks.retry_seconds, (std::vector<std::int64_t>{1, 2, 3}));
  c = load_config(write("livemode: false\n"));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->webhooks.retry_seconds,
            (std::vector<std::int64_t>{120, 600, 600, 3600, 7200, 21600, 54000}));

  EXPECT_NE(error_of("webhooks:\n  retry_seconds: [1, soon]\n")
                .find("webhooks.retry_seconds[1]: expected an integer number of seconds"),
            std::string::npos);
  EXPECT_NE(error_of("webhooks:\n  retry_seconds: [-1]\n").find("retry_seconds[0]"),
            std::string::npos);
  EXPECT_NE(error_of("webhooks:\n  lease_seconds: 5\n  timeout_ms: 5000\n")
                .find("webhooks.lease_seconds: must be longer than timeout_ms"),
            std::string::npos);
  EXPECT_NE(error_of("api:\n  rate_limit: 5\n").find("api.rate_limit: unknown key"),
            std::string::npos);
}

}  // namespace
}  // namespace payhost::host
