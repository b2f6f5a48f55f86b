// The plugin testing kit (payhost::sdk_testing) does what its headers promise: faults come
// out as the host's real client reports them, scheduled tasks wait for the clock, the charge
// core settles once through the product's hook, sandbox keys are stable and refused live.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "payhost/sdk/charge_errors.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/testing/fake_host.hpp"

namespace payhost::sdk::testing {
namespace {

using namespace std::chrono_literals;

OutboundRequest request_with_timeout(std::chrono::milliseconds timeout) {
  OutboundRequest r;
  r.url = "https://provider.example/pay";
  r.body = "a=1";
  r.timeout = timeout;
  return r;
}

TEST(ScriptedHttp, AnswersInOrderAndReportsFaultsAsTheHostClientDoes) {
  ScriptedHttp http;
  Headers headers;
  headers.add("Content-Type", "application/json");
  http.reply(200, "{\"ok\":true}", headers);
  http.server_error(503, "busy");
  http.timeout();
  http.reset();
  http.truncated(200, "{\"ok\":");
  const auto r = request_with_timeout(1000ms);

  auto first = http.send(r);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, "{\"ok\":true}");
  EXPECT_EQ(first->headers.get("content-type"), "application/json");
  auto second = http.send(r);
  ASSERT_TRUE(second.ok()) << "a 5xx is an answer, not a transport failure";
  EXPECT_EQ(second->status, 503);
  for (const char* code : {"timeout", "network", "network"}) {
    auto fault = http.send(r);
    ASSERT_FALSE(fault.ok()) << code;
    EXPECT_EQ(fault.error().kind, ErrorKind::unavailable) << "unknown outcome, never failed";
    EXPECT_EQ(fault.error().code, code);
  }
  auto unscripted = http.send(r);
  ASSERT_FALSE(unscripted.ok());
  EXPECT_EQ(unscripted.error().code, "timeout");
  ASSERT_EQ(http.sent().size(), 6u);
  EXPECT_EQ(http.sent()[0].body, "a=1");
  EXPECT_EQ(http.queued(), 0u);
}

TEST(ScriptedHttp, SlowAnswersPastTheTimeoutTimeOut) {
  ScriptedHttp http;
  http.reply_after(5ms, 200, "in time");
  http.reply_after(200ms, 200, "too late");
  auto in_time = http.send(request_with_timeout(100ms));
  ASSERT_TRUE(in_time.ok());
  EXPECT_EQ(in_time->body, "in time");
  const auto started = std::chrono::steady_clock::now();
  auto late = http.send(request_with_timeout(20ms));
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, "timeout");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 20ms) << "waited the timeout";
}

TEST(ScriptedHttp, TheFallbackHandlerAnswersWhenNothingIsQueued) {
  ScriptedHttp http;
  http.answer_with([](const OutboundRequest& r) -> Result<OutboundResponse> {
    OutboundResponse out;
    out.status = 200;
    out.body = "echo " + r.body;
    return out;
  });
  http.reply(201, "queued first");
  EXPECT_EQ(http.send(request_with_timeout(100ms))->body, "queued first");
  EXPECT_EQ(http.send(request_with_timeout(100ms))->body, "echo a=1");
}

TEST(FakeHost, ScheduledTasksWaitForTheClock) {
  FakeHost host;
  std::vector<int> ran;
  host.schedule(60s, [&] { ran.push_back(2); });
  host.schedule(1s, [&] { ran.push_back(1); });
  EXPECT_EQ(host.run_scheduled(), 0);
  host.time.advance(1s);
  EXPECT_EQ(host.run_scheduled(), 1);
  host.time.advance(59s);
  EXPECT_EQ(host.run_scheduled(), 1);
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
  host.schedule(1h, [&] { ran.push_back(3); });
  EXPECT_EQ(host.scheduled(), 1u);
  EXPECT_EQ(host.run_scheduled(/*all=*/true), 1);
  EXPECT_EQ(ran.back(), 3);
}

TEST(FakeHost, TasksCanAlsoRunOldestFirstWhateverTheirDelay) {
  FakeHost host;
  std::vector<int> ran;
  host.schedule(2s, [&] { ran.push_back(1); });
  host.schedule(1s, [&] { ran.push_back(2); });
  EXPECT_EQ(host.scheduled_delays(), (std::vector<std::chrono::milliseconds>{2s, 1s}));
  EXPECT_TRUE(host.run_next_scheduled());
  EXPECT_TRUE(host.run_next_scheduled());
  EXPECT_FALSE(host.run_next_scheduled());
  EXPECT_EQ(ran, (std::vector<int>{1, 2}));
}

TEST(FakeHost, ATestsOwnKeyPairIsTheOneHandedOut) {
  FakeHost host;
  host.use_sandbox_keypair("fixture", KeyPairPem{"private", "public"});
  auto pair = host.sandbox_keypair("fixture");
  ASSERT_TRUE(pair.ok());
  EXPECT_EQ(pair->private_key, "private");
}

TEST(MemoryDatabase, WorkAskingForARetryRunsAgain) {
  MemoryDatabase db;
  int runs = 0;
  auto status = db.transact([&](soci::session&) -> Status {
    if (++runs < 3) return make_error(ErrorKind::retry, "busy", "locked");
    return {};
  });
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(runs, 3);
}

TEST(ScriptedHttp, OneAnswerForEveryRequest) {
  ScriptedHttp http;
  http.answer_every(200, "success");
  EXPECT_EQ(http.send(request_with_timeout(100ms))->body, "success");
  EXPECT_EQ(http.send(request_with_timeout(100ms))->body, "success");
}

