// The cashier's sdk::Simulator and the notifications: credentials checked as WeChat would
// (forgeries refused), pay/fail/close state machine, encrypted and signed notifications,
// retries on WeChat's schedule and giving up, concurrent pays, and every tamper hook.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "aes_gcm.hpp"
#include "harness.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "rsa_sha256.hpp"
#include "test_keys.hpp"

namespace payhost::sandbox_wechat {
namespace {

using sdk::CashierAction;
using sdk::Json;
using testing::Answer;
using testing::Harness;

std::string merchant_sign(const std::string& message, int key_slot = 0) {
  auto key = sdk::crypto::PrivateKey::parse(testing::test_keypair(key_slot).private_pem);
  return sdk::base64_encode(sdk::crypto::rsa_sha256_sign(key.value(), message).value());
}

std::string apiv3_key_of_platform() {
  return sdk::hex_lower(
             sdk::crypto::sha256("payhost-sandbox-apiv3:" + testing::test_keypair(1).public_pem))
      .substr(0, 32);
}

struct Notification {
  Json body;
  Json plaintext;
  sdk::OutboundRequest request;
};

class Simulator : public ::testing::Test {
 protected:
  explicit Simulator(Json options = Json{{"notify_retry_ms", {100, 200, 300}},
                                         {"notify_max_attempts", 4}})
      : h(std::move(options)) {}

  void SetUp() override {
    ASSERT_TRUE(h.started.ok()) << h.started.error().message;
    sim = h.plugin.simulator();
    ASSERT_NE(sim, nullptr);
  }

  // A charge of `channel` whose trade the channel created through the API, with the
  // credential the channel would build.
  sdk::Charge charge(const std::string& channel, const std::string& order_no, long long amount,
                     const std::string& result_url = "") {
    const std::string kind = channel == "wx"                               ? "app"
                             : channel == "wx_wap"                         ? "h5"
                             : channel == "wx_pub" || channel == "wx_lite" ? "jsapi"
                                                                           : "native";
    const Answer prepay =
        h.post("/v3/pay/transactions/" + kind, Harness::prepay_body(kind, order_no, amount));
    EXPECT_EQ(prepay.status, 200) << prepay.body;
    sdk::Charge c;
    c.id = "ch_" + order_no;
    c.channel = channel;
    c.order_no = order_no;
    c.amount = amount;
    c.subject = "沙箱茶叶";
    const std::string appid = "wxd678efh567hg6787";
    const std::string nonce = sdk::crypto::random_alnum(32);
    const std::string timestamp = std::to_string(h.host.time.now());
    if (kind == "app") {
      const std::string prepay_id = prepay.json.value("prepay_id", "");
      c.credential = Json{{"appId", appid},
                          {"partnerId", "1230000109"},
                          {"prepayId", prepay_id},
                          {"nonceStr", nonce},
                          {"timeStamp", h.host.time.now()},
                          {"packageValue", "Sign=WXPay"},
                          {"sign", merchant_sign(appid + "\n" + timestamp + "\n" + nonce + "\n" +
                                                 prepay_id + "\n")}};
    } else if (kind == "jsapi") {
      const std::string package = "prepay_id=" + prepay.json.value("prepay_id", "");
      c.credential = Json{{"appId", appid},
                          {"timeStamp", timestamp},
                          {"nonceStr", nonce},
                          {"package", package},
                          {"signType", "RSA"},
                          {"paySign", merchant_sign(appid + "\n" + timestamp + "\n" + nonce + "\n" +
                                                    package + "\n")}};
    } else if (kind == "h5") {
      std::string url = prepay.json.value("h5_url", "");
      if (!result_url.empty()) url += "&redirect_url=" + sdk::url_encode(result_url);
      c.credential = url;
    } else {
      c.credential = prepay.json.value("code_url", "");
    }
    h.host.charge_core.store(c);
    return c;
  }

