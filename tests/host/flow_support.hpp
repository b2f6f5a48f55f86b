// Helpers for tests that drive payhostd with the test channel and test product.
#pragma once

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

#include "support/harness.hpp"
#include "support/testchannel_notification.hpp"

namespace payhost::flow {

using Json = nlohmann::ordered_json;
using testing::Payhostd;

// A config with the test plugins; `channel_options`/`product_options` are YAML maps.
inline std::string config(const std::string& channel_options = "{}",
                          const std::string& product_options = "{}",
                          const std::string& jobs = "{janitor: false}") {
  return "livemode: false\n"
         "app_id: app_5anXP4ezfXvL8m5e\n"
         "data_dir: \"@DATA_DIR@\"\n"
         "plugin_dir: \"@PLUGIN_DIR@\"\n"
         "database:\n  url: \"@DATABASE_URL@\"\n"
         "auth:\n  jwt_secret: test-secret-please-change-0123456789\n  admin_users: [\"1\"]\n"
         "jobs: " +
         jobs +
         "\n"
         "plugins:\n"
         "  testchannel:\n    path: \"@TEST_PLUGIN_DIR@/testchannel.so\"\n"
         "    channels: [testpay, testpay_wap]\n    options: " +
         channel_options +
         "\n"
         "  testproduct:\n    path: \"@TEST_PLUGIN_DIR@/testproduct.so\"\n"
         "    options: " +
         product_options + "\n";
}

using Notice = testing::TestchannelNotice;

inline std::string notification_body(const Notice& n) {
  return testing::testchannel_notification(n);
}

inline testing::HttpResult notify(const Payhostd& host, const Notice& n) {
  return host.post_json("/notify/testchannel", notification_body(n));
}

inline Json create(const Payhostd& host, long long amount, const std::string& channel = "testpay",
                   const Json& extra = Json::object()) {
  auto r = host.post_json("/test/charges",
                          Json{{"channel", channel}, {"amount", amount}, {"extra", extra}}.dump());
  if (r.status != 201)
    throw std::runtime_error("create failed: " + std::to_string(r.status) + " " + r.body);
  return r.json();
}

inline Json charge(const Payhostd& host, const std::string& id, bool retrieve = false) {
  return host.get("/test/charges/" + id + (retrieve ? "?mode=retrieve" : "")).json();
}

inline Json order(const Payhostd& host, const Json& charge) {
  return host.get("/test/orders/" + charge["metadata"]["order_ref"].get<std::string>()).json();
}

// The test channel's "provider" state for an order (see tests/testplugins/README.md).
inline void provider_says(const Payhostd& host, const std::string& order_no, const Json& state) {
  std::ofstream(host.data_dir() + "/testchannel/" + order_no + ".json") << state.dump();
}

inline bool eventually(const std::function<bool()>& condition, int seconds = 20) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return condition();
}

// A series' value, 0 if absent. Matched at a line's start, so that an unlabelled series
// is not taken for its own "# HELP" line.
inline long long metric(const Payhostd& host, const std::string& series) {
  const std::string text = host.get("/metrics").body;
  const auto pos = text.find("\n" + series + " ");
  return pos == std::string::npos ? 0 : std::stoll(text.substr(pos + series.size() + 2));
}

}  // namespace payhost::flow
