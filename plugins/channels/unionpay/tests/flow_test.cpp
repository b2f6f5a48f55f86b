// The UnionPay channel plugin (ACP 5.1.0) against the simulated UnionPay (sandbox_unionpay),
// through the real payhostd: each of the four channels is created, opened as its client would
// (the wap/pc form posted to the gateway, which sends the browser to the cashier), paid on the
// provider-neutral cashier and settled by the signed back notification exactly once, under
// duplicate and concurrent notifications and after a first answer of 500; a notification the
// simulator gives up on is settled by the janitor's queryTrans; tampered and malformed
// notifications are refused, counted and change nothing. Built twice: SQLite, and PostgreSQL
// (PAYHOST_FLOW_POSTGRES, label postgres).
#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "support/flow_suite.hpp"
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

// Retries every 300 ms so the 500 test settles in well under a second of waiting.
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
  sandbox_unionpay:
    options:
      notify_retry_ms: [300]
      notify_max_attempts: 5
  unionpay:
    channels: [applepay_upacp, upacp, upacp_wap, upacp_pc]
    options: {}
  testproduct:
    path: "@TEST_PLUGIN_DIR@/testproduct.so"
    options: {}
)";

// The janitor's host: the simulator tries each notification once, the janitor asks about
// every pending charge at once and then every second or so. The channel is listed before
// its simulator, so it starts before the sandbox certificates exist and must load them on
// first use.
const char* kJanitorConfig = R"(livemode: false
app_id: app_5anXP4ezfXvL8m5e
data_dir: "@DATA_DIR@"
plugin_dir: "@PLUGIN_DIR@"
database:
  url: "@DATABASE_URL@"
server:
  listen: 127.0.0.1:0
  workers: 4
jobs: {janitor: true, interval_seconds: 1, query_after_seconds: 0}
plugins:
  unionpay:
    channels: [upacp, upacp_wap]
    options: {}
  sandbox:
    options: {}
  sandbox_unionpay:
    options:
      notify_max_attempts: 1
  testproduct:
    path: "@TEST_PLUGIN_DIR@/testproduct.so"
    options: {}
)";

const std::vector<std::string> kChannels = {"applepay_upacp", "upacp", "upacp_wap", "upacp_pc"};
const std::string kResultUrl = "https://shop.example/unionpay/done?order=7";
const std::string kRefused = R"(payhost_notifications_total{plugin="unionpay",result="refused"})";

bool is_web(const std::string& channel) {
  return channel == "upacp_wap" || channel == "upacp_pc";
}

bool all_digits(const std::string& text, std::size_t size) {
  return text.size() == size && text.find_first_not_of("0123456789") == std::string::npos;
}

// YYYYMMDDhhmmss in Beijing time (UTC+8, no daylight saving), as UnionPay writes times.
std::string beijing_time(long long unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%Y%m%d%H%M%S", &tm);
  return text;
}

// application/x-www-form-urlencoded: every byte but the unreserved ones as %XX.
std::string form_escape(const std::string& text) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields)
    out += (out.empty() ? "" : "&") + form_escape(k) + "=" + form_escape(v);
  return out;
}

struct UnionpaySuite {
  static const char* config() { return kConfig; }
  static bool postgres() { return kPostgres; }
};

class UnionpayFlow : public payhost::testing::FlowSuite<UnionpaySuite> {
 protected:
  static Json extras_for(const std::string& channel) {
    if (is_web(channel)) return Json{{"result_url", kResultUrl}};
    return Json::object();
  }

  static Json create(const Payhostd& on, const std::string& channel, long long amount) {
    return FlowSuite::create(on, channel, amount, "沙箱银联订单", extras_for(channel));
  }
  static Json create(const std::string& channel, long long amount) {
    return create(host(), channel, amount);
  }
  static HttpResult act(const Payhostd& on, const std::string& id, const std::string& action) {
    return cashier(on, id, action);
  }