  // The last notification sent, checked as the channel would: headers, signature over the
  // exact body (with the simulator's own verify), and the resource decrypted (with the
  // simulator's own GCM).
  Notification last_notification() {
    Notification out;
    EXPECT_FALSE(h.host.provider.sent().empty());
    if (h.host.provider.sent().empty()) return out;
    out.request = h.host.provider.sent().back();
    const auto& headers = out.request.headers;
    EXPECT_EQ(out.request.method, "POST");
    EXPECT_EQ(out.request.url, "http://sandbox.test/notify/wechat");
    EXPECT_EQ(headers.get("Content-Type"), "application/json");
    EXPECT_EQ(headers.get("Wechatpay-Signature-Type"), "WECHATPAY2-SHA256-RSA2048");
    EXPECT_EQ(headers.get("Wechatpay-Serial"), h.expected_serial);
    EXPECT_FALSE(headers.get("Request-ID").value_or("").empty());
    auto platform = RsaKey::public_from_pem(testing::test_keypair(1).public_pem);
    const std::string message = headers.get("Wechatpay-Timestamp").value_or("") + "\n" +
                                headers.get("Wechatpay-Nonce").value_or("") + "\n" +
                                out.request.body + "\n";
    EXPECT_TRUE(
        rsa_verify_base64(*platform, message, headers.get("Wechatpay-Signature").value_or("")));
    out.body = sdk::parse_json(out.request.body);
    const Json& resource = out.body["resource"];
    const auto sealed = sdk::base64_decode(resource.value("ciphertext", ""));
    const auto plaintext = aes_gcm_open(apiv3_key_of_platform(), resource.value("nonce", ""),
                                        resource.value("associated_data", ""), sealed.value_or(""));
    EXPECT_TRUE(plaintext.has_value());
    out.plaintext = sdk::parse_json(plaintext.value_or(""));
    return out;
  }

