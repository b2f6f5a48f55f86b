// The cashier's sdk::Simulator and the back notifications: credentials checked as UnionPay
// would (forgeries refused), the pay/fail/close state machine, signed notifications the
// channel can verify, retries on UnionPay's schedule and giving up, concurrent pays, every
// tamper hook, options and live-mode refusal.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>

#include "beijing_time.hpp"
#include "certificates.hpp"
#include "harness.hpp"
#include "options.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/money.hpp"

namespace payhost::sandbox_unionpay {
namespace {

using sdk::CashierAction;
using sdk::Json;
using testing::Answer;
using testing::Harness;

const std::string kGatewayUrl = "http://sandbox.test/sandbox/unionpay/gateway/api/frontTransReq.do";

Fields decoded_form(const std::string& body) {
  Fields out;
  for (auto& [name, value] : sdk::parse_form(body))
    out[name] = value;
  return out;
}

class Simulator : public ::testing::Test {
 protected:
  explicit Simulator(Json options = Json{{"notify_retry_ms", {100, 200}},
                                         {"notify_max_attempts", 4}})
      : h(std::move(options)) {}

  void SetUp() override {
    ASSERT_TRUE(h.started.ok()) << h.started.error().message;
    sim = h.plugin.simulator();
    ASSERT_NE(sim, nullptr);
  }

  // A charge of `channel` as the unionpay channel would create it: for the app channels
  // the tn from appTransReq.do, for wap/pc the signed form (not posted yet).
  sdk::Charge charge(const std::string& channel, const std::string& order_no, long long amount) {
    sdk::Charge c;
    c.id = "ch_" + order_no;
    c.channel = channel;
    c.order_no = order_no;
    c.amount = amount;
    c.subject = "沙箱茶叶";
    if (channel == "upacp" || channel == "applepay_upacp") {
      const Answer a = h.send(testing::kApp, h.consume(order_no, amount));
      EXPECT_EQ(a.fields.count("tn"), 1u) << a.body;
      c.credential = Json{{"tn", a.fields.count("tn") ? a.fields.at("tn") : ""}, {"mode", "01"}};
      if (channel == "applepay_upacp") c.credential["merchant_id"] = "merchant.com.payhost.sandbox";
    } else {
      Fields form = h.front(order_no, amount, channel == "upacp_pc" ? "07" : "08");
      form["certId"] = h.cert_id();
      form["signature"] = testing::merchant_signature(form);
      c.credential = Json::object();
      for (const auto& [name, value] : form)
        c.credential[name] = value;
      c.credential["channel_url"] = kGatewayUrl;
    }
    h.host.charge_core.store(c);
    return c;
  }

  // The last request sent, read as the channel reads a back notification: a form decoded
  // once, signPubKeyCert chaining to the sandbox root with UnionPay's CN, the signature
  // verifying with it.
  Fields last_notification(bool expect_valid = true) {
    const auto sent = h.host.provider.sent();
    EXPECT_FALSE(sent.empty());
    if (sent.empty()) return {};
    const sdk::OutboundRequest& request = sent.back();
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.url, "http://sandbox.test/notify/unionpay");
    EXPECT_EQ(request.headers.get("Content-Type"),
              "application/x-www-form-urlencoded; charset=UTF-8");
    Fields fields = decoded_form(request.body);
    if (expect_valid) {
      Answer as_answer;
      as_answer.status = 200;
      as_answer.fields = fields;
      EXPECT_TRUE(h.signed_by_unionpay(as_answer));
    }
    return fields;
  }

  std::size_t sent_count() { return h.host.provider.sent().size(); }