  // What the client does with a wap/pc credential: an auto-submitting form with every field
  // but channel_url, posted to channel_url. The gateway answers 302 to the cashier.
  static HttpResult post_credential_form(const Json& created) {
    const std::string channel = created["channel"];
    const Json& c = created["credential"][channel];
    std::vector<std::pair<std::string, std::string>> fields;
    for (const auto& item : c.items()) {
      if (item.key() == "channel_url") continue;
      fields.emplace_back(item.key(), item.value().get<std::string>());
    }
    return payhost::testing::http_request(
        "POST", c.value("channel_url", ""), form(fields),
        {"Content-Type: application/x-www-form-urlencoded; charset=UTF-8"});
  }

  // Opens the trade as the charge's client would: the app channels already have their tn;
  // the web channels post their form, and the browser lands on the cashier.
  static void open(const Json& created) {
    const std::string channel = created["channel"];
    if (!is_web(channel)) return;
    const HttpResult posted = post_credential_form(created);
    ASSERT_EQ(posted.status, 302) << posted.body;
    const auto location = posted.headers.find("location");
    ASSERT_NE(location, posted.headers.end()) << "no Location on the gateway's 302";
    EXPECT_NE(location->second.find("/sandbox/cashier/" + created["id"].get<std::string>()),
              std::string::npos)
        << location->second;
    EXPECT_NE(posted.body.find("/sandbox/cashier/"), std::string::npos)
        << "the 302 carries a link too: " << posted.body;
  }
};

// What each channel's credential must look like before anyone pays (Ping++'s shapes, the
// fields of notes §4.2).
void check_credential(const Payhostd& host, const Json& created) {
  const std::string channel = created["channel"];
  const Json& credential = created["credential"];
  ASSERT_TRUE(credential.contains(channel)) << credential.dump();
  const Json& c = credential[channel];
  ASSERT_TRUE(c.is_object()) << c.dump();
  if (!is_web(channel)) {
    EXPECT_TRUE(all_digits(c.value("tn", ""), 21)) << c.dump();
    EXPECT_EQ(c.value("mode", ""), "01") << "test mode is the UnionPay control's mode 01";
    if (channel == "applepay_upacp") {
      EXPECT_EQ(c.value("merchant_id", ""), "merchant.com.payhost.sandbox") << c.dump();
    }
    return;
  }
  EXPECT_EQ(c.value("channel_url", ""), host.url("/sandbox/unionpay/gateway/api/frontTransReq.do"));
  EXPECT_EQ(c.value("version", ""), "5.1.0");
  EXPECT_EQ(c.value("signMethod", ""), "01");
  EXPECT_EQ(c.value("txnType", ""), "01");
  EXPECT_EQ(c.value("txnSubType", ""), "01");
  EXPECT_EQ(c.value("bizType", ""), "000201");
  EXPECT_EQ(c.value("channelType", ""), channel == "upacp_wap" ? "08" : "07");
  EXPECT_EQ(c.value("accessType", ""), "0");
  EXPECT_EQ(c.value("currencyCode", ""), "156");
  EXPECT_EQ(c.value("merId", ""), "777290058167151");
  EXPECT_EQ(c.value("orderId", ""), created["order_no"]);
  EXPECT_EQ(c.value("txnAmt", ""), std::to_string(created["amount"].get<long long>()));
  EXPECT_EQ(c.value("frontUrl", ""), kResultUrl);
  EXPECT_EQ(c.value("backUrl", ""), host.url("/notify/unionpay"));
  EXPECT_EQ(c.value("reqReserved", ""), created["id"]);
  EXPECT_EQ(c.value("payTimeout", ""), beijing_time(created["time_expire"].get<long long>()));
  EXPECT_TRUE(all_digits(c.value("txnTime", ""), 14)) << c.dump();
  EXPECT_FALSE(c.value("certId", "").empty());
  EXPECT_EQ(c.value("certId", "").find_first_not_of("0123456789"), std::string::npos)
      << "certId is the certificate serial in decimal";
  EXPECT_GE(c.value("signature", "").size(), 340u) << "base64 of an RSA-2048 signature";
  for (const auto& item : c.items()) {
    EXPECT_TRUE(item.value().is_string()) << item.key() << " is a form field: " << c.dump();
  }
}