  Harness h;
  sdk::Simulator* sim = nullptr;
};

TEST_F(Simulator, EveryChannelIsInspectedAndPaidWithAVerifiableNotification) {
  long long amount = 100;
  for (const std::string channel : {"wx", "wx_wap", "wx_pub", "wx_pub_qr", "wx_lite"}) {
    SCOPED_TRACE(channel);
    const sdk::Charge c = charge(channel, "order_" + channel + "_1", ++amount,
                                 channel == "wx_wap" ? "https://shop.example/done?x=1&y=2" : "");
    auto view = sim->inspect(c);
    ASSERT_TRUE(view.ok()) << view.error().message;
    EXPECT_EQ(view->provider, "WeChat Pay");
    EXPECT_EQ(view->trade_status, "NOTPAY");
    EXPECT_EQ(view->actions,
              (std::vector<CashierAction>{CashierAction::pay, CashierAction::fail,
                                          CashierAction::close, CashierAction::expire}));
    EXPECT_EQ(view->browser, channel == "wx_wap") << "only H5 opens in the phone's browser";
    bool has_amount = false;
    for (const auto& [label, value] : view->details)
      has_amount = has_amount || (label == "amount" && value == sdk::format_yuan(amount) + " CNY");
    EXPECT_TRUE(has_amount);
    if (channel == "wx_pub_qr") {
      EXPECT_EQ(view->qr_text, c.credential.get<std::string>());
    }
    if (channel == "wx_wap") {
      EXPECT_EQ(c.credential.get<std::string>().rfind(view->qr_text, 0), 0u);
    }

    const std::size_t sent_before = h.host.provider.sent().size();
    auto paid = sim->act(c, CashierAction::pay);
    ASSERT_TRUE(paid.ok()) << paid.error().message;
    EXPECT_EQ(paid->trade_status, "SUCCESS");
    EXPECT_FALSE(paid->repeated);
    EXPECT_TRUE(paid->notified);
    EXPECT_EQ(paid->notify_status, 200);
    EXPECT_EQ(paid->notify_answer, "");
    EXPECT_EQ(paid->trade_no.size(), 28u);
    EXPECT_EQ(paid->trade_no.substr(0, 4), "4200");
    EXPECT_EQ(paid->out_trade_no, c.order_no);
    EXPECT_EQ(paid->return_url, channel == "wx_wap" ? "https://shop.example/done?x=1&y=2" : "");
    ASSERT_EQ(h.host.provider.sent().size(), sent_before + 1);
    EXPECT_EQ(h.host.scheduled(), 0u) << "a received notification is not retried";

    const Notification n = last_notification();
    EXPECT_EQ(n.body["event_type"], "TRANSACTION.SUCCESS");
    EXPECT_EQ(n.body["resource_type"], "encrypt-resource");
    EXPECT_EQ(n.body["summary"], "支付成功");
    EXPECT_EQ(n.body["resource"]["original_type"], "transaction");
    EXPECT_EQ(n.body["resource"]["algorithm"], "AEAD_AES_256_GCM");
    EXPECT_EQ(n.body["resource"]["associated_data"], "transaction");
    EXPECT_EQ(n.body["resource"]["nonce"].get<std::string>().size(), 12u);
    EXPECT_EQ(n.plaintext["out_trade_no"], c.order_no);
    EXPECT_EQ(n.plaintext["transaction_id"], paid->trade_no);
    EXPECT_EQ(n.plaintext["mchid"], "1230000109");
    EXPECT_EQ(n.plaintext["appid"], "wxd678efh567hg6787");
    EXPECT_EQ(n.plaintext["trade_state"], "SUCCESS");
    EXPECT_EQ(n.plaintext["trade_state_desc"], "支付成功");
    EXPECT_EQ(n.plaintext["bank_type"], "OTHERS");
    EXPECT_EQ(n.plaintext["attach"], "ch_" + c.order_no);
    EXPECT_EQ(n.plaintext["success_time"], "2023-12-21T14:54:37+08:00");
    EXPECT_EQ(n.plaintext["amount"]["total"], amount);
    EXPECT_EQ(n.plaintext["amount"]["payer_total"], amount);
    EXPECT_EQ(n.plaintext["trade_type"], channel == "wx"          ? "APP"
                                         : channel == "wx_wap"    ? "MWEB"
                                         : channel == "wx_pub_qr" ? "NATIVE"
                                                                  : "JSAPI");
    const std::string openid = n.plaintext["payer"]["openid"];
    if (channel == "wx_pub" || channel == "wx_lite") {
      EXPECT_EQ(openid, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
    } else {
      EXPECT_EQ(openid.size(), 28u);
      EXPECT_EQ(openid[0], 'o');
    }
    // The SDK's independent AES-GCM opens it too.
    const auto sealed = sdk::base64_decode(n.body["resource"]["ciphertext"].get<std::string>());
    EXPECT_TRUE(sdk::crypto::aes_gcm_decrypt(apiv3_key_of_platform(),
                                             n.body["resource"]["nonce"].get<std::string>(),
                                             "transaction", *sealed)
                    .ok());

    auto after = sim->inspect(c);
    ASSERT_TRUE(after.ok());
    EXPECT_EQ(after->trade_status, "SUCCESS");
    EXPECT_TRUE(after->actions.empty());
  }
}

TEST_F(Simulator, PayingAgainRenotifiesWithoutPayingTwice) {
  const sdk::Charge c = charge("wx", "order_again_1", 450);
  auto first = sim->act(c, CashierAction::pay);
  ASSERT_TRUE(first.ok());
  const Json first_plain = last_notification().plaintext;
  h.host.time.advance(std::chrono::seconds(60));
  auto second = sim->act(c, CashierAction::pay);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->repeated);
  EXPECT_EQ(second->trade_no, first->trade_no);
  EXPECT_EQ(second->notify_status, 200);
  const Notification again = last_notification();
  EXPECT_EQ(again.plaintext, first_plain) << "the same payment, notified again";
  EXPECT_EQ(h.host.provider.sent().size(), 2u);
}

TEST_F(Simulator, FailAndCloseFollowTheStateMachine) {
  const sdk::Charge failing = charge("wx_pub_qr", "order_fail_1", 210);
  auto failed = sim->act(failing, CashierAction::fail);
  ASSERT_TRUE(failed.ok());
  EXPECT_EQ(failed->trade_status, "PAYERROR");
  EXPECT_TRUE(failed->trade_no.empty());
  EXPECT_TRUE(h.host.provider.sent().empty()) << "WeChat v3 notifies successes only";
  EXPECT_TRUE(sim->act(failing, CashierAction::fail)->repeated);
  auto pay_failed = sim->act(failing, CashierAction::pay);
  ASSERT_FALSE(pay_failed.ok());
  EXPECT_EQ(pay_failed.error().kind, sdk::ErrorKind::conflict);
  EXPECT_EQ(
      h.get("/v3/pay/transactions/out-trade-no/order_fail_1?mchid=1230000109").json["trade_state"],
      "PAYERROR");
  EXPECT_EQ(sim->act(failing, CashierAction::close)->trade_status, "CLOSED");

  const sdk::Charge closing = charge("wx", "order_closeact_1", 220);
  auto closed = sim->act(closing, CashierAction::close);
  ASSERT_TRUE(closed.ok());
  EXPECT_EQ(closed->trade_status, "CLOSED");
  EXPECT_TRUE(sim->act(closing, CashierAction::close)->repeated);
  auto pay_closed = sim->act(closing, CashierAction::pay);
  ASSERT_FALSE(pay_closed.ok());
  EXPECT_EQ(pay_closed.error().kind, sdk::ErrorKind::conflict);
  auto fail_closed = sim->act(closing, CashierAction::fail);
  ASSERT_FALSE(fail_closed.ok());
  EXPECT_EQ(fail_closed.error().kind, sdk::ErrorKind::conflict);

  const sdk::Charge paid = charge("wx", "order_paidact_1", 230);
  ASSERT_TRUE(sim->act(paid, CashierAction::pay).ok());
  EXPECT_EQ(sim->act(paid, CashierAction::close).error().kind, sdk::ErrorKind::conflict);
  EXPECT_EQ(sim->act(paid, CashierAction::fail).error().kind, sdk::ErrorKind::conflict);
}

TEST_F(Simulator, ExpireEndsTheTradeWithoutANotification) {
  const sdk::Charge c = charge("wx_pub_qr", "order_expire_1", 240);
  auto expired = sim->act(c, CashierAction::expire);
  ASSERT_TRUE(expired.ok()) << expired.error().message;
  EXPECT_EQ(expired->trade_status, "CLOSED");
  EXPECT_FALSE(expired->repeated);
  EXPECT_FALSE(expired->notified);
  EXPECT_TRUE(h.host.provider.sent().empty()) << "WeChat notifies no timeout";
  // The merchant learns it by asking.
  EXPECT_EQ(h.get("/v3/pay/transactions/out-trade-no/order_expire_1?mchid=1230000109")
                .json["trade_state"],
            "CLOSED");
  EXPECT_TRUE(sim->act(c, CashierAction::expire)->repeated);
  EXPECT_EQ(sim->act(c, CashierAction::pay).error().kind, sdk::ErrorKind::conflict);
  auto view = sim->inspect(c);
  ASSERT_TRUE(view.ok());
  EXPECT_TRUE(view->actions.empty());

  const sdk::Charge paid = charge("wx", "order_expire_paid_1", 250);
  ASSERT_TRUE(sim->act(paid, CashierAction::pay).ok());
  auto late = sim->act(paid, CashierAction::expire);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().kind, sdk::ErrorKind::conflict);
  EXPECT_NE(late.error().message.find("cannot be expired"), std::string::npos);
}

TEST_F(Simulator, AnExpiredTradeCannotBePaid) {
  const sdk::Charge c = charge("wx", "order_expired_1", 100);  // time_expire 2 h ahead
  h.host.time.advance(std::chrono::seconds(7200));
  auto paid = sim->act(c, CashierAction::pay);
  ASSERT_FALSE(paid.ok());
  EXPECT_EQ(paid.error().kind, sdk::ErrorKind::conflict);
  EXPECT_NE(paid.error().message.find("expired"), std::string::npos);
}

TEST_F(Simulator, ForgedOrMismatchedCredentialsAreRefused) {
  const sdk::Charge app = charge("wx", "order_forged_app", 100);
  const sdk::Charge jsapi = charge("wx_pub", "order_forged_pub", 100);
  const sdk::Charge h5 = charge("wx_wap", "order_forged_h5", 100);
  const sdk::Charge native = charge("wx_pub_qr", "order_forged_qr", 100);
  struct Case {
    const char* what;
    sdk::Charge charge;
  };
  std::vector<Case> cases;
  const auto with = [&](const char* what, sdk::Charge c, auto change) {
    change(c);
    cases.push_back({what, std::move(c)});
  };
  with("app: another key signed", app, [](sdk::Charge& c) {
    const Json& k = c.credential;
    c.credential["sign"] = merchant_sign(k["appId"].get<std::string>() + "\n" +
                                             std::to_string(k["timeStamp"].get<long long>()) +
                                             "\n" + k["nonceStr"].get<std::string>() + "\n" +
                                             k["prepayId"].get<std::string>() + "\n",
                                         2);
  });
  with("app: sign over another nonce", app, [](sdk::Charge& c) { c.credential["nonceStr"] = "x"; });
  with("app: another timestamp", app, [](sdk::Charge& c) { c.credential["timeStamp"] = 1; });
  with("app: another prepayId", app,
       [](sdk::Charge& c) { c.credential["prepayId"] = "wx20231221145437aaaaaaaaaaaaaaaaaaaa"; });
  with("app: another appId", app,
       [](sdk::Charge& c) { c.credential["appId"] = "wx0000000000000000"; });
  with("app: another partnerId", app,
       [](sdk::Charge& c) { c.credential["partnerId"] = "1900000109"; });
  with("app: packageValue", app,
       [](sdk::Charge& c) { c.credential["packageValue"] = "prepay_id=x"; });
  with("app: no sign", app, [](sdk::Charge& c) { c.credential.erase("sign"); });
  with("app: amount", app, [](sdk::Charge& c) { c.amount = 101; });
  with("app: not an object", app, [](sdk::Charge& c) { c.credential = "x"; });
  with("app: as another channel", app, [](sdk::Charge& c) { c.channel = "wx_pub"; });
  with("pub: paySign forged", jsapi,
       [](sdk::Charge& c) { c.credential["paySign"] = merchant_sign("x"); });
  with("pub: package", jsapi, [](sdk::Charge& c) {
    c.credential["package"] = "prepay_id=wx20231221145437aaaaaaaaaaaaaaaaaaaa";
  });
  with("pub: signType", jsapi, [](sdk::Charge& c) { c.credential["signType"] = "MD5"; });
  with("pub: timeStamp a number", jsapi, [](sdk::Charge& c) {
    c.credential["timeStamp"] = std::stoll(c.credential["timeStamp"].get<std::string>());
  });
  with("pub: newline in nonceStr", jsapi, [](sdk::Charge& c) {
    c.credential["nonceStr"] = c.credential["nonceStr"].get<std::string>() + "\nx";
  });
  with("h5: other URL", h5, [](sdk::Charge& c) { c.credential = "https://wx.tenpay.com/other"; });
  with("h5: extra parameter", h5,
       [](sdk::Charge& c) { c.credential = c.credential.get<std::string>() + "&x=1"; });
  with("h5: javascript redirect", h5, [](sdk::Charge& c) {
    c.credential = c.credential.get<std::string>() + "&redirect_url=javascript%3Aalert(1)";
  });
  with("h5: two redirects", h5, [](sdk::Charge& c) {
    c.credential = c.credential.get<std::string>() +
                   "&redirect_url=https%3A%2F%2Fa.example&redirect_url=https%3A%2F%2Fb.example";
  });
  with("qr: other code_url", native,
       [](sdk::Charge& c) { c.credential = "weixin://wxpay/bizpayurl?pr=AAAAAAA"; });
  with("qr: amount", native, [](sdk::Charge& c) { c.amount = 99; });
  with("unknown order", native, [](sdk::Charge& c) { c.order_no = "order_nobody_1"; });
  with("not WeChat", native, [](sdk::Charge& c) { c.channel = "alipay_qr"; });

  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    auto view = sim->inspect(c.charge);
    ASSERT_FALSE(view.ok());
    EXPECT_FALSE(view.error().message.empty());
    auto paid = sim->act(c.charge, CashierAction::pay);
    ASSERT_FALSE(paid.ok());
  }
  EXPECT_TRUE(h.host.provider.sent().empty()) << "nothing was paid or notified";
  for (const sdk::Charge* genuine : {&app, &jsapi, &h5, &native}) {
    EXPECT_TRUE(sim->inspect(*genuine).ok()) << genuine->channel;
  }
}

