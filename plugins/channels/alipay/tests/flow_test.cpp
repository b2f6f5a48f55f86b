// The Alipay channel plugin against the simulated Alipay (sandbox_alipay), through the real
// payhostd: every channel is created, "paid" in the sandbox cashier and settled by the
// signed notification; tampered notifications are refused and counted; a duplicate pay
// settles once. Built twice: SQLite, and PostgreSQL (PAYHOST_FLOW_POSTGRES, label postgres).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <curl/curl.h>

#include "payhost/sdk/crypto.hpp"
#include "support/flow_suite.hpp"

namespace {

using Json = nlohmann::ordered_json;
using payhost::testing::HttpResult;
using payhost::testing::Payhostd;

#ifdef PAYHOST_FLOW_POSTGRES
constexpr bool kPostgres = true;
#else
constexpr bool kPostgres = false;
#endif

// `options: {}` is spelled out on every plugin (other tests cover entries without it).
const char* kConfig = R"(livemode: false
app_id: app_5anXP4ezfXvL8m5e
data_dir: "@DATA_DIR@"
plugin_dir: "@PLUGIN_DIR@"
database:
  url: "@DATABASE_URL@"
server:
  listen: 127.0.0.1:0
jobs: {janitor: false}
plugins:
  sandbox:
    options: {}
  sandbox_alipay:
    options: {}
  alipay:
    channels: [alipay, alipay_wap, alipay_pc_direct, alipay_qr]
    options:
      app_id: "9021000000000001"
  testproduct:
    path: "@TEST_PLUGIN_DIR@/testproduct.so"
    options: {}
)";

std::string url_encode(const std::string& text) {
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  std::string out = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return out;
}

struct AlipaySuite {
  static const char* config() { return kConfig; }
  static bool postgres() { return kPostgres; }
};

class AlipayFlow : public payhost::testing::FlowSuite<AlipaySuite> {
 protected:
  static Json extras_for(const std::string& channel) {
    if (channel == "alipay_wap" || channel == "alipay_pc_direct") {
      return Json{{"success_url", "http://shop.example/done?x=1"}};
    }
    return Json::object();
  }

  static Json create(const std::string& channel, long long amount) {
    return FlowSuite::create(channel, amount, "Sandbox tea", extras_for(channel));
  }
};

// What the credential of each channel must look like before anyone pays.
void check_credential(const std::string& channel, const Json& credential) {
  ASSERT_TRUE(credential.contains(channel)) << credential.dump();
  const Json& c = credential[channel];
  if (channel == "alipay") {
    ASSERT_TRUE(c.contains("orderInfo")) << c.dump();
    EXPECT_NE(c["orderInfo"].get<std::string>().find("alipay.trade.app.pay"), std::string::npos);
  } else if (channel == "alipay_qr") {
    ASSERT_TRUE(c.is_string()) << c.dump();
    EXPECT_EQ(c.get<std::string>().rfind("https://qr.alipay.com/bax", 0), 0u) << c.dump();
  } else {
    ASSERT_TRUE(c.is_object()) << c.dump();
    const std::string url = c.value("channel_url", "");
    EXPECT_NE(url.find("/sandbox/alipay/gateway.do"), std::string::npos) << c.dump();
    EXPECT_EQ(c.value("method", ""),
              channel == "alipay_wap" ? "alipay.trade.wap.pay" : "alipay.trade.page.pay");
  }
}

TEST_F(AlipayFlow, EveryChannelIsPaidThroughTheSandboxCashier) {
  long long amount = 101;
  for (const std::string channel : {"alipay", "alipay_wap", "alipay_pc_direct", "alipay_qr"}) {
    SCOPED_TRACE(channel);
    const Json created = create(channel, ++amount);
    ASSERT_TRUE(created.contains("id"));
    const std::string id = created["id"];
    EXPECT_EQ(created["paid"], false);
    check_credential(channel, created["credential"]);
    if (HasFatalFailure()) return;

    // For qr the cashier opens only when precreate really happened at create time and
    // returned this QR; for the others it verifies the signed credential.
    const HttpResult page = host().get("/sandbox/cashier/" + id);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("/sandbox/cashier/" + id + "/pay"), std::string::npos);

    const HttpResult paid = pay(id);
    ASSERT_EQ(paid.status, 200) << paid.body;
    const Json result = paid.json();
    EXPECT_EQ(result["paid"], true);
    EXPECT_EQ(result["notified"], true) << result.dump();
    EXPECT_EQ(result["notify_answer"], "success");

    const Json after = charge(id);
    EXPECT_EQ(after["paid"], true) << after.dump();
    EXPECT_EQ(after["transaction_no"], result["trade_no"]);
    EXPECT_FALSE(after["time_paid"].is_null());
    EXPECT_EQ(settlements(created), 1);
  }
}