TEST_F(UnionpayFlow, EveryChannelIsPaidThroughTheCashierAndSettledOnce) {
  long long amount = 100;
  for (const std::string& channel : kChannels) {
    SCOPED_TRACE(channel);
    const Json created = create(channel, ++amount);
    ASSERT_TRUE(created.contains("id"));
    const std::string id = created["id"];
    EXPECT_EQ(created["paid"], false);
    EXPECT_EQ(created["time_expire"].get<long long>() - created["created"].get<long long>(), 3600)
        << "UnionPay's default expiry (Ping++'s): one hour";
    check_credential(host(), created);
    if (HasFatalFailure()) return;
    open(created);
    if (HasFatalFailure()) return;

    // The cashier opens only when the simulator recognises the trade.
    const HttpResult page = host().get("/sandbox/cashier/" + id);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("/sandbox/cashier/" + id + "/pay"), std::string::npos);
    EXPECT_NE(page.body.find("UnionPay"), std::string::npos);

    const HttpResult paid = pay(id);
    ASSERT_EQ(paid.status, 200) << paid.body;
    const Json result = paid.json();
    EXPECT_EQ(result["paid"], true);
    EXPECT_EQ(result["notified"], true) << result.dump();
    EXPECT_EQ(result["notify_status"], 200) << result.dump();
    EXPECT_EQ(result["notify_answer"], "ok") << "UnionPay's demos answer 200 ok";
    EXPECT_EQ(result["out_trade_no"], created["order_no"]);
    const std::string query_id = result.value("trade_no", "");
    EXPECT_TRUE(all_digits(query_id, 21)) << "the queryId: " << result.dump();

    const Json after = charge(id);
    EXPECT_EQ(after["paid"], true) << after.dump();
    EXPECT_EQ(after["transaction_no"], query_id) << "the queryId, not the tn";
    EXPECT_FALSE(after["time_paid"].is_null());
    EXPECT_LE(std::llabs(after["time_paid"].get<long long>() - std::time(nullptr)), 120)
        << "traceTime read as Beijing time";
    EXPECT_EQ(settlements(created), 1);

    // Asking the provider (queryTrans) agrees, and settles nothing twice.
    const HttpResult retrieved = host().get("/test/charges/" + id + "?mode=retrieve");
    ASSERT_EQ(retrieved.status, 200) << retrieved.body;
    EXPECT_EQ(retrieved.json()["paid"], true);
    EXPECT_EQ(settlements(created), 1);
  }
}

// queryTrans of a trade nobody paid: pending, and the charge stays as it is.
TEST_F(UnionpayFlow, AnUnpaidTradeIsPendingWhenQueried) {
  for (const std::string channel : {"upacp", "upacp_pc"}) {
    SCOPED_TRACE(channel);
    const Json created = create(channel, 305);
    ASSERT_TRUE(created.contains("id"));
    open(created);
    const HttpResult retrieved =
        host().get("/test/charges/" + created["id"].get<std::string>() + "?mode=retrieve");
    ASSERT_EQ(retrieved.status, 200) << retrieved.body;
    EXPECT_EQ(retrieved.json()["paid"], false) << retrieved.body;
    EXPECT_TRUE(retrieved.json()["failure_code"].is_null()) << retrieved.body;
    EXPECT_EQ(settlements(created), 0);
  }
}

// The gateway checks the signature of what the browser posts: one changed field is refused.
TEST_F(UnionpayFlow, AFormWithAChangedFieldIsRefusedByTheGateway) {
  Json created = create("upacp_wap", 410);
  ASSERT_TRUE(created.contains("id"));
  created["credential"]["upacp_wap"]["txnAmt"] = "1";
  const HttpResult posted = post_credential_form(created);
  EXPECT_NE(posted.status, 302) << posted.body;
  EXPECT_EQ(posted.headers.count("location"), 0u) << posted.body;
  EXPECT_EQ(charge(created["id"])["paid"], false);
}