TEST_F(Simulator, RetriesOnWechatsScheduleUntilReceivedOrGivenUp) {
  // Refused twice (500, then no answer at all), received at the third attempt.
  h.host.provider.reply(500, R"({"code":"FAIL","message":"失败"})");
  h.host.provider.timeout();
  const sdk::Charge c = charge("wx", "order_retry_1", 100);
  auto paid = sim->act(c, CashierAction::pay);
  ASSERT_TRUE(paid.ok());
  EXPECT_TRUE(paid->notified);
  EXPECT_EQ(paid->notify_status, 500);
  EXPECT_EQ(paid->notify_answer, R"({"code":"FAIL","message":"失败"})");
  ASSERT_EQ(h.host.scheduled_delays(),
            std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(100)});
  const std::string first_body = h.host.provider.sent().back().body;
  const std::string first_nonce =
      h.host.provider.sent().back().headers.get("Wechatpay-Nonce").value();

  h.host.time.advance(std::chrono::seconds(1));
  ASSERT_TRUE(h.host.run_next_scheduled());  // no answer
  ASSERT_EQ(h.host.scheduled_delays(),
            std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(200)});
  h.host.time.advance(std::chrono::seconds(1));
  ASSERT_TRUE(h.host.run_next_scheduled());  // 200
  EXPECT_EQ(h.host.scheduled(), 0u);
  ASSERT_EQ(h.host.provider.sent().size(), 3u);
  // The same notification, signed afresh for each attempt.
  EXPECT_EQ(h.host.provider.sent().back().body, first_body);
  EXPECT_NE(h.host.provider.sent().back().headers.get("Wechatpay-Nonce").value(), first_nonce);
  EXPECT_EQ(h.host.provider.sent().back().headers.get("Wechatpay-Timestamp"),
            std::to_string(h.host.time.now()));
  last_notification();  // and it verifies

  // 204 counts as received too.
  h.host.provider.reply(204, "");
  ASSERT_TRUE(sim->act(charge("wx", "order_retry_2", 100), CashierAction::pay).ok());
  EXPECT_EQ(h.host.scheduled(), 0u);

  // Always refused: four attempts (the option), the last delay repeating, then silence.
  h.host.provider.answer_every(503, "");
  ASSERT_TRUE(sim->act(charge("wx", "order_retry_3", 100), CashierAction::pay).ok());
  const std::size_t before = h.host.provider.sent().size();
  std::vector<std::chrono::milliseconds> delays;
  while (h.host.scheduled() > 0) {
    delays.push_back(h.host.scheduled_delays().front());
    h.host.run_next_scheduled();
  }
  EXPECT_EQ(h.host.provider.sent().size() - before, 3u);
  EXPECT_EQ(delays, (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(100),
                                                            std::chrono::milliseconds(200),
                                                            std::chrono::milliseconds(300)}));
  EXPECT_TRUE(h.host.log.contains("giving up")) << h.host.log.dump();
}