TEST_F(AlipayFlow, WapAndPageCredentialsRedirectFromTheGatewayToTheCashier) {
  for (const std::string channel : {"alipay_wap", "alipay_pc_direct"}) {
    SCOPED_TRACE(channel);
    const Json created = create(channel, 230);
    ASSERT_TRUE(created.contains("id"));
    const std::string id = created["id"];
    const Json& c = created["credential"][channel];
    ASSERT_TRUE(c.is_object()) << created.dump();
    // What pingpp-js does: channel_url?k=v&... with every other field.
    std::string query;
    for (const auto& [k, v] : c.items()) {
      if (k == "channel_url") continue;
      if (!query.empty()) query += '&';
      query += url_encode(k) + "=" + url_encode(v.is_string() ? v.get<std::string>() : v.dump());
    }
    std::string gateway = c.value("channel_url", "");
    if (gateway.rfind("/", 0) == 0) gateway = host().url(gateway);
    const HttpResult redirect = payhost::testing::http_request(
        "GET", gateway + (gateway.find('?') == std::string::npos ? "?" : "&") + query);
    ASSERT_EQ(redirect.status, 302) << redirect.body;
    EXPECT_NE(redirect.body.find("/sandbox/cashier/" + id), std::string::npos) << redirect.body;
    const auto location = redirect.headers.find("location");
    EXPECT_NE(location, redirect.headers.end()) << "payhostd dropped the Location header";
    if (location != redirect.headers.end()) {
      EXPECT_NE(location->second.find("/sandbox/cashier/" + id), std::string::npos)
          << location->second;
    }

    const HttpResult paid = pay(id);
    ASSERT_EQ(paid.status, 200) << paid.body;
    EXPECT_EQ(charge(id)["transaction_no"], paid.json()["trade_no"]);
  }
}

TEST_F(AlipayFlow, TamperedNotificationsAreRefusedAndCounted) {
  const std::string series = R"(payhost_notifications_total{plugin="alipay",result="refused"})";
  for (const std::string channel : {"alipay_qr", "alipay"}) {
    SCOPED_TRACE(channel);
    const Json created = create(channel, 333);
    ASSERT_TRUE(created.contains("id"));
    const std::string id = created["id"];
    for (const std::string tamper : {"amount", "app_id", "signature", "unknown_order"}) {
      SCOPED_TRACE(tamper);
      const double before = metric(series);
      const HttpResult r = host().post_json("/sandbox/alipay/notify-tampered",
                                            Json{{"charge_id", id}, {"tamper", tamper}}.dump());
      ASSERT_EQ(r.status, 200) << r.body;
      const Json answer = r.json();
      EXPECT_NE(answer.value("answer", ""), "success") << answer.dump();
      EXPECT_NE(answer.value("status", 0), 0) << "the host answered: " << answer.dump();
      EXPECT_EQ(metric(series), before + 1);
      const Json now = charge(id);
      EXPECT_EQ(now["paid"], false) << now.dump();
      EXPECT_TRUE(now["transaction_no"].is_null()) << now.dump();
    }
    EXPECT_EQ(settlements(created), 0);
    // The real payment still goes through afterwards.
    const HttpResult paid = pay(id);
    ASSERT_EQ(paid.status, 200) << paid.body;
    EXPECT_EQ(charge(id)["paid"], true);
    EXPECT_EQ(settlements(created), 1);
  }
}

TEST_F(AlipayFlow, DuplicatePayResendsTheNotificationButSettlesOnce) {
  const Json created = create("alipay_qr", 450);
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  const HttpResult first = pay(id);
  ASSERT_EQ(first.status, 200) << first.body;
  const HttpResult second = pay(id);
  ASSERT_EQ(second.status, 200) << second.body;
  EXPECT_EQ(second.json()["repeated"], true);
  EXPECT_EQ(second.json()["trade_no"], first.json()["trade_no"]);
  // A repeated notification is still answered "success" (it was recorded).
  EXPECT_EQ(second.json()["notify_answer"], "success");
  const Json after = charge(id);
  EXPECT_EQ(after["paid"], true);
  EXPECT_EQ(after["transaction_no"], first.json()["trade_no"]);
  EXPECT_EQ(after["amount"], 450);
  EXPECT_EQ(settlements(created), 1);
  // Asking the provider again agrees with the notification.
  const HttpResult retrieved = host().get("/test/charges/" + id + "?mode=retrieve");
  ASSERT_EQ(retrieved.status, 200) << retrieved.body;
  EXPECT_EQ(retrieved.json()["paid"], true);
  EXPECT_EQ(settlements(created), 1);
}

