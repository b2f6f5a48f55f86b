// The real Alipay channel against the simulated Alipay, with an HTTP proxy between them that
// breaks chosen calls: a reset before the provider sees the request, a gateway's 500, 502 or
// 503, an answer held past the channel's timeout or cut in half after the provider acted,
// and a slow but timely answer. Whatever the fault, an outcome the host cannot know stays
// unknown (the charge unpaid but open, the refund pending), nothing is paid, refunded or
// counted twice, and once the path heals the janitor learns the truth from the provider.
#include <gtest/gtest.h>

#include <string>

#include "fault_support.hpp"
#include "support/http_fault_proxy.hpp"

namespace payhost::faults {
namespace {

using testing::Fault;
using testing::HttpFaultProxy;

constexpr const char* kQuery = "method=alipay.trade.query";
constexpr const char* kRefund = "method=alipay.trade.refund";
constexpr const char* kPrecreate = "method=alipay.trade.precreate";
constexpr const char* kNotify = "POST /notify/alipay";

// Every call between the channel and the simulated Alipay, and the simulator's
// notifications, go through `proxy` (server.public_url); the janitor asks every second.
std::string config(const HttpFaultProxy& proxy) {
  return R"(livemode: false
app_id: app_5anXP4ezfXvL8m5e
data_dir: "@DATA_DIR@"
plugin_dir: "@PLUGIN_DIR@"
database:
  url: "@DATABASE_URL@"
server:
  public_url: ")" +
         proxy.url() + R"("
jobs: {janitor: true, interval_seconds: 1, query_after_seconds: 1}
plugins:
  sandbox:
    options: {}
  sandbox_alipay:
    options: {notify_max_attempts: 1}
  alipay:
    channels: [alipay_qr]
    options:
      app_id: "9021000000000001"
      timeout_ms: 1000
  testproduct:
    path: "@TEST_PLUGIN_DIR@/testproduct.so"
    options: {}
)";
}

testing::HttpResult create(const Payhostd& host, long long amount) {
  return host.post_json("/test/charges", Json{{"channel", "alipay_qr"},
                                              {"amount", amount},
                                              {"subject", "Fault tea"},
                                              {"extra", Json::object()}}
                                             .dump());
}

Json charge(const Payhostd& host, const std::string& id) {
  return host.get("/test/charges/" + id).json();
}

int settlements(const Payhostd& host, const Json& c) {
  return host.get("/test/orders/" + c["metadata"]["order_ref"].get<std::string>())
      .json()
      .value("succeeded_calls", -1);
}

testing::HttpResult pay(const Payhostd& host, const std::string& id) {
  return host.request("POST", "/sandbox/cashier/" + id + "/pay?format=json", "",
                      {"Accept: application/json"});
}

// `payhostd refund` run by an operator: one provider call, through the proxy too.
std::string refund(const Payhostd& host, const std::string& id, long long amount) {
  std::string out;
  host.cli({"refund", id, "--amount", std::to_string(amount), "--reason", "fault test"}, &out);
  return out;
}

class ProviderFaults : public ::testing::TestWithParam<Fault> {
 protected:
  bool timely() const { return GetParam() == Fault::slow; }
};

TEST_P(ProviderFaults, UnknownOutcomesStayUnknownUntilTheJanitorLearnsTheTruth) {
  HttpFaultProxy proxy;
  proxy.set_delays(/*timeout_hold_ms=*/2500, /*slow_ms=*/300);
  Payhostd host(config(proxy));
  proxy.set_upstream(host.port());

  // B: paid while the path is whole, to be refunded through the fault.
  const auto created_b = create(host, 800);
  ASSERT_EQ(created_b.status, 201) << created_b.body;
  const Json b = created_b.json();
  ASSERT_EQ(pay(host, b["id"]).status, 200);
  ASSERT_EQ(charge(host, b["id"])["paid"], true);

  proxy.inject(kNotify, Fault::reset);  // the payment's notification never arrives
  proxy.inject(kQuery, GetParam());
  proxy.inject(kRefund, GetParam());
  proxy.inject(kPrecreate, GetParam());

  // A create whose precreate breaks is refused in the API's envelope and changes nothing.
  const auto refused = create(host, 500);
  if (timely()) {
    EXPECT_EQ(refused.status, 201) << refused.body;
  } else {
    EXPECT_GE(refused.status, 400) << refused.body;
    ASSERT_NO_THROW(EXPECT_TRUE(refused.json()["error"]["message"].is_string())) << refused.body;
  }
  EXPECT_EQ(host.get("/readyz").status, 200);

  // A: precreated while the path is whole, paid at the provider, its notification lost.
  proxy.heal();
  proxy.inject(kNotify, Fault::reset);
  const auto created_a = create(host, 600);
  ASSERT_EQ(created_a.status, 201) << created_a.body;
  const Json a = created_a.json();
  proxy.inject(kQuery, GetParam());
  proxy.inject(kRefund, GetParam());
  ASSERT_EQ(pay(host, a["id"]).status, 200);
  EXPECT_EQ(proxy.faulted(kNotify), 1);

  const std::string cli = refund(host, b["id"], 300);
  const std::string refund_id =
      Json::parse(cli.substr(cli.find('{'), cli.find('\n', cli.find('{')) - cli.find('{')))["id"];

  if (!timely()) {
    EXPECT_NE(cli.find("is pending"), std::string::npos) << cli;
    // The janitor asks (and is faulted) at least twice; nothing is decided meanwhile.
    ASSERT_TRUE(eventually([&] { return proxy.faulted(kQuery) >= 2; }, 15)) << host.output();
    ASSERT_TRUE(eventually([&] { return proxy.faulted(kRefund) >= 2; }, 15)) << host.output();
    const Json still = charge(host, a["id"]);
    EXPECT_EQ(still["paid"], false);
    EXPECT_TRUE(still["failure_code"].is_null()) << still.dump();
    EXPECT_EQ(settlements(host, a), 0);
    EXPECT_EQ(scalar(host, "SELECT count(*) FROM refunds WHERE id = :p AND status = 'pending'",
                     refund_id),
              1);
    EXPECT_EQ(charge(host, b["id"])["amount_refunded"], 0);
    proxy.heal();
  }

  ASSERT_TRUE(eventually([&] { return charge(host, a["id"])["paid"] == true; }, 20))
      << to_string(GetParam()) << "\n"
      << host.output();
  EXPECT_EQ(settlements(host, a), 1);
  ASSERT_TRUE(eventually(
      [&] {
        return scalar(host, "SELECT count(*) FROM refunds WHERE id = :p AND status = 'succeeded'",
                      refund_id) == 1;
      },
      20))
      << host.output();
  EXPECT_EQ(charge(host, b["id"])["amount_refunded"], 300);
  // The provider refunded once, whether or not it had acted on the faulted call.
  EXPECT_EQ(scalar(host, "SELECT refunded_fen FROM sandbox_alipay_trades WHERE out_trade_no = :p",
                   b["order_no"]),
            300);
  EXPECT_EQ(scalar(host, "SELECT count(*) FROM sandbox_alipay_refunds WHERE out_trade_no = :p",
                   b["order_no"]),
            1);
  EXPECT_EQ(scalar(host, "SELECT count(*) FROM events WHERE object_id = :p", refund_id), 1);
  EXPECT_EQ(
      scalar(host, "SELECT count(*) FROM events WHERE object_id = :p AND type = 'charge.succeeded'",
             a["id"]),
      1);
  EXPECT_EQ(settlements(host, b), 1);
}

INSTANTIATE_TEST_SUITE_P(Faults, ProviderFaults,
                         ::testing::Values(Fault::reset, Fault::status500, Fault::status502,
                                           Fault::status503, Fault::timeout, Fault::truncated,
                                           Fault::slow),
                         [](const auto& p) { return std::string(to_string(p.param)); });

}  // namespace
}  // namespace payhost::faults