  Harness h;
  sdk::Simulator* sim = nullptr;
};

TEST_F(Simulator, EveryChannelIsInspectedAndPaidWithAVerifiableNotification) {
  EXPECT_EQ(sim->channels(),
            (std::vector<std::string>{"applepay_upacp", "upacp", "upacp_wap", "upacp_pc"}));
  long long amount = 100;
  for (const std::string channel : {"applepay_upacp", "upacp", "upacp_wap", "upacp_pc"}) {
    SCOPED_TRACE(channel);
    const std::string order_no = "order" + std::to_string(++amount) + "x20241205";
    const sdk::Charge c = charge(channel, order_no, amount);
    auto view = sim->inspect(c);
    ASSERT_TRUE(view.ok()) << view.error().message;
    EXPECT_EQ(view->provider, "UnionPay");
    EXPECT_EQ(view->trade_status, "unpaid (origRespCode 05)");
    EXPECT_EQ(view->actions,
              (std::vector<CashierAction>{CashierAction::pay, CashierAction::fail,
                                          CashierAction::close, CashierAction::expire}));
    EXPECT_EQ(view->browser, channel == "upacp_wap" || channel == "upacp_pc");
    const auto has = [&](const std::string& label, const std::string& value) {
      for (const auto& [l, v] : view->details) {
        if (l == label) return v == value;
      }
      return false;
    };
    EXPECT_TRUE(has("merId", testing::kMerId));
    EXPECT_TRUE(has("orderId", order_no));
    EXPECT_TRUE(has("txnTime", h.txn_time()));
    EXPECT_TRUE(has("txnAmt", sdk::format_yuan(amount) + " 元"));

    const std::size_t before = sent_count();
    auto paid = sim->act(c, CashierAction::pay);
    ASSERT_TRUE(paid.ok()) << paid.error().message;
    EXPECT_FALSE(paid->repeated);
    EXPECT_TRUE(paid->notified);
    EXPECT_EQ(paid->notify_status, 200);
    EXPECT_EQ(paid->notify_answer, "ok");
    EXPECT_EQ(paid->out_trade_no, order_no);
    EXPECT_EQ(paid->trade_status, "paid (origRespCode 00)");
    EXPECT_EQ(paid->trade_no.size(), 21u);
    const bool web = channel == "upacp_wap" || channel == "upacp_pc";
    EXPECT_EQ(paid->return_url, web ? "https://shop.example/unionpay/return?x=1" : "");
    EXPECT_EQ(sent_count(), before + 1);
    EXPECT_EQ(h.host.scheduled(), 0u) << "received at once: no retry";

    const Fields n = last_notification();
    EXPECT_EQ(n.at("respCode"), "00");
    EXPECT_EQ(n.at("merId"), testing::kMerId);
    EXPECT_EQ(n.at("orderId"), order_no);
    EXPECT_EQ(n.at("txnAmt"), std::to_string(amount));
    EXPECT_EQ(n.at("settleAmt"), std::to_string(amount));
    EXPECT_EQ(n.at("queryId"), paid->trade_no);
    EXPECT_EQ(n.at("txnTime"), h.txn_time());
    EXPECT_EQ(n.at("reqReserved"), "ch_" + order_no);
    EXPECT_EQ(n.at("traceTime"), h.txn_time().substr(4, 10));
    EXPECT_EQ(n.at("settleDate"), "1205");
    EXPECT_EQ(n.at("traceNo").size(), 6u);
    for (const char* name :
         {"accessType", "bizType", "currencyCode", "encoding", "respMsg", "settleCurrencyCode",
          "signMethod", "txnSubType", "txnType", "version", "signPubKeyCert", "signature"}) {
      EXPECT_EQ(n.count(name), 1u) << name;
    }

    auto after = sim->inspect(c);
    ASSERT_TRUE(after.ok());
    EXPECT_TRUE(after->actions.empty());
    bool shows_query_id = false;
    for (const auto& [label, value] : after->details)
      shows_query_id |= label == "queryId" && value == paid->trade_no;
    EXPECT_TRUE(shows_query_id);
  }
}

TEST_F(Simulator, PayFailAndCloseFollowTheStateMachine) {
  const sdk::Charge paid_charge = charge("upacp", "machine20241205", 100);
  ASSERT_TRUE(sim->act(paid_charge, CashierAction::pay).ok());
  // Paying again changes nothing but notifies again, with the same queryId.
  const std::string first_query_id = last_notification().at("queryId");
  auto again = sim->act(paid_charge, CashierAction::pay);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->repeated);
  EXPECT_EQ(last_notification().at("queryId"), first_query_id);
  for (auto action : {CashierAction::fail, CashierAction::close, CashierAction::expire}) {
    auto refused = sim->act(paid_charge, action);
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().kind, sdk::ErrorKind::conflict);
  }

  const sdk::Charge failing = charge("upacp_wap", "failing20241205", 100);
  const std::size_t before = sent_count();
  auto failed = sim->act(failing, CashierAction::fail);
  ASSERT_TRUE(failed.ok()) << failed.error().message;
  EXPECT_EQ(failed->trade_status, "failed (origRespCode 01)");
  EXPECT_FALSE(failed->notified);
  EXPECT_EQ(sent_count(), before) << "UnionPay notifies successes only";
  EXPECT_TRUE(sim->act(failing, CashierAction::fail)->repeated);
  EXPECT_EQ(sim->inspect(failing)->actions, std::vector<CashierAction>{CashierAction::close});
  EXPECT_EQ(sim->act(failing, CashierAction::pay).error().kind, sdk::ErrorKind::conflict);
  auto closed = sim->act(failing, CashierAction::close);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->trade_status, "closed (origRespCode 01)");
  EXPECT_TRUE(sim->act(failing, CashierAction::close)->repeated);
  EXPECT_EQ(sim->act(failing, CashierAction::pay).error().kind, sdk::ErrorKind::conflict);
  EXPECT_TRUE(sim->inspect(failing)->actions.empty());

  // An order past its payTimeout cannot be paid: it is closed instead.
  const sdk::Charge late = charge("applepay_upacp", "late20241205", 100);
  h.host.time.advance(std::chrono::seconds(3600));
  auto expired = sim->act(late, CashierAction::pay);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().kind, sdk::ErrorKind::conflict);
  EXPECT_EQ(sim->inspect(late)->trade_status, "closed (origRespCode 01)");
}