TEST_F(UnionpayFlow, DuplicatePaysResendTheNotificationButSettleOnce) {
  const Json created = create("upacp", 450);
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

TEST_F(UnionpayFlow, ConcurrentPaysSettleOnce) {
  for (const std::string channel : {"applepay_upacp", "upacp_pc"}) {
    SCOPED_TRACE(channel);
    const Json created = create(channel, 670);
    ASSERT_TRUE(created.contains("id"));
    open(created);
    if (HasFatalFailure()) return;
    const std::string id = created["id"];
    std::vector<HttpResult> results(8);
    std::vector<std::thread> threads;
    for (auto& result : results)
      threads.emplace_back([&result, &id] { result = pay(id); });
    for (auto& t : threads)
      t.join();
    int first_payments = 0;
    std::string query_id;
    for (const auto& r : results) {
      ASSERT_EQ(r.status, 200) << r.body;
      const Json j = r.json();
      EXPECT_EQ(j["paid"], true);
      if (j["repeated"] == false) ++first_payments;
      if (query_id.empty()) query_id = j["trade_no"];
      EXPECT_EQ(j["trade_no"], query_id) << "one trade, one queryId";
    }
    EXPECT_EQ(first_payments, 1);
    EXPECT_EQ(charge(id)["transaction_no"], query_id);
    EXPECT_EQ(settlements(created), 1);
  }
}

// The host answers 500 while the product's hook fails; UnionPay's retry then settles it once.
TEST_F(UnionpayFlow, ANotificationFirstAnswered500IsRetriedAndSettlesOnce) {
  const long long amount = 919;
  ASSERT_EQ(host().post_json("/test/fail-hook", Json{{"amount", amount}}.dump()).status, 200);
  const Json created = create("upacp_wap", amount);
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  open(created);
  const HttpResult paid = pay(id);
  ASSERT_EQ(host().post_json("/test/fail-hook", Json{{"amount", 0}}.dump()).status, 200);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.json()["notify_status"], 500) << paid.body;
  EXPECT_EQ(charge(id)["paid"], false) << "the failed hook rolled the settlement back";

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

// Notifications the simulator signs wrongly on purpose: each refused, counted, and the charge
// untouched; the genuine one afterwards settles it.
TEST_F(UnionpayFlow, TamperedNotificationsAreRefusedCountedAndChangeNothing) {
  const Json created = create("upacp", 333);
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  for (const std::string tamper : {"foreign_cn", "expired", "outside_chain", "amount", "signature",
                                   "mer_id", "unknown_order"}) {
    SCOPED_TRACE(tamper);
    const double before = metric(kRefused);
    const HttpResult r = host().post_json("/sandbox/unionpay/notify-tampered",
                                          Json{{"charge_id", id}, {"tamper", tamper}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
    const Json answer = r.json();
    EXPECT_GE(answer.value("status", 0), 400) << answer.dump();
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

// Bodies no real notification has, each naming a real unpaid charge: refused, counted, the
// charge untouched, and the host keeps serving.
TEST_F(UnionpayFlow, MalformedNotificationsAreRefusedAndTheHostKeepsServing) {
  const Json created = create("upacp", 512);
  ASSERT_TRUE(created.contains("id"));
  const std::string order_no = created["order_no"];
  const std::string now = beijing_time(std::time(nullptr));

  // The simulator's signing certificate, as it sends it in signPubKeyCert.
  std::string certificate;
  for (const auto& entry :
       std::filesystem::directory_iterator(host().data_dir() + "/sandbox-unionpay")) {
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find("BEGIN CERTIFICATE") != std::string::npos &&
        entry.path().filename().string().find("sign") != std::string::npos) {
      certificate = text.str();
    }
  }
  ASSERT_FALSE(certificate.empty()) << "no signing certificate in sandbox-unionpay/";

  // A notification's fields with a well-formed but wrong signature.
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"accessType", "0"},
      {"bizType", "000201"},
      {"currencyCode", "156"},
      {"encoding", "UTF-8"},
      {"merId", "777290058167151"},
      {"orderId", order_no},
      {"queryId", "772012345678901234567"},
      {"respCode", "00"},
      {"respMsg", "成功[0000000]"},
      {"settleAmt", "512"},
      {"settleCurrencyCode", "156"},
      {"settleDate", now.substr(4, 4)},
      {"signMethod", "01"},
      {"signPubKeyCert", certificate},
      {"signature", std::string(344, 'A')},
      {"traceNo", "123456"},
      {"traceTime", now.substr(4)},
      {"txnAmt", "512"},
      {"txnSubType", "01"},
      {"txnTime", now},
      {"txnType", "01"},
      {"version", "5.1.0"}};
  const std::string base = form(fields);
  auto with = [&](const std::string& key, const std::string& value) {
    auto copy = fields;
    for (auto& [k, v] : copy) {
      if (k == key) v = value;
    }
    return form(copy);
  };
  struct Case {
    std::string name;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"not a form", "<xml><respCode>00</respCode></xml>"},
      {"broken percent-encoding", "orderId=%zz&txnAmt=%4&signature=%"},
      {"keys without values", "&&&=&orderId&txnAmt=="},
      {"a repeated orderId", base + "&orderId=" + form_escape("20991231235959ZZZZZZZZZZ")},
      {"a repeated txnAmt", base + "&txnAmt=1"},
      {"a huge value", with("respMsg", std::string(300 * 1024, 'a'))},
      {"thousands of fields", base +
                                  [] {
                                    std::string more;
                                    for (int i = 0; i < 5000; ++i)
                                      more += "&f" + std::to_string(i) + "=1";
                                    return more;
                                  }()},
      {"invalid UTF-8", with("respMsg", "\xff\xfe\xc3\x28")},
      {"a NUL byte", with("orderId", order_no + std::string(1, '\0'))},
      {"a truncated signPubKeyCert", with("signPubKeyCert", certificate.substr(0, 600))},
      {"a signPubKeyCert that is not PEM", with("signPubKeyCert", "MIIB" + std::string(900, 'Q'))},
      {"no signature", with("signature", "")},
      {"a signature that is not base64", with("signature", "!!not*base64!!")},
      {"a wrong signature", base},
      {"empty", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const double before = metric(kRefused);
    const HttpResult r =
        host().request("POST", "/notify/unionpay", c.body,
                       {"Content-Type: application/x-www-form-urlencoded; charset=UTF-8"});
    EXPECT_GE(r.status, 400) << r.body;
    EXPECT_LT(r.status, 600) << r.body;
    EXPECT_EQ(metric(kRefused), before + 1);
    EXPECT_EQ(host().get("/healthz").status, 200);
  }
  const Json after = charge(created["id"]);
  EXPECT_EQ(after["paid"], false) << after.dump();
  EXPECT_TRUE(after["transaction_no"].is_null()) << after.dump();
  EXPECT_EQ(settlements(created), 0);

  // Over the host's body limit: refused before any plugin reads it.
  // (Asked by declared length: a client still sending 2 MiB may see only the reset.)
  payhost::testing::RawConnection huge(host().port());
  ASSERT_TRUE(
      huge.send_all("POST /notify/unionpay HTTP/1.1\r\nHost: t\r\nContent-Type: "
                    "application/x-www-form-urlencoded\r\n"
                    "Content-Length: 2097152\r\n\r\n"));
  const auto refused = huge.read_response(std::chrono::seconds(5));
  ASSERT_TRUE(refused) << "no answer to a 2 MiB declared body";
  EXPECT_EQ(refused->status, 413);
  EXPECT_EQ(host().get("/readyz").status, 200);

  // And the charge still pays normally.
  const HttpResult paid = pay(created["id"]);
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.json()["notify_status"], 200) << paid.body;
  EXPECT_EQ(settlements(created), 1);
}

// Every worker keeps its connection to the gateway: forty appTransReq calls open at most one
// connection per worker (4 in this config), not one per call.
TEST_F(UnionpayFlow, GatewayCallsReuseConnections) {
  const std::string series = "payhost_outbound_connections_total";
  const double before = metric(series);
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(create("upacp", 10 + i).contains("id"));
  }
  const double opened = metric(series) - before;
  EXPECT_LE(opened, 4) << "connections opened for 40 gateway calls";
}

