// The WeChat Pay channel plugin against the sandbox's simulated WeChat Pay v3, through the
// real payhostd: each of the five channels is created, paid on the provider-neutral cashier
// and settled by the encrypted, signed notification exactly once, under duplicate and
// concurrent notifications and after a first answer of 500; tampered and malformed
// notifications are refused, counted and change nothing. Built twice: SQLite, and
// PostgreSQL (PAYHOST_FLOW_POSTGRES, label postgres).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "support/flow_suite.hpp"
#include "support/nested_json.hpp"
#include "support/raw_http.hpp"

namespace {

using Json = nlohmann::ordered_json;
using payhost::testing::HttpResult;
using payhost::testing::Payhostd;

#ifdef PAYHOST_FLOW_POSTGRES
constexpr bool kPostgres = true;
#else
constexpr bool kPostgres = false;
#endif

const char* kConfig = R"(livemode: false
app_id: app_5anXP4ezfXvL8m5e
data_dir: "@DATA_DIR@"
plugin_dir: "@PLUGIN_DIR@"
database:
  url: "@DATABASE_URL@"
server:
  listen: 127.0.0.1:0
  workers: 4
jobs: {janitor: false}
plugins:
  sandbox:
    options: {}
  sandbox_wechat:
    options:
      notify_retry_ms: [300]
      notify_max_attempts: 5
  wechat:
    channels: [wx, wx_wap, wx_pub, wx_pub_qr, wx_lite]
    options: {}
  testproduct:
    path: "@TEST_PLUGIN_DIR@/testproduct.so"
    options: {}
)";

const std::vector<std::string> kChannels = {"wx", "wx_wap", "wx_pub", "wx_pub_qr", "wx_lite"};

struct WechatSuite {
  static const char* config() { return kConfig; }
  static bool postgres() { return kPostgres; }
};

class WechatFlow : public payhost::testing::FlowSuite<WechatSuite> {
 protected:
  static Json extras_for(const std::string& channel) {
    if (channel == "wx_pub" || channel == "wx_lite") {
      return Json{{"open_id", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}};
    }
    if (channel == "wx_pub_qr") return Json{{"product_id", "tea-001"}};
    if (channel == "wx_wap") return Json{{"result_url", "https://shop.example/done?x=1&y=2"}};
    return Json::object();
  }

  static Json create(const std::string& channel, long long amount) {
    return FlowSuite::create(channel, amount, "沙箱茶叶", extras_for(channel));
  }
  static HttpResult act(const std::string& id, const std::string& action) {
    return cashier(id, action);
  }
};

const std::string kRefused = R"(payhost_notifications_total{plugin="wechat",result="refused"})";

// What each channel's credential must look like before anyone pays (Ping++'s shapes).
void check_credential(const std::string& channel, const Json& credential) {
  ASSERT_TRUE(credential.contains(channel)) << credential.dump();
  const Json& c = credential[channel];
  if (channel == "wx") {
    ASSERT_TRUE(c.is_object()) << c.dump();
    std::vector<std::string> keys;
    for (const auto& item : c.items())
      keys.push_back(item.key());
    EXPECT_EQ(keys, (std::vector<std::string>{"appId", "partnerId", "prepayId", "nonceStr",
                                              "timeStamp", "packageValue", "sign"}));
    EXPECT_TRUE(c["timeStamp"].is_number_integer()) << c.dump();
    EXPECT_EQ(c["packageValue"], "Sign=WXPay");
    EXPECT_EQ(c["partnerId"], "1230000109");
  } else if (channel == "wx_pub" || channel == "wx_lite") {
    ASSERT_TRUE(c.is_object()) << c.dump();
    EXPECT_TRUE(c["timeStamp"].is_string()) << c.dump();
    EXPECT_EQ(c["signType"], "RSA");
    EXPECT_EQ(c.value("package", "").rfind("prepay_id=wx", 0), 0u) << c.dump();
    EXPECT_FALSE(c.value("paySign", "").empty());
  } else if (channel == "wx_wap") {
    ASSERT_TRUE(c.is_string()) << c.dump();
    const std::string url = c.get<std::string>();
    EXPECT_EQ(url.rfind("https://wx.tenpay.com/", 0), 0u) << url;
    EXPECT_NE(url.find("&redirect_url=https%3A%2F%2Fshop.example%2Fdone%3Fx%3D1%26y%3D2"),
              std::string::npos)
        << url;
  } else {
    ASSERT_TRUE(c.is_string()) << c.dump();
    EXPECT_EQ(c.get<std::string>().rfind("weixin://wxpay/bizpayurl?pr=", 0), 0u) << c.dump();
  }
}