TEST_F(AlipayFlow, ConcurrentPaysPayOnce) {
  const Json created = create("alipay", 670);
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  std::vector<HttpResult> results(6);
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
    EXPECT_EQ(j["trade_no"], trade_no) << "one trade, one trade_no";
  }
  EXPECT_EQ(first_payments, 1);
  const Json after = charge(id);
  EXPECT_EQ(after["paid"], true);
  EXPECT_EQ(after["transaction_no"], trade_no);
  EXPECT_EQ(settlements(created), 1);
}

TEST_F(AlipayFlow, PayHonoursTheAcceptHeader) {
  const Json created = create("alipay_qr", 560);
  ASSERT_TRUE(created.contains("id"));
  const HttpResult paid =
      host().request("POST", "/sandbox/cashier/" + created["id"].get<std::string>() + "/pay", "",
                     {"Accept: application/json"});
  ASSERT_EQ(paid.status, 200) << paid.body;
  EXPECT_EQ(paid.headers.count("content-type") ? paid.headers.at("content-type") : "",
            "application/json; charset=utf-8")
      << "the Accept header did not reach the sandbox: " << paid.body.substr(0, 200);
}

// Close and fail go through the same cashier and the simulated Alipay: a close ends the
// trade (the provider's query then says so), a fail is refused because Alipay shows
// merchants no failed payment, and a closed trade offers nothing and cannot be paid.
TEST_F(AlipayFlow, CashierClosesTradesAndRefusesFail) {
  const Json created = create("alipay_qr", 780);
  ASSERT_TRUE(created.contains("id"));
  const std::string id = created["id"];
  const std::string cashier = "/sandbox/cashier/" + id;

  const HttpResult page = host().get(cashier);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find(cashier + "/close"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find(cashier + "/fail"), std::string::npos) << page.body;

  const HttpResult failed = host().request("POST", cashier + "/fail?format=json", "", {});
  EXPECT_EQ(failed.status, 409) << failed.body;
  EXPECT_EQ(failed.json()["action"], "fail");
  EXPECT_EQ(failed.json()["error"], "not_offered");

  const HttpResult closed = host().request("POST", cashier + "/close?format=json", "", {});
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(closed.json()["action"], "close");
  EXPECT_EQ(closed.json()["trade_status"], "TRADE_CLOSED");
  EXPECT_EQ(closed.json()["repeated"], false);

  const HttpResult retrieved = host().get("/test/charges/" + id + "?mode=retrieve");
  ASSERT_EQ(retrieved.status, 200) << retrieved.body;
  EXPECT_EQ(retrieved.json()["paid"], false);
  EXPECT_EQ(charge(id)["paid"], false);
  const HttpResult after = host().get(cashier);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_NE(after.body.find("TRADE_CLOSED"), std::string::npos) << after.body;
  EXPECT_EQ(after.body.find("<form"), std::string::npos) << after.body;

  const HttpResult paid = pay(id);
  EXPECT_EQ(paid.status, 409) << paid.body;
  EXPECT_EQ(paid.json()["paid"], false);
  EXPECT_EQ(settlements(created), 0);
}

TEST_F(AlipayFlow, CashierRefusesUnknownCharges) {
  EXPECT_EQ(host().get("/sandbox/cashier/ch_doesnotexist000000000000").status, 404);
  EXPECT_EQ(pay("ch_doesnotexist000000000000").status, 404);
}

// ---------------------------------------------------------------------------------------
// Live mode refuses every key the sandbox generated, however the deployment got a copy:
// here a live host shares the test host's database but not its data directory.

std::string public_pem_of(const std::string& private_pem) {
  auto key = payhost::sdk::crypto::PrivateKey::parse(private_pem);
  if (!key) throw std::runtime_error("not a private key");
  return key->public_key_pem();
}