TEST(SimulatorSchedule, DefaultsToWechatsRetrySchedule) {
  Harness h;
  ASSERT_TRUE(h.started.ok());
  h.host.provider.answer_every(500, "");
  auto* sim = h.plugin.simulator();
  const Answer prepay =
      h.post("/v3/pay/transactions/native", Harness::prepay_body("native", "order_sched_1", 100));
  sdk::Charge c;
  c.id = "ch_sched";
  c.channel = "wx_pub_qr";
  c.order_no = "order_sched_1";
  c.amount = 100;
  c.credential = prepay.json["code_url"];
  ASSERT_TRUE(sim->act(c, CashierAction::pay).ok());
  std::vector<long long> seconds;
  while (h.host.scheduled() > 0) {
    seconds.push_back(h.host.scheduled_delays().front().count() / 1000);
    h.host.run_next_scheduled();
  }
  EXPECT_EQ(seconds, (std::vector<long long>{15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600,
                                             10800, 10800, 10800, 21600, 21600}));
  EXPECT_EQ(h.host.provider.sent().size(), 16u);
}

TEST_F(Simulator, StoppedPluginsDropQueuedRetries) {
  h.host.provider.answer_every(500, "");
  ASSERT_TRUE(sim->act(charge("wx", "order_stop_1", 100), CashierAction::pay).ok());
  ASSERT_EQ(h.host.scheduled(), 1u);
  h.plugin.stop();
  const std::size_t before = h.host.provider.sent().size();
  h.host.run_next_scheduled();
  EXPECT_EQ(h.host.provider.sent().size(), before);
}