TEST_F(WechatFlow, EveryChannelIsPaidThroughTheCashierAndSettledOnce) {
  long long amount = 100;
  for (const std::string& channel : kChannels) {
    SCOPED_TRACE(channel);
    const Json created = create(channel, ++amount);
    ASSERT_TRUE(created.contains("id"));
    const std::string id = created["id"];
    EXPECT_EQ(created["paid"], false);
    EXPECT_EQ(created["time_expire"].get<long long>() - created["created"].get<long long>(), 7200);
    check_credential(channel, created["credential"]);
    if (HasFatalFailure()) return;

    // The cashier opens only when the simulator recognises the credential.
    const HttpResult page = host().get("/sandbox/cashier/" + id);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("/sandbox/cashier/" + id + "/pay"), std::string::npos);
    EXPECT_NE(page.body.find("WeChat Pay"), std::string::npos);

    const HttpResult paid = pay(id);
    ASSERT_EQ(paid.status, 200) << paid.body;
    const Json result = paid.json();
    EXPECT_EQ(result["paid"], true);
    EXPECT_EQ(result["notified"], true) << result.dump();
    EXPECT_EQ(result["notify_status"], 200) << result.dump();
    EXPECT_EQ(result["notify_answer"], "") << "WeChat expects an empty body on success";
    EXPECT_EQ(result["trade_status"], "SUCCESS");

    const Json after = charge(id);
    EXPECT_EQ(after["paid"], true) << after.dump();
    EXPECT_EQ(after["transaction_no"], result["trade_no"]);
    EXPECT_EQ(after["transaction_no"].get<std::string>().size(), 28u);
    EXPECT_FALSE(after["time_paid"].is_null());
    EXPECT_EQ(settlements(created), 1);

    // Asking the provider agrees, and settles nothing twice.
    const HttpResult retrieved = host().get("/test/charges/" + id + "?mode=retrieve");
    ASSERT_EQ(retrieved.status, 200) << retrieved.body;
    EXPECT_EQ(retrieved.json()["paid"], true);
    EXPECT_EQ(settlements(created), 1);
  }
}

TEST_F(WechatFlow, DuplicatePaysResendTheNotificationButSettleOnce) {
  const Json created = create("wx", 450);
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  const HttpResult first = pay(id);
  ASSERT_EQ(first.status, 200) << first.body;
  const HttpResult second = pay(id);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json()["repeated"], true);
  EXPECT_EQ(second.json()["trade_no"], first.json()["trade_no"]);
  EXPECT_EQ(second.json()["notify_status"], 200) << "a repeat is still acknowledged";
  EXPECT_EQ(charge(id)["transaction_no"], first.json()["trade_no"]);
  EXPECT_EQ(settlements(created), 1);
}

TEST_F(WechatFlow, ConcurrentPaysSettleOnce) {
  for (const std::string channel : {"wx_pub_qr", "wx_lite"}) {
    SCOPED_TRACE(channel);
    const Json created = create(channel, 670);
    ASSERT_TRUE(created.contains("id"));
    const std::string id = created["id"];
    std::vector<HttpResult> results(8);
    std::vector<std::thread> threads;
    for (auto& result : results)
      threads.emplace_back([&result, &id] { result = pay(id); });
    for (auto& t : threads)
      t.join();
    int first_payments = 0;
    std::string trade_no;
    for (const auto& r : results) {
      ASSERT_EQ(r.status, 200) << r.body;
      const Json j = r.json();
      EXPECT_EQ(j["paid"], true);
      if (j["repeated"] == false) ++first_payments;
      if (trade_no.empty()) trade_no = j["trade_no"];
      EXPECT_EQ(j["trade_no"], trade_no) << "one trade, one transaction_id";
    }
    EXPECT_EQ(first_payments, 1);
    EXPECT_EQ(charge(id)["transaction_no"], trade_no);
    EXPECT_EQ(settlements(created), 1);
  }
}

// The host answers 500 while the product's hook fails; WeChat's retry then settles it once.
TEST_F(WechatFlow, ANotificationFirstAnswered500IsRetriedAndSettlesOnce) {
  const long long amount = 919;
  ASSERT_EQ(host().post_json("/test/fail-hook", Json{{"amount", amount}}.dump()).status, 200);
  const Json created = create("wx_wap", amount);
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  const HttpResult paid = pay(id);
  ASSERT_EQ(host().post_json("/test/fail-hook", Json{{"amount", 0}}.dump()).status, 200);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.json()["notify_status"], 500) << paid.body;
  const Json reply = Json::parse(paid.json().value("notify_answer", "{}"), nullptr, false);
  EXPECT_EQ(reply.value("code", ""), "FAIL") << paid.body;

  // The simulator retries every 300 ms (config); the charge settles on a retry.
  bool settled = false;
  for (int i = 0; i < 100 && !settled; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    settled = charge(id).value("paid", false);
  }
  EXPECT_TRUE(settled) << "the retried notification did not settle the charge";
  std::this_thread::sleep_for(std::chrono::milliseconds(800));  // any further retry
  EXPECT_EQ(settlements(created), 1);
  EXPECT_EQ(charge(id)["transaction_no"], paid.json()["trade_no"]);
}