// A key pair as a provider's console issues one (public exponent 65537).
std::string fresh_private_pem() {
  auto pair = payhost::sdk::crypto::generate_rsa_keypair();
  if (!pair) throw std::runtime_error(pair.error().message);
  return pair->private_key_pem;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

std::string live_config(const std::string& database_url, const std::string& private_key_file,
                        const std::string& public_key_file) {
  return "livemode: true\n"
         "app_id: app_5anXP4ezfXvL8m5e\n"
         "data_dir: \"@DATA_DIR@\"\n"
         "plugin_dir: \"@PLUGIN_DIR@\"\n"
         "database:\n  url: \"" +
         database_url +
         "\"\n"
         "server:\n  listen: 127.0.0.1:0\n"
         "auth:\n  jwt_secret: live-secret-0123456789-0123456789-0123456789\n"
         "jobs: {janitor: false}\n"
         "plugins:\n"
         "  alipay:\n    channels: [alipay_qr]\n"
         "    options:\n"
         "      app_id: \"2021000000000001\"\n"
         "      app_private_key_file: \"" +
         private_key_file +
         "\"\n"
         "      alipay_public_key_file: \"" +
         public_key_file + "\"\n";
}

// The start-up error of a host that must not start ("" if it started).
std::string start_error(const std::string& yaml) {
  try {
    Payhostd live(yaml);
  } catch (const std::exception& e) {
    return e.what();
  }
  return {};
}

TEST(LiveMode, RefusesKeysTheSandboxGenerated) {
  if (kPostgres && payhost::testing::postgres_url().empty()) {
    FAIL() << "PAYHOST_TEST_PG_URL is not set; CI always sets it, so this is an error";
  }
  Payhostd test_host(kConfig, kPostgres);  // generates and records the sandbox key pairs
  const std::string dir = test_host.data_dir();
  const std::string sandbox_merchant = dir + "/sandbox-keys/alipay-merchant.key.pem";
  const std::string sandbox_platform =
      write_file(dir + "/platform-public.pem",
                 public_pem_of(read_file(dir + "/sandbox-keys/alipay-platform.key.pem")));
  const std::string real_private = write_file(dir + "/app-private.pem", fresh_private_pem());
  const std::string real_public =
      write_file(dir + "/alipay-public.pem", public_pem_of(fresh_private_pem()));
  const std::string db = test_host.database_url();

  const std::string platform = start_error(live_config(db, real_private, sandbox_platform));
  EXPECT_NE(platform.find("plugins.alipay.options.alipay_public_key_file (" + sandbox_platform +
                          "): live mode refuses this key: the sandbox generated it"),
            std::string::npos)
      << platform;
  EXPECT_NE(platform.find("alipay-platform"), std::string::npos) << platform;

  const std::string merchant = start_error(live_config(db, sandbox_merchant, real_public));
  EXPECT_NE(merchant.find("plugins.alipay.options.app_private_key_file (" + sandbox_merchant +
                          "): live mode refuses this key"),
            std::string::npos)
      << merchant;

  EXPECT_EQ(start_error(live_config(db, real_private, real_public)), "");
}

// A deployment that shares neither the database nor the data_dir of the test host the key
// came from: the key's public exponent still marks it as the sandbox's.
TEST(LiveMode, RefusesSandboxKeysCopiedIntoAnotherDeployment) {
  Payhostd test_host(kConfig);
  const std::string dir = test_host.data_dir();
  const std::string sandbox_platform =
      write_file(dir + "/copied-platform-public.pem",
                 public_pem_of(read_file(dir + "/sandbox-keys/alipay-platform.key.pem")));
  const std::string sandbox_merchant = write_file(
      dir + "/copied-merchant.pem", read_file(dir + "/sandbox-keys/alipay-merchant.key.pem"));
  const std::string real_private = write_file(dir + "/own-private.pem", fresh_private_pem());
  const std::string real_public =
      write_file(dir + "/own-public.pem", public_pem_of(fresh_private_pem()));

  const std::string platform =
      start_error(live_config("@DATABASE_URL@", real_private, sandbox_platform));
  EXPECT_NE(platform.find("alipay_public_key_file (" + sandbox_platform +
                          "): live mode refuses this key: the sandbox generated it"),
            std::string::npos)
      << platform;
  EXPECT_NE(platform.find("public exponent, 65539"), std::string::npos) << platform;
  EXPECT_NE(start_error(live_config("@DATABASE_URL@", sandbox_merchant, real_public))
                .find("app_private_key_file (" + sandbox_merchant + "): live mode refuses"),
            std::string::npos);
  EXPECT_EQ(start_error(live_config("@DATABASE_URL@", real_private, real_public)), "");
}

}  // namespace
