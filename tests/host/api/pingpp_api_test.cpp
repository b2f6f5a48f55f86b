// The /v1 API driven by Ping++'s own server SDK for Node (npm `pingpp`, tests/pingpp_sdk):
// the real payhostd with the test channel, once per database, keys made by the CLI, an app
// that requires signed requests, events read back through the SDK.
#include <gtest/gtest.h>

#include "pingpp_api_support.hpp"

namespace payhost::flow::v1 {
namespace {

struct NodeRun {
  int exit_code = 0;
  std::string output;
  Json result;  // the script's last JSON line
};

NodeRun run_node(const std::string& phase, const std::vector<std::string>& env) {
  std::vector<std::string> argv = {"/usr/bin/env", "NODE_PATH=" + sdk_dir() + "/node_modules"};
  argv.insert(argv.end(), env.begin(), env.end());
  argv.insert(argv.end(), {"/usr/bin/node",
                           std::string(PAYHOST_SOURCE_DIR) + "/tests/pingpp_sdk/script.js", phase});
  NodeRun run;
  run.exit_code = testing::run_process(argv, &run.output);
  const auto last = run.output.rfind("{\"ok\"");
  if (last != std::string::npos) {
    run.result =
        Json::parse(run.output.substr(last, run.output.find('\n', last) - last), nullptr, false);
  }
  return run;
}

class PingppSdk : public ::testing::TestWithParam<bool> {
 protected:
  bool postgres() const { return GetParam(); }
};

TEST_P(PingppSdk, NodeSdkDrivesEveryRoute) {
  // npm's install must be there: a missing one is a failure, never a skip.
  ASSERT_FALSE(read_text(sdk_example("your_rsa_private_key.pem")).empty());
  Payhostd host(v1_config(), postgres());
  const std::string key = create_key(host, {"--label", "sdk test"});
  const std::string live_key = create_key(host, {"--mode", "live"});
  const std::string signed_key = create_key(host, {"--app", kSignedApp});
  ASSERT_TRUE(key.starts_with("sk_test_"));
  ASSERT_TRUE(live_key.starts_with("sk_live_"));
  const std::string port = std::to_string(host.port());

  const NodeRun flow =
      run_node("flow", {"PAYHOST_PORT=" + port, "PAYHOST_KEY=" + key,
                        "PAYHOST_APP=" + std::string(kApp), "PAYHOST_OTHER_MODE_KEY=" + live_key});
  ASSERT_EQ(flow.exit_code, 0) << flow.output << host.output();
  ASSERT_TRUE(flow.result.is_object()) << flow.output;
  EXPECT_EQ(flow.result["ok"], true) << flow.output;
  EXPECT_GE(flow.result["checks"].get<int>(), 70) << flow.output;
  const std::string paid = flow.result["paid_charge"];

  // What the SDK saw is what the tables hold.
  Tables tables(host);
  EXPECT_EQ(tables.text("SELECT state FROM charges WHERE id = '" + paid + "'"), "succeeded");
  EXPECT_EQ(tables.number("SELECT amount_refunded FROM charges WHERE id = '" + paid + "'"), 101);
  EXPECT_EQ(tables.number("SELECT COUNT(*) FROM refunds WHERE charge_id = '" + paid + "'"), 2);
  EXPECT_EQ(tables.text("SELECT product FROM charges WHERE id = '" + paid + "'"), "");
  const std::string reversed = flow.result["charges"][2];
  EXPECT_EQ(tables.number("SELECT reversed FROM charges WHERE id = '" + reversed + "'"), 1);
  EXPECT_EQ(tables.text("SELECT state FROM charges WHERE id = '" + reversed + "'"), "closed");

  const std::string event_id = tables.text("SELECT id FROM events WHERE object_id = '" + paid +
                                           "' AND type = 'charge.succeeded'");
  ASSERT_TRUE(event_id.starts_with("evt_")) << event_id;
  const NodeRun event = run_node(
      "event", {"PAYHOST_PORT=" + port, "PAYHOST_KEY=" + key, "PAYHOST_APP=" + std::string(kApp),
                "PAYHOST_EVENT_ID=" + event_id, "PAYHOST_EVENT_CHARGE=" + paid});
  EXPECT_EQ(event.exit_code, 0) << event.output;

  // The app that requires signatures: the SDK signs with the example pair; app 1's charge
  // is a plain 404 there.
  const NodeRun signed_flow =
      run_node("flow", {"PAYHOST_PORT=" + port, "PAYHOST_KEY=" + signed_key,
                        "PAYHOST_APP=" + std::string(kSignedApp), "PAYHOST_SIGN=1",
                        "PAYHOST_FOREIGN_CHARGE=" + paid});
  EXPECT_EQ(signed_flow.exit_code, 0) << signed_flow.output << host.output();
  // Events of one app are another app's 404.
  const NodeRun foreign_event =
      run_node("event", {"PAYHOST_PORT=" + port, "PAYHOST_KEY=" + signed_key,
                         "PAYHOST_APP=" + std::string(kSignedApp), "PAYHOST_SIGN=1",
                         "PAYHOST_EVENT_ID=" + event_id, "PAYHOST_EVENT_CHARGE=" + paid});
  EXPECT_NE(foreign_event.exit_code, 0) << foreign_event.output;
  EXPECT_NE(foreign_event.output.find("PingppInvalidRequest"), std::string::npos)
      << foreign_event.output;

  // Revoked: refused at once.
  std::string listed;
  ASSERT_EQ(host.cli({"keys", "list"}, &listed), 0) << listed;
  EXPECT_EQ(listed.find(key), std::string::npos) << "keys list shows a whole key";
  const std::string hint = key.substr(0, 12);
  const auto line = listed.find(hint);
  ASSERT_NE(line, std::string::npos) << listed;
  const std::string key_id = key_id_in(listed.substr(listed.rfind('\n', line) + 1));
  ASSERT_FALSE(key_id.empty()) << listed;
  EXPECT_EQ(host.get("/v1/charges/" + paid, "").status, 401);
  EXPECT_EQ(host.request("GET", "/v1/charges/" + paid, "", bearer(key)).status, 200);
  std::string out;
  ASSERT_EQ(host.cli({"keys", "revoke", key_id}, &out), 0) << out;
  EXPECT_EQ(host.request("GET", "/v1/charges/" + paid, "", bearer(key)).status, 401);
  EXPECT_NE(host.cli({"keys", "revoke", key_id}, &out), 0) << out;
}

INSTANTIATE_TEST_SUITE_P(Databases, PingppSdk, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& p) {
                           return p.param ? "PostgreSQL" : "SQLite";
                         });

}  // namespace
}  // namespace payhost::flow::v1