TEST_F(WechatFlow, TamperedNotificationsAreRefusedCountedAndChangeNothing) {
  const Json created = create("wx", 333);
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  for (const std::string tamper : {"signature", "amount", "mchid", "appid", "gcm_tag", "timestamp",
                                   "serial", "unknown_order", "probe"}) {
    SCOPED_TRACE(tamper);
    const double before = metric(kRefused);
    const HttpResult r = host().post_json("/sandbox/wechat/notify-tampered",
                                          Json{{"charge_id", id}, {"tamper", tamper}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
    const Json answer = r.json();
    const int status = answer.value("status", 0);
    EXPECT_GE(status, 400) << answer.dump();
    EXPECT_EQ(metric(kRefused), before + 1);
    const Json now = charge(id);
    EXPECT_EQ(now["paid"], false) << now.dump();
    EXPECT_TRUE(now["transaction_no"].is_null()) << now.dump();
  }
  EXPECT_EQ(settlements(created), 0);
  const HttpResult paid = pay(id);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(charge(id)["paid"], true);
  EXPECT_EQ(settlements(created), 1);
}

// Bodies no real notification has: each refused with WeChat's failure reply, counted, and
// the host keeps serving.
TEST_F(WechatFlow, MalformedNotificationsAreRefusedAndTheHostKeepsServing) {
  const std::vector<std::string> headers = {
      "Wechatpay-Timestamp: " + std::to_string(std::time(nullptr)),
      "Wechatpay-Nonce: 593BEC0C930BF1AFEB40B4A08C8FB242",
      "Wechatpay-Signature: c2lnbmF0dXJl",
      "Wechatpay-Serial: 5157F09EFDC096DE15EBE81A47057A7232F1B8E1",
      "Wechatpay-Signature-Type: WECHATPAY2-SHA256-RSA2048",
      "Content-Type: application/json"};
  struct Case {
    std::string name;
    std::string body;
    std::vector<std::string> headers;
  };
  const std::vector<Case> cases = {
      {"not JSON", "<xml><return_code>SUCCESS</return_code></xml>", headers},
      {"no headers", R"({"id":"x","resource":{}})", {"Content-Type: application/json"}},
      {"deeply nested", payhost::testing::nested_json(5000), headers},
      {"huge", "{\"pad\":\"" + std::string(200 * 1024, 'a') + "\"}", headers},
      {"empty", "", headers},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const double before = metric(kRefused);
    const HttpResult r = host().request("POST", "/notify/wechat", c.body, c.headers);
    EXPECT_GE(r.status, 400) << r.body;
    EXPECT_LT(r.status, 600) << r.body;
    if (!r.body.empty()) {
      const Json reply = Json::parse(r.body, nullptr, false);
      EXPECT_EQ(reply.value("code", ""), "FAIL") << r.body;
    }
    EXPECT_EQ(metric(kRefused), before + 1);
    EXPECT_EQ(host().get("/healthz").status, 200);
  }
  // Over the host's body limit: refused before any plugin reads it.
  // (Asked by declared length: a client still sending 2 MiB may see only the reset.)
  payhost::testing::RawConnection huge(host().port());
  ASSERT_TRUE(
      huge.send_all("POST /notify/wechat HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                    "Content-Length: 2097152\r\n\r\n"));
  const auto refused = huge.read_response(std::chrono::seconds(5));
  ASSERT_TRUE(refused) << "no answer to a 2 MiB declared body";
  EXPECT_EQ(refused->status, 413);
  EXPECT_EQ(host().get("/readyz").status, 200);
}

// Every worker keeps its connection to the provider: forty charges open at most one
// connection per worker (4 in this config), not one per call.
TEST_F(WechatFlow, ProviderCallsReuseConnections) {
  const std::string series = "payhost_outbound_connections_total";
  const double before = metric(series);
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(create("wx", 10 + i).contains("id"));
  }
  const double opened = metric(series) - before;
  EXPECT_LE(opened, 4) << "connections opened for 40 provider calls";
  EXPECT_GE(metric("payhost_outbound_requests_total{result=\"ok\"}"), 40);
}

TEST_F(WechatFlow, TheCashierFailsAndClosesTrades) {
  const Json failing = create("wx_pub_qr", 210);
  ASSERT_TRUE(failing.contains("id"));
  const HttpResult failed = act(failing["id"], "fail");
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(failed.json()["trade_status"], "PAYERROR");
  const HttpResult asked =
      host().get("/test/charges/" + failing["id"].get<std::string>() + "?mode=retrieve");
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(asked.json()["paid"], false);
  EXPECT_FALSE(asked.json()["failure_code"].is_null()) << asked.body;

  const Json closing = create("wx", 220);
  ASSERT_TRUE(closing.contains("id"));
  const HttpResult closed = act(closing["id"], "close");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["trade_status"], "CLOSED");
  // A closed trade cannot be paid any more.
  EXPECT_EQ(pay(closing["id"]).status, 409);
  EXPECT_EQ(charge(closing["id"])["paid"], false);
  EXPECT_EQ(settlements(closing), 0);
}

}  // namespace