TEST_F(Simulator, ConcurrentPaysPayOnce) {
  const sdk::Charge c = charge("wx_lite", "order_concurrent_1", 670);
  std::vector<sdk::Result<sdk::CashierResult>> results;
  results.reserve(8);
  for (int i = 0; i < 8; ++i)
    results.emplace_back(sdk::make_error(sdk::ErrorKind::internal, "unset", ""));
  std::vector<std::thread> threads;
  for (auto& result : results)
    threads.emplace_back([&result, &c, this] { result = sim->act(c, CashierAction::pay); });
  for (auto& t : threads)
    t.join();
  int first = 0;
  std::string trade_no;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.error().message;
    if (!r->repeated) ++first;
    if (trade_no.empty()) trade_no = r->trade_no;
    EXPECT_EQ(r->trade_no, trade_no);
  }
  EXPECT_EQ(first, 1);
  EXPECT_EQ(h.host.provider.sent().size(), 8u) << "every pay notifies (repeats re-notify)";
}

TEST_F(Simulator, EachTamperSendsOneWrongNotificationAndChangesNothing) {
  const sdk::Charge c = charge("wx", "order_tamper_1", 333);
  auto platform = RsaKey::public_from_pem(testing::test_keypair(1).public_pem);
  const auto verifies = [&](const sdk::OutboundRequest& r) {
    const std::string message = r.headers.get("Wechatpay-Timestamp").value_or("") + "\n" +
                                r.headers.get("Wechatpay-Nonce").value_or("") + "\n" + r.body +
                                "\n";
    return rsa_verify_base64(*platform, message, r.headers.get("Wechatpay-Signature").value_or(""));
  };
  const auto plaintext = [&](const sdk::OutboundRequest& r) -> std::optional<Json> {
    const Json body = sdk::parse_json(r.body);
    const auto opened = aes_gcm_open(
        apiv3_key_of_platform(), body["resource"]["nonce"].get<std::string>(), "transaction",
        sdk::base64_decode(body["resource"]["ciphertext"].get<std::string>()).value());
    if (!opened) return std::nullopt;
    return sdk::parse_json(*opened);
  };
  h.host.provider.answer_every(401, R"({"code":"FAIL","message":"refused"})");
  for (const std::string tamper : {"signature", "amount", "mchid", "appid", "gcm_tag", "timestamp",
                                   "serial", "unknown_order", "probe"}) {
    SCOPED_TRACE(tamper);
    const std::size_t before = h.host.provider.sent().size();
    const Answer a = h.call("POST", "/sandbox/wechat/notify-tampered",
                            Json{{"charge_id", c.id}, {"tamper", tamper}}.dump());
    ASSERT_EQ(a.status, 200) << a.body;
    EXPECT_EQ(a.json["status"], 401);
    EXPECT_EQ(a.json["answer"], R"({"code":"FAIL","message":"refused"})");
    ASSERT_EQ(h.host.provider.sent().size(), before + 1);
    EXPECT_EQ(h.host.scheduled(), 0u) << "no retries";
    const auto r = h.host.provider.sent().back();
    const auto plain = plaintext(r);
    const auto ts = std::stoll(r.headers.get("Wechatpay-Timestamp").value());

    EXPECT_EQ(verifies(r), tamper != "signature" && tamper != "probe");
    EXPECT_EQ(plain.has_value(), tamper != "gcm_tag");
    EXPECT_EQ(ts, tamper == "timestamp" ? h.host.time.now() - 3600 : h.host.time.now());
    EXPECT_EQ(r.headers.get("Wechatpay-Serial") == h.expected_serial, tamper != "serial");
    if (tamper == "probe") {
      EXPECT_EQ(r.headers.get("Wechatpay-Signature").value().rfind("WECHATPAY/SIGNTEST/", 0), 0u);
    }
    if (!plain) continue;
    EXPECT_EQ((*plain)["trade_state"], "SUCCESS");
    EXPECT_EQ((*plain)["amount"]["total"] == 334, tamper == "amount");
    EXPECT_EQ((*plain)["amount"]["total"] == 333, tamper != "amount");
    EXPECT_EQ((*plain)["mchid"] == "1230000109", tamper != "mchid");
    EXPECT_EQ((*plain)["appid"] == "wxd678efh567hg6787", tamper != "appid");
    EXPECT_EQ((*plain)["out_trade_no"] == "order_tamper_1", tamper != "unknown_order");
  }
  // The trade is still unpaid and payable.
  EXPECT_EQ(sim->inspect(c)->trade_status, "NOTPAY");

  const std::size_t before = h.host.provider.sent().size();
  const Answer probe =
      h.call("POST", "/sandbox/wechat/notify-probe", Json{{"charge_id", c.id}}.dump());
  ASSERT_EQ(probe.status, 200) << probe.body;
  ASSERT_EQ(h.host.provider.sent().size(), before + 1);
  EXPECT_FALSE(verifies(h.host.provider.sent().back()));
  EXPECT_EQ(h.host.provider.sent()
                .back()
                .headers.get("Wechatpay-Signature")
                .value()
                .rfind("WECHATPAY/SIGNTEST/", 0),
            0u);

  // An unreachable merchant: status 0 and the error.
  h.host.provider.reset();
  const Answer down = h.call("POST", "/sandbox/wechat/notify-tampered",
                             Json{{"charge_id", c.id}, {"tamper", "amount"}}.dump());
  EXPECT_EQ(down.json["status"], 0);
  EXPECT_EQ(down.json["error"], "request to provider failed: Connection reset by peer");

  // Bad hook requests.
  EXPECT_EQ(h.call("POST", "/sandbox/wechat/notify-tampered",
                   Json{{"charge_id", c.id}, {"tamper", "nonsense"}}.dump())
                .status,
            400);
  EXPECT_EQ(h.call("POST", "/sandbox/wechat/notify-tampered", "not json").status, 400);
  EXPECT_EQ(h.call("POST", "/sandbox/wechat/notify-tampered",
                   Json{{"charge_id", "ch_nobody"}, {"tamper", "amount"}}.dump())
                .status,
            404);
}

}  // namespace
}  // namespace payhost::sandbox_wechat