TEST_F(Simulator, ExpireTimesTheOrderOutAndTheQuerySaysSo) {
  const sdk::Charge c = charge("upacp_pc", "expire20241205", 100);
  const std::size_t before = sent_count();
  auto expired = sim->act(c, CashierAction::expire);
  ASSERT_TRUE(expired.ok()) << expired.error().message;
  EXPECT_EQ(expired->trade_status, "closed (origRespCode 01)");
  EXPECT_FALSE(expired->repeated);
  EXPECT_FALSE(expired->notified);
  EXPECT_EQ(sent_count(), before) << "UnionPay notifies successes only";
  const Answer q = h.send(testing::kQuery, h.query("expire20241205", h.txn_time()));
  EXPECT_EQ(q.fields.at("origRespCode"), "01");
  EXPECT_TRUE(sim->act(c, CashierAction::expire)->repeated);
  EXPECT_EQ(sim->act(c, CashierAction::pay).error().kind, sdk::ErrorKind::conflict);
  EXPECT_TRUE(sim->inspect(c)->actions.empty());
}

TEST_F(Simulator, ConcurrentPaysPayOnce) {
  const sdk::Charge c = charge("upacp", "concurrent20241205", 100);
  std::atomic<int> done{0}, repeated{0};
  std::mutex mutex;
  std::set<std::string> query_ids;
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      auto paid = sim->act(c, CashierAction::pay);
      ASSERT_TRUE(paid.ok()) << paid.error().message;
      (paid->repeated ? repeated : done)++;
      std::lock_guard lock(mutex);
      query_ids.insert(paid->trade_no);
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(done.load(), 1);
  EXPECT_EQ(repeated.load(), 7);
  EXPECT_EQ(query_ids.size(), 1u);
}

class SimulatorRetries : public Simulator {
 protected:
  SimulatorRetries() : Simulator(Json::object()) {}
};

TEST_F(SimulatorRetries, NotificationsAreRetriedOnUnionPaysScheduleThenGivenUp) {
  // Default schedule: after the first attempt, 1, 2 and 4 minutes; four attempts in all.
  const sdk::Charge c = charge("upacp", "retry20241205", 100);
  for (int i = 0; i < 3; ++i)
    h.host.provider.reply(500, "busy");
  h.host.provider.timeout();
  auto paid = sim->act(c, CashierAction::pay);
  ASSERT_TRUE(paid.ok());
  EXPECT_TRUE(paid->notified);
  EXPECT_EQ(paid->notify_status, 500);
  const std::string first_body = h.host.provider.sent().back().body;
  using std::chrono::milliseconds;
  EXPECT_EQ(h.host.scheduled_delays(), std::vector<milliseconds>{milliseconds(60000)});
  ASSERT_TRUE(h.host.run_next_scheduled());
  EXPECT_EQ(h.host.scheduled_delays(), std::vector<milliseconds>{milliseconds(120000)});
  ASSERT_TRUE(h.host.run_next_scheduled());
  EXPECT_EQ(h.host.scheduled_delays(), std::vector<milliseconds>{milliseconds(240000)});
  ASSERT_TRUE(h.host.run_next_scheduled());  // the fourth attempt times out
  EXPECT_EQ(h.host.scheduled(), 0u) << "given up after four attempts";
  EXPECT_EQ(sent_count(), 4u);
  EXPECT_EQ(h.host.provider.sent().back().body, first_body) << "each attempt resends the same body";
  EXPECT_TRUE(h.host.log.contains("giving up")) << h.host.log.dump();
}