// A declined card and a closed trade: queryTrans reports them (origRespCode not 00), the
// charge fails without any settlement, and a closed trade cannot be paid any more.
TEST_F(UnionpayFlow, TheCashierFailsAndClosesTrades) {
  const Json failing = create("upacp", 210);
  ASSERT_TRUE(failing.contains("id"));
  const HttpResult failed = act(host(), failing["id"], "fail");
  ASSERT_EQ(failed.status, 200) << failed.body;
  EXPECT_EQ(failed.json()["trade_status"].get<std::string>().rfind("failed", 0), 0u) << failed.body;
  const HttpResult asked =
      host().get("/test/charges/" + failing["id"].get<std::string>() + "?mode=retrieve");
  ASSERT_EQ(asked.status, 200) << asked.body;
  EXPECT_EQ(asked.json()["paid"], false);
  EXPECT_FALSE(asked.json()["failure_code"].is_null()) << asked.body;
  EXPECT_EQ(settlements(failing), 0);

  const Json closing = create("upacp_pc", 220);
  ASSERT_TRUE(closing.contains("id"));
  open(closing);
  if (HasFatalFailure()) return;
  const HttpResult closed = act(host(), closing["id"], "close");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["trade_status"].get<std::string>().rfind("closed", 0), 0u) << closed.body;
  EXPECT_EQ(pay(closing["id"]).status, 409) << "a closed trade cannot be paid";
  EXPECT_EQ(charge(closing["id"])["paid"], false);
  EXPECT_EQ(settlements(closing), 0);
}

