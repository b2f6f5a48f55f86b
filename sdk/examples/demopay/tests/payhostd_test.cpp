// DemoPay inside the real payhostd, started by the kit's harness: the host routes DemoPay's
// notifications to the plugin, which checks the signature before the host looks for the
// charge, and DemoPay gets the plugin's reply.
#include <gtest/gtest.h>

#include <ctime>

#include <payhost/sdk/testing/payhostd.hpp>

#include "demopay_simulator.hpp"

namespace demopay {
namespace {

using payhost::sdk::testing::HttpResult;
using payhost::sdk::testing::Payhostd;

std::string config() {
  return std::string(R"(data_dir: "@DATA_DIR@"
database:
  url: "@DATABASE_URL@"
plugins:
  demopay:
    path: ")") +
         DEMOPAY_PLUGIN_PATH + R"("
    channels: [demopay, demopay_qr]
    options:
      merchant_id: )" +
         testing::kMerchantId + R"(
      api_secret: )" +
         testing::kSecret + "\n";
}

HttpResult post(const Payhostd& host, const payhost::sdk::HttpRequest& notification) {
  return host.request(
      "POST", "/notify/demopay", notification.body,
      {"Content-Type: application/json",
       "X-Demopay-Signature: " + notification.header("X-Demopay-Signature").value_or("")});
}

TEST(DemoPayInPayhostd, NotificationsReachThePluginAndDemoPayGetsItsReply) {
  Payhostd host(config());
  payhost::sdk::testing::FakeHost clock_only;
  clock_only.time.set(std::time(nullptr));  // payhostd checks signatures on the real clock
  testing::DemoPaySimulator simulator;
  simulator.prepare(clock_only);
  const payhost::sdk::testing::PaidTrade paid{
      "demopay", "20261206100000NoSuchOrder", "pay_1",
      1999,      testing::kMerchantId,        clock_only.time.now()};

  const HttpResult genuine = post(host, simulator.notification(paid));
  EXPECT_EQ(genuine.status, 400);
  EXPECT_EQ(genuine.body, "RETRY");
  const HttpResult forged = post(host, simulator.forged_notification(paid));
  EXPECT_EQ(forged.status, 400);
  EXPECT_EQ(forged.body, "RETRY");

  const std::string log = host.output();
  EXPECT_NE(log.find("unknown_order"), std::string::npos) << log;  // verified, then no charge
  EXPECT_NE(log.find("bad_signature"), std::string::npos) << log;  // refused by the plugin
}

}  // namespace
}  // namespace demopay