TEST_F(Simulator, ARetryThatIsReceivedEndsTheSchedule) {
  // Options here: retries after 100 ms, then 200 ms repeating, four attempts.
  const sdk::Charge c = charge("upacp_pc", "received20241205", 100);
  h.host.provider.reply(503, "");
  h.host.provider.reply(204, "");  // only 200 counts
  auto paid = sim->act(c, CashierAction::pay);
  ASSERT_TRUE(paid.ok());
  using std::chrono::milliseconds;
  EXPECT_EQ(h.host.scheduled_delays(), std::vector<milliseconds>{milliseconds(100)});
  ASSERT_TRUE(h.host.run_next_scheduled());
  EXPECT_EQ(h.host.scheduled_delays(), std::vector<milliseconds>{milliseconds(200)});
  ASSERT_TRUE(h.host.run_next_scheduled());  // answered 200 (the fallback)
  EXPECT_EQ(h.host.scheduled(), 0u);
  EXPECT_EQ(sent_count(), 3u);
  // A stopped plugin sends nothing more.
  const sdk::Charge other = charge("upacp", "stopped20241205", 100);
  h.host.provider.reply(500, "");
  ASSERT_TRUE(sim->act(other, CashierAction::pay).ok());
  h.plugin.stop();
  ASSERT_TRUE(h.host.run_next_scheduled());
  EXPECT_EQ(sent_count(), 4u);
}

TEST_F(Simulator, InspectRefusesForgedCredentials) {
  // App channels: the tn, the mode and (Apple Pay) the merchant id.
  const sdk::Charge app = charge("applepay_upacp", "forgedapp20241205", 100);
  const auto refused = [&](sdk::Charge c, const char* why) {
    auto view = sim->inspect(c);
    EXPECT_FALSE(view.ok()) << why;
    if (view.ok()) return;
    EXPECT_NE(view.error().message.find(why), std::string::npos) << view.error().message;
    EXPECT_FALSE(sim->act(c, CashierAction::pay).ok()) << why;
  };
  sdk::Charge c = app;
  c.credential["tn"] = "201412010000000000001";
  refused(c, "credential.tn");
  c = app;
  c.credential["mode"] = "00";
  refused(c, "credential.mode");
  c = app;
  c.credential.erase("merchant_id");
  refused(c, "merchant_id");
  c = app;
  c.credential = "tn";
  refused(c, "must be an object");
  c = app;
  c.amount = 101;
  refused(c, "differs from the charge's amount");
  c = app;
  c.order_no = "neverissued20241205";
  refused(c, "no tn was issued");
  c = app;
  c.channel = "wx";
  refused(c, "not simulated");

  // Web channels: the form must verify as a request and match the charge.
  const sdk::Charge web = charge("upacp_wap", "forgedweb20241205", 100);
  c = web;
  c.credential["orderDesc"] = "改过的";  // changed after signing
  refused(c, "respCode 11");
  c = web;
  c.credential["certId"] = "69903319369";
  refused(c, "respCode 11");
  c = web;
  c.order_no = "otherorder20241205";
  refused(c, "is not the charge's order_no");
  c = web;
  c.amount = 99;
  refused(c, "is not the charge's amount");
  c = web;
  c.channel = "upacp_pc";
  refused(c, "channelType 08 is not 07");
  c = web;
  c.credential["channel_url"] = "https://evil.example/pay";
  refused(c, "frontTransReq.do URL");
  c = web;
  c.credential["txnAmt"] = 100;
  refused(c, "not a string");
  c = web;
  c.credential["orderDesc"] = "a&b";
  refused(c, "'&'");
  // A stranger's signature over the right fields.
  c = web;
  {
    Fields form;
    for (auto it = web.credential.begin(); it != web.credential.end(); ++it) {
      if (it.key() != "channel_url") form[it.key()] = it->get<std::string>();
    }
    c.credential["signature"] = testing::merchant_signature(form, testing::kStrangerSlot);
  }
  refused(c, "respCode 11");
  // The browser posted one form; a credential with another (validly signed) form for the
  // same order is not the one UnionPay recorded.
  Fields posted = h.front("forgedweb20241205", 100, "08");
  posted["orderDesc"] = "另一张订单";
  ASSERT_EQ(h.send(testing::kFront, posted).status, 302);
  auto recorded = sim->inspect(web);
  ASSERT_FALSE(recorded.ok());
  EXPECT_NE(recorded.error().message.find("not the form UnionPay recorded"), std::string::npos)
      << recorded.error().message;
}

