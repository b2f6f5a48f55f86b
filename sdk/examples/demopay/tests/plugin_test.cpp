// What the conformance suite cannot know about DemoPay: its credentials, its states and its
// signature window, on the kit's FakeHost with the simulator answering.
#include <gtest/gtest.h>

#include <payhost/sdk/testing/fake_host.hpp>

#include "demopay_plugin.hpp"
#include "demopay_simulator.hpp"
#include "protocol.hpp"

namespace demopay {
namespace {

using payhost::sdk::ErrorKind;
using payhost::sdk::Outcome;

class DemoPayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    simulator.prepare(host);
    host.provider.answer_with(
        [this](const sdk::OutboundRequest& r) -> sdk::Result<sdk::OutboundResponse> {
          return simulator.answer(r);
        });
    auto options = sdk::validate_options(
        plugin.option_specs(),
        {{"merchant_id", testing::kMerchantId}, {"api_secret", testing::kSecret}});
    ASSERT_TRUE(options.ok()) << options.error().message;
    ASSERT_TRUE(plugin.start(*options, host).ok());
  }

  sdk::CreateRequest request(std::string channel) {
    sdk::CreateRequest r;
    r.channel = std::move(channel);
    r.order_no = "20261206100000Ab3dE5gH7j";
    r.amount = 1999;
    r.created = host.time.now();
    r.time_expire = r.created + 7200;
    r.notify_url = host.notify_url("demopay");
    return r;
  }

  payhost::sdk::testing::FakeHost host;
  testing::DemoPaySimulator simulator;
  DemoPayPlugin plugin;
};

TEST_F(DemoPayTest, AppCredentialIsThePaymentAndItsHttpsPayUrl) {
  auto created = plugin.create(request("demopay"));
  ASSERT_TRUE(created.ok()) << created.error().message;
  EXPECT_EQ(created->credential["payment_id"], "pay_20261206100000Ab3dE5gH7j");
  EXPECT_EQ(created->credential["pay_url"],
            "https://pay.demopay.example/checkout/pay_20261206100000Ab3dE5gH7j");
  const auto sent = host.provider.sent();
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_EQ(sent[0].url, "http://127.0.0.1:1/sandbox/demopay/v1/payments");
  EXPECT_EQ(sdk::Json::parse(sent[0].body)["amount"], 1999);
}

TEST_F(DemoPayTest, ClosedPaymentQueriesAsClosed) {
  const auto r = request("demopay_qr");
  ASSERT_TRUE(plugin.create(r).ok());
  sdk::TradeRef trade;
  trade.order_no = r.order_no;
  ASSERT_EQ(plugin.query(trade)->outcome, Outcome::pending);
  ASSERT_EQ(plugin.close(trade)->outcome, Outcome::closed);
  EXPECT_EQ(plugin.query(trade)->outcome, Outcome::closed);
}

TEST_F(DemoPayTest, AnAnswerSignedWithAnotherSecretIsUnknown) {
  testing::DemoPaySimulator impostor("dp_sk_test_not_the_merchants");
  impostor.prepare(host);
  host.provider.answer_with(
      [&](const sdk::OutboundRequest& r) -> sdk::Result<sdk::OutboundResponse> {
        return impostor.answer(r);
      });
  auto created = plugin.create(request("demopay"));
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.error().kind, ErrorKind::unavailable);  // 401 signed by nobody we know
}

TEST_F(DemoPayTest, ANotificationOlderThanTheWindowIsRefused) {
  payhost::sdk::testing::PaidTrade paid{"demopay", "20261206100000Ab3dE5gH7j", "pay_1",
                                        1999,      testing::kMerchantId,       host.time.now()};
  const auto notification = simulator.notification(paid);
  host.time.advance(std::chrono::seconds(kSignatureWindowSeconds + 1));
  auto result = plugin.verify_notification(notification);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code, "stale_signature");
}

}  // namespace
}  // namespace demopay