TEST(FakeHost, SandboxKeysAreStableAndNeverLive) {
  FakeHost host;
  auto a = host.sandbox_keypair("provider-merchant");
  ASSERT_TRUE(a.ok()) << a.error().message;
  auto again = host.sandbox_keypair("provider-merchant");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(a->private_key, again->private_key);
  auto other = host.sandbox_keypair("provider-platform");
  ASSERT_TRUE(other.ok());
  EXPECT_NE(a->public_key, other->public_key);
  auto key = crypto::PublicKey::parse(a->public_key);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(crypto::rsa_public_exponent(*key), 65539u) << "the host's sandbox exponent";
  host.live = true;
  auto live = host.sandbox_keypair("provider-merchant");
  ASSERT_FALSE(live.ok());
  EXPECT_EQ(live.error().kind, ErrorKind::forbidden);
}

TEST(FakeHost, HasItsOwnDataDirectoryAndALogToReadBack) {
  std::string dir;
  {
    FakeHost host;
    dir = host.data_dir();
    EXPECT_TRUE(std::filesystem::is_directory(dir));
    EXPECT_EQ(host.notify_url("mychannel"), "http://127.0.0.1:1/notify/mychannel");
    host.logger().warn("provider said no");
    EXPECT_TRUE(host.log.contains("said no"));
    EXPECT_TRUE(host.log.contains("said no", LogLevel::warn));
    EXPECT_FALSE(host.log.contains("said no", LogLevel::error));
  }
  EXPECT_FALSE(std::filesystem::exists(dir));
}

// A product that credits a balance once per paid order.
class Shop final : public ProductPlugin {
 public:
  std::vector<OptionSpec> option_specs() const override { return {}; }
  std::vector<Migration> migrations() const override {
    return {{1,
             "orders",
             {"CREATE TABLE shop_orders (id TEXT PRIMARY KEY, paid INTEGER NOT NULL)"},
             {}}};
  }
  std::vector<Route> routes() override { return {}; }

 protected:
  Status do_start(const Options&, Host&) override { return {}; }
  Status do_on_charge_succeeded(SettlementContext& context) override {
    soci::statement update = (context.sql.prepare << "UPDATE shop_orders SET paid = paid + 1 "
                                                     "WHERE id = :id",
                              soci::use(context.charge.product_ref));
    update.execute(true);
    return {};
  }
};

TEST(FakeChargeService, StoresTheProductRowWithTheChargeAndSettlesOnce) {
  FakeHost host;
  Shop shop;
  ASSERT_TRUE(host.db.migrate(shop.migrations()).ok());
  host.charge_core.set_product(&shop, "shop");
  host.charge_core.enable({"testpay", "testpay_wap"});
  host.charge_core.require_extra("testpay_wap", {"success_url"});

  NewCharge request;
  request.channel = "testpay";
  request.amount = 100;
  request.subject = "a";
  request.body = "b";
  request.product_row = [](soci::session& sql, const Charge&) -> Result<std::string> {
    sql << "INSERT INTO shop_orders (id, paid) VALUES ('o1', 0)";
    return std::string("o1");
  };
  auto charge = host.charges().create(request);
  ASSERT_TRUE(charge.ok()) << charge.error().message;
  EXPECT_EQ(charge->product, "shop");
  EXPECT_EQ(charge->product_ref, "o1");
  EXPECT_EQ(charge->id.size(), 27u);
  ASSERT_TRUE(host.charge_core.settle(charge->id).ok());
  ASSERT_TRUE(host.charge_core.settle(charge->id).ok());
  int paid = 0;
  host.db.session() << "SELECT paid FROM shop_orders WHERE id = 'o1'", soci::into(paid);
  EXPECT_EQ(paid, 1) << "a repeated notification settles nothing twice";
  EXPECT_EQ(host.charges().get(charge->id)->state, ChargeState::succeeded);

  request.channel = "testpay_wap";
  auto refused = host.charges().create(request);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, charge_errors::extra_missing);
  request.channel = "wx";
  EXPECT_EQ(host.charges().create(request).error().code, charge_errors::channel_not_enabled);
  EXPECT_EQ(host.charge_core.requests().size(), 3u);
}

TEST(FakeChargeService, AProviderTimeoutStoresTheChargeAndRetrieveSettlesIt) {
  FakeHost host;
  host.charge_core.fail_next_create();
  NewCharge request;
  request.channel = "testpay";
  request.amount = 5;
  auto timed_out = host.charges().create(request);
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error().kind, ErrorKind::unavailable);
  auto stored = host.charges().get_by_order_no("order000000000000000000000001");
  ASSERT_TRUE(stored.ok());
  host.charge_core.mark_paid_at_provider(stored->id);
  auto after = host.charges().retrieve(stored->id);
  ASSERT_TRUE(after.ok());
  EXPECT_TRUE(after->paid());
  EXPECT_EQ(host.charge_core.retrieve_calls(), 1);
  Charge by_hand;
  by_hand.id = "ch_byhand";
  by_hand.amount = 7;
  host.charge_core.store(by_hand);
  EXPECT_EQ(host.charges().get("ch_byhand")->amount, 7);
  const int before = host.charge_core.lookups();
  host.charge_core.fail_lookups(make_error(ErrorKind::unavailable, "db", "database is gone"));
  EXPECT_EQ(host.charges().get("ch_byhand").error().code, "db");
  host.charge_core.fail_lookups(std::nullopt);
  EXPECT_TRUE(host.charges().get("ch_byhand").ok());
  EXPECT_EQ(host.charge_core.lookups(), before + 2);
}

}  // namespace
}  // namespace payhost::sdk::testing