TEST_F(Simulator, WebFormsAreRecordedOnceWhetherPostedOrNot) {
  // Posted by the browser first: the cashier finds the trade.
  const sdk::Charge posted = charge("upacp_pc", "posted20241205", 100);
  std::vector<std::pair<std::string, std::string>> pairs;
  for (auto it = posted.credential.begin(); it != posted.credential.end(); ++it) {
    if (it.key() != "channel_url") pairs.emplace_back(it.key(), it->get<std::string>());
  }
  const Answer redirect = h.post(testing::kFront, sdk::form_encode(pairs));
  EXPECT_EQ(redirect.status, 302);
  EXPECT_EQ(redirect.headers.get("Location"), "/sandbox/cashier/ch_posted20241205");
  ASSERT_TRUE(sim->inspect(posted).ok());
  // Never posted: inspect records it, and later posts of the same form are replays.
  const sdk::Charge direct = charge("upacp_wap", "direct20241205", 100);
  ASSERT_TRUE(sim->inspect(direct).ok());
  const Answer q = h.send(testing::kQuery, h.query("direct20241205", h.txn_time()));
  EXPECT_EQ(q.fields.at("origRespCode"), "05");
  // Even a day later (the cashier is not held to the txnTime window).
  h.host.time.advance(std::chrono::seconds(86400));
  EXPECT_TRUE(sim->inspect(direct).ok());
}

TEST_F(Simulator, EachTamperSendsOneWrongNotificationAndNoRetry) {
  const sdk::Charge c = charge("upacp", "tamper20241205", 100);
  const std::string dir = h.pki_dir();
  auto root = certificate_from_pem(testing::read_file(dir + "/root.cer"));
  auto middle = certificate_from_pem(testing::read_file(dir + "/middle.cer"));
  ASSERT_TRUE(root.ok() && middle.ok());
  const auto hook = [&](const std::string& tamper) {
    h.host.provider.reply(500, "refused");
    const Answer a =
        h.post("/notify-tampered", Json{{"charge_id", c.id}, {"tamper", tamper}}.dump());
    EXPECT_EQ(a.status, 200) << a.body;
    const Json answer = sdk::parse_json(a.body);
    EXPECT_EQ(answer.value("status", 0), 500);
    EXPECT_EQ(answer.value("answer", ""), "refused");
    EXPECT_EQ(h.host.scheduled(), 0u) << "no retries";
    return last_notification(false);
  };
  const auto chain_of = [&](const Fields& n) {
    auto certificate = certificate_from_pem(n.at("signPubKeyCert"));
    EXPECT_TRUE(certificate.ok());
    return chain_error(certificate->get(), root->get(), {middle->get()}, h.host.time.now());
  };
  const auto cn_of = [](const Fields& n) {
    auto certificate = certificate_from_pem(n.at("signPubKeyCert"));
    return certificate.ok() ? common_name(certificate->get()) : std::string();
  };
  const auto verifies = [](const Fields& n) {
    return testing::unionpay_signature_verifies(n, n.at("signPubKeyCert"));
  };

  Fields n = hook("foreign_cn");
  EXPECT_TRUE(verifies(n));
  EXPECT_FALSE((chain_of(n)).has_value());
  EXPECT_EQ(cn_of(n).find("@中国银联股份有限公司@"), std::string::npos) << cn_of(n);
  n = hook("expired");
  EXPECT_TRUE(verifies(n));
  ASSERT_TRUE(chain_of(n).has_value());
  EXPECT_NE(chain_of(n)->find("expired"), std::string::npos);
  EXPECT_NE(cn_of(n).find("@中国银联股份有限公司@"), std::string::npos);
  n = hook("outside_chain");
  EXPECT_TRUE(verifies(n));
  EXPECT_TRUE(chain_of(n).has_value());
  EXPECT_NE(cn_of(n).find("@中国银联股份有限公司@"), std::string::npos);
  n = hook("amount");
  EXPECT_TRUE(verifies(n));
  EXPECT_FALSE((chain_of(n)).has_value());
  EXPECT_EQ(n.at("txnAmt"), "101");
  EXPECT_EQ(n.at("settleAmt"), "101");
  n = hook("signature");
  EXPECT_FALSE(verifies(n));
  EXPECT_FALSE((chain_of(n)).has_value());
  EXPECT_EQ(n.at("txnAmt"), "100");
  n = hook("mer_id");
  EXPECT_TRUE(verifies(n));
  EXPECT_NE(n.at("merId"), testing::kMerId);
  EXPECT_EQ(n.at("merId").size(), 15u);
  n = hook("unknown_order");
  EXPECT_TRUE(verifies(n));
  EXPECT_NE(n.at("orderId"), "tamper20241205");
  EXPECT_EQ(sent_count(), 7u);
  // The trade itself never changed.
  EXPECT_EQ(sim->inspect(c)->trade_status, "unpaid (origRespCode 05)");

  EXPECT_EQ(h.post("/notify-tampered", Json{{"charge_id", c.id}, {"tamper", "nope"}}.dump()).status,
            400);
  EXPECT_EQ(h.post("/notify-tampered", R"({"tamper":"amount"})").status, 400);
  EXPECT_EQ(h.post("/notify-tampered", "not json").status, 400);
  EXPECT_EQ(h.post("/notify-tampered", Json{{"charge_id", "ch_nope"}, {"tamper", "amount"}}.dump())
                .status,
            404);
  sdk::Charge wx = c;
  wx.id = "ch_wx";
  wx.channel = "wx";
  h.host.charge_core.store(wx);
  EXPECT_EQ(
      h.post("/notify-tampered", Json{{"charge_id", "ch_wx"}, {"tamper", "amount"}}.dump()).status,
      400);
  EXPECT_EQ(sent_count(), 7u);
}