// A notification lost for good (the host answered 500 to the simulator's only attempt) is
// settled by the janitor: it asks queryTrans about the pending charge, learns origRespCode 00
// and settles it, once.
TEST_F(UnionpayFlow, ALostNotificationIsSettledByTheJanitorsQuery) {
  std::unique_ptr<Payhostd> janitor_host;
  try {
    janitor_host = std::make_unique<Payhostd>(kJanitorConfig, kPostgres);
  } catch (const std::exception& e) {
    FAIL() << "payhostd with the janitor did not start: " << e.what();
  }
  Payhostd& h = *janitor_host;
  for (const std::string channel : {"upacp", "upacp_wap"}) {
    SCOPED_TRACE(channel);
    const long long amount = channel == "upacp" ? 731 : 732;
    ASSERT_EQ(h.post_json("/test/fail-hook", Json{{"amount", amount}}.dump()).status, 200);
    const Json created = create(h, channel, amount);
    ASSERT_TRUE(created.contains("id"));
    const std::string id = created["id"];
    open(created);
    if (HasFatalFailure()) return;
    const HttpResult paid = pay(h, id);
    ASSERT_EQ(paid.status, 200) << paid.body;
    EXPECT_EQ(paid.json()["notify_status"], 500) << paid.body;
    ASSERT_EQ(h.post_json("/test/fail-hook", Json{{"amount", 0}}.dump()).status, 200);

    bool settled = false;
    for (int i = 0; i < 300 && !settled; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      settled = charge(h, id).value("paid", false);
    }
    ASSERT_TRUE(settled) << "the janitor did not settle the charge:\n" << h.output();
    EXPECT_EQ(charge(h, id)["transaction_no"], paid.json()["trade_no"]);
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // another janitor pass
    EXPECT_EQ(settlements(h, created), 1);
    // It was the janitor's query, not a notification, that settled it.
    const std::string log = h.output();
    std::istringstream lines(log);
    bool by_janitor = false;
    for (std::string line; std::getline(lines, line);) {
      if (line.find("charge " + id + " ") != std::string::npos &&
          line.find("via janitor query") != std::string::npos) {
        by_janitor = true;
      }
    }
    EXPECT_TRUE(by_janitor) << log;
  }
}

}  // namespace