TEST(SandboxUnionpayPlugin, RefusesLiveModeAndCreatesNothing) {
  Harness h(Json::object(), false);
  h.host.live = true;
  const sdk::Status started = h.plugin.start(sdk::Options(Json::object()), h.host);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().code, "sandbox_in_livemode");
  EXPECT_EQ(h.plugin.simulator(), nullptr);
  EXPECT_FALSE(std::filesystem::exists(h.pki_dir()));
  // Its routes answer 503 rather than act.
  EXPECT_EQ(h.post(testing::kApp, "version=5.1.0").status, 503);
}

TEST(SandboxUnionpayOptions, DefaultsAndRefusals) {
  std::vector<std::string> names;
  for (const auto& spec : option_specs())
    names.push_back(spec.name);
  EXPECT_EQ(names, (std::vector<std::string>{"mer_id", "notify_retry_ms", "notify_max_attempts",
                                             "txn_time_window_seconds"}));
  auto defaults = read_options(sdk::Options(Json::object()));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->mer_id, "777290058167151");
  EXPECT_EQ(defaults->notify_retry,
            (std::vector<std::chrono::milliseconds>{
                std::chrono::minutes(1), std::chrono::minutes(2), std::chrono::minutes(4)}));
  EXPECT_EQ(defaults->notify_max_attempts, 4);
  EXPECT_EQ(defaults->txn_time_window_seconds, 300);
  for (const Json& bad :
       {Json{{"mer_id", "12345"}}, Json{{"mer_id", "77729005816715a"}},
        Json{{"notify_retry_ms", {"100"}}}, Json{{"notify_retry_ms", Json::array()}},
        Json{{"notify_max_attempts", 0}}, Json{{"txn_time_window_seconds", 0}}}) {
    auto result = read_options(sdk::Options(bad));
    ASSERT_FALSE(result.ok()) << bad.dump();
    EXPECT_EQ(result.error().code, "invalid_option");
    EXPECT_EQ(result.error().param, bad.begin().key());
  }
  // Another merchant number is the one the gateway accepts and the pfx names.
  Harness other(Json{{"mer_id", "777290058100001"}});
  ASSERT_TRUE(other.started.ok()) << other.started.error().message;
  Fields request = other.consume("othermer20241205", 100);
  request["merId"] = "777290058100001";
  EXPECT_EQ(other.send(testing::kApp, request).fields.at("respCode"), "00");
  EXPECT_EQ(other.send(testing::kApp, other.consume("othermer20241206", 100)).fields.at("respCode"),
            "31");
}

}  // namespace
}  // namespace payhost::sandbox_unionpay
