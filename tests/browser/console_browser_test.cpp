// The operator console and the sandbox cashier in a real browser: the real payhostd with the
// Alipay, WeChat Pay and UnionPay channels, their simulators, the cashier, the wallet and the
// campus shop; operators added with the CLI; charges made through /v1 (some paid in the
// cashier), a wallet with two withdrawals, a campus order. Then Debian's chromium, driven by
// Playwright (tests/browser/*.spec.mjs under node), does what an operator and a buyer do, and
// the database is checked for the effects. Missing chromium, node or node_modules fail.
// Once per database: console_browser_test (SQLite, and the screenshots),
// console_browser_pg_test (PostgreSQL; fails without PAYHOST_TEST_PG_URL).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "support/harness.hpp"
#include "support/host_database.hpp"

namespace payhost::browser {
namespace {

using Json = nlohmann::ordered_json;
using testing::HttpResult;
using testing::Payhostd;

#ifdef BROWSER_TEST_POSTGRES
constexpr bool kPostgres = true;
#else
constexpr bool kPostgres = false;
#endif

constexpr const char* kApp = "app_5anXP4ezfXvL8m5e";
constexpr const char* kFinance = "finance1";
constexpr const char* kViewer = "viewer1";
constexpr const char* kAdmin = "admin1";
constexpr const char* kPassword = "correct-horse-battery";  // 10..256 bytes, no shell quoting
constexpr const char* kWalletUser = "2001";

std::string catalogue() {
  return Json::parse(R"({
    "project": {"name": "智慧校园一卡通", "description": "一卡通服务", "qrCode": "https://s/qr.png",
                "protocolUrl": "https://s/protocol.html", "wxAccount": "wx-school",
                "alipayAccount": "pay@school.cn", "unionPayAccount": "6222", "selectType": 0},
    "packages": {
      "card": [{"id": "10000001", "name": "A套餐-不含定位", "price": 15800, "months": 12}],
      "sms": [{"id": "20000001", "name": "短信年包", "price": 3000, "months": 12}]
    }
  })")
      .dump();  // JSON is YAML flow style
}

std::string config() {
  return "livemode: false\n"
         "app_id: " +
         std::string(kApp) +
         "\n"
         "data_dir: \"@DATA_DIR@\"\n"
         "plugin_dir: \"@PLUGIN_DIR@\"\n"
         "database:\n  url: \"@DATABASE_URL@\"\n"
         "server:\n  listen: 127.0.0.1:0\n  workers: 8\n"
         "auth:\n  jwt_secret: test-secret-please-change-0123456789\n"
         "jobs: {janitor: false}\n"
         "plugins:\n"
         "  sandbox: {}\n"
         "  sandbox_alipay: {}\n"
         "  sandbox_wechat: {}\n"
         "  sandbox_unionpay: {}\n"
         "  alipay:\n    channels: [alipay, alipay_wap, alipay_pc_direct, alipay_qr]\n"
         "  wechat:\n    channels: [wx, wx_wap, wx_pub, wx_pub_qr, wx_lite]\n"
         "  unionpay:\n    channels: [applepay_upacp, upacp, upacp_wap, upacp_pc]\n"
         "  wallet:\n    options: {cash: [alipay], cash_rate_limit: 0}\n"
         "  campus:\n    options: {auth: none, web_path: /campus, catalogue: " +
         catalogue() + "}\n";
}

const char* const kRoster =
    "userID,empName,photo,cardNo,imei,sim,gradeName,className,mobile\n"
    "10129580,陈雅诺,,335731330,860000001,1440001,高一,1班,13800000001\n";

// The build's npm install of tests/browser (CMake target browser_node_modules).
std::string node_dir() {
  return PAYHOST_BROWSER_NODE_DIR;
}

std::string chromium() {
  const char* set = std::getenv("PAYHOST_CHROMIUM");
  return set != nullptr && *set != '\0' ? set : "/usr/bin/chromium";
}

// What must be there before anything starts; "" when all is.
std::string missing_tools() {
  namespace fs = std::filesystem;
  std::string missing;
  if (!fs::exists(chromium()))
    missing += "no chromium at " + chromium() + " (apt-get install chromium); ";
  if (!fs::exists(PAYHOST_NODE)) missing += std::string("no node at '") + PAYHOST_NODE + "'; ";
  if (!fs::exists(node_dir() + "/node_modules/playwright-core/package.json")) {
    missing += "playwright-core is not installed in " + node_dir() +
               " (build the browser_node_modules target: npm ci); ";
  }
  return missing;
}

std::string unique_order(const std::string& tag) {
  static int counter = 0;
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return tag + std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) +
         std::to_string(++counter);
}

struct Charge {
  std::string id;
  std::string channel;
  std::string order_no;
  std::string return_url;
};

class World {
 public:
  World() : host_(start()) {
    for (const auto& [name, role] : {std::pair{kFinance, "finance"}, std::pair{kViewer, "viewer"},
                                     std::pair{kAdmin, "admin"}}) {
      add_operator(name, role);
    }
    key_ = create_key();
  }

  static std::unique_ptr<Payhostd> start() {
    if (kPostgres && testing::postgres_url().empty()) {
      throw std::runtime_error("PAYHOST_TEST_PG_URL is not set: the PostgreSQL suite must run");
    }
    return std::make_unique<Payhostd>(config(), kPostgres);
  }

  Payhostd& host() { return *host_; }
  const std::string& key() const { return key_; }

  void add_operator(const std::string& name, const std::string& role) {
    std::string out;
    const int code =
        testing::run_process({"/bin/sh", "-c",
                              "printf '%s\\n' '" + std::string(kPassword) + "' | '" +
                                  testing::payhostd_path() + "' operator add " + name + " --role " +
                                  role + " --config '" + host_->config_path() + "'"},
                             &out);
    if (code != 0) throw std::runtime_error("operator add " + name + ": " + out);
  }

  std::string create_key() {
    std::string out;
    if (host_->cli({"keys", "create"}, &out) != 0) throw std::runtime_error("keys create: " + out);
    std::smatch m;
    static const std::regex key("sk_test_[0-9A-Za-z]{24}");
    if (!std::regex_search(out, m, key)) throw std::runtime_error("no key in: " + out);
    return m.str();
  }

  Charge create(const std::string& channel, long long amount, const Json& extra = Json::object(),
                const std::string& return_url = "") {
    Charge c{"", channel, unique_order("ord"), return_url};
    const Json body = {
        {"app", {{"id", kApp}}},  {"channel", channel},       {"amount", amount},
        {"order_no", c.order_no}, {"currency", "cny"},        {"subject", "测试商品"},
        {"body", "控制台测试"},   {"client_ip", "127.0.0.1"}, {"extra", extra}};
    const HttpResult r = host_->post_json("/v1/charges", body.dump(), key_);
    if (r.status != 200) {
      throw std::runtime_error("POST /v1/charges " + channel + ": " + std::to_string(r.status) +
                               " " + r.body);
    }
    c.id = r.json()["id"].get<std::string>();
    return c;
  }

  void pay(const std::string& charge_id) {
    const HttpResult r = host_->request("POST", "/sandbox/cashier/" + charge_id + "/pay", "",
                                        {"Accept: application/json"});
    if (r.status != 200) throw std::runtime_error("cashier pay " + charge_id + ": " + r.body);
    wait_paid(charge_id);
  }

  void wait_paid(const std::string& charge_id) {
    for (int i = 0; i < 100; ++i) {
      const HttpResult r = host_->get("/v1/charges/" + charge_id, key_);
      if (r.status == 200 && r.json().value("paid", false)) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    throw std::runtime_error("charge " + charge_id + " not paid");
  }

  std::string text(const std::string& query) { return tables().text(query); }
  long long number(const std::string& query) { return tables().number(query); }

  // Runs `node <script>` in tests/browser with `env` added; its output in `out`.
  int node(const std::string& script, const std::vector<std::pair<std::string, std::string>>& env,
           std::string* out) {
    for (const auto& [name, value] : env)
      ::setenv(name.c_str(), value.c_str(), 1);
    ::setenv("PAYHOST_URL", host_->url("").c_str(), 1);
    ::setenv("PAYHOST_BROWSER_NODE_DIR", node_dir().c_str(), 1);
    ::setenv("PAYHOST_CHROMIUM", chromium().c_str(), 1);
    if (kPostgres) ::unsetenv("PAYHOST_SCREENSHOTS");  // the SQLite run's to take
    return testing::run_process({PAYHOST_NODE, std::string(PAYHOST_BROWSER_SCRIPTS) + "/" + script},
                                out);
  }

 private:
  // Opened on first use: the host's tables exist once it has started.
  testing::HostTables& tables() {
    if (!tables_) tables_ = std::make_unique<testing::HostTables>(*host_);
    return *tables_;
  }

  std::unique_ptr<Payhostd> host_;
  std::unique_ptr<testing::HostTables> tables_;
  std::string key_;
};

class ConsoleBrowserTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    setup_error_ = missing_tools();
    if (!setup_error_.empty()) return;
    try {
      world_ = new World();
      make_data();
    } catch (const std::exception& e) {
      setup_error_ = std::string("setting up: ") + e.what() +
                     (world_ != nullptr ? "\n" + world_->host().output() : "");
    }
  }

  static void TearDownTestSuite() {
    delete world_;
    world_ = nullptr;
  }

  static void make_data() {
    World& w = *world_;
    // The charge the console refunds: paid in the cashier.
    refund_ = w.create("alipay_qr", 1000);
    w.pay(refund_.id);
    // Some volume for the overview: paid and unpaid charges of several channels.
    for (const auto& [channel, extra] : {std::pair<std::string, Json>{"alipay", Json::object()},
                                         {"wx", Json::object()},
                                         {"wx_pub_qr", Json{{"product_id", "p1"}}},
                                         {"upacp", Json::object()}}) {
      w.pay(w.create(channel, 2300, extra).id);
      w.create(channel, 1800, extra);
    }
    // A wallet with 50.00 and two withdrawals of 10.00 and 12.00.
    const std::string token = w.host().token(kWalletUser);
    const HttpResult recharge = w.host().post_json(
        "/api/v2/wallet/recharge", Json{{"type", "alipay_qr"}, {"amount", 5000}}.dump(), token);
    if (recharge.status != 201) throw std::runtime_error("recharge: " + recharge.body);
    w.pay(recharge.json()["charge"]["id"].get<std::string>());
    for (int value : {1000, 1200}) {
      const HttpResult cash = w.host().post_json(
          "/api/v2/wallet/cashes",
          Json{{"value", value}, {"type", "alipay"}, {"account", "buyer@alipay.example"}}.dump(),
          token);
      if (cash.status != 201) throw std::runtime_error("withdrawal: " + cash.body);
    }
    const Json cashes = w.host().get("/api/v2/wallet/cashes", token).json();
    if (cashes.size() != 2) throw std::runtime_error("withdrawals: " + cashes.dump());
    cash_pass_ = cashes[1]["id"].dump();    // the 10.00, older
    cash_refuse_ = cashes[0]["id"].dump();  // the 12.00
    // A campus order, paid.
    const std::string roster = w.host().data_dir() + "/roster.csv";
    std::ofstream(roster) << kRoster;
    std::string out;
    if (w.host().cli({"campus", "import", roster}, &out) != 0) throw std::runtime_error(out);
    const Json order = {{"channel", "alipay_qr"}, {"subject", "智慧校园一卡通"},
                        {"body", "A套餐"},        {"amount", 15800},
                        {"userID", "10129580"},   {"empName", "陈雅诺"},
                        {"itemIDs", "10000001"},  {"type", 0}};
    const HttpResult paymoney = w.host().post_json("/campus/api/Pay/PayMoney", order.dump());
    const Json answer = Json::parse(paymoney.body, nullptr, false);
    if (answer.is_discarded() || answer.value("error", 1) != 0) {
      throw std::runtime_error("PayMoney: " + paymoney.body);
    }
    w.pay(answer["data"]["chargeData"]["charge"]["id"].get<std::string>());
  }

  static World* world_;
  static std::string setup_error_;
  static Charge refund_;
  static std::string cash_pass_;
  static std::string cash_refuse_;
};

World* ConsoleBrowserTest::world_ = nullptr;
std::string ConsoleBrowserTest::setup_error_;
Charge ConsoleBrowserTest::refund_;
std::string ConsoleBrowserTest::cash_pass_;
std::string ConsoleBrowserTest::cash_refuse_;

TEST_F(ConsoleBrowserTest, OperatorSignsInRefundsDecidesWithdrawalsAndSignsOut) {
  ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  World& w = *world_;
  std::string out;
  const int code = w.node("console.spec.mjs",
                          {{"PAYHOST_FINANCE_NAME", kFinance},
                           {"PAYHOST_FINANCE_PASSWORD", kPassword},
                           {"PAYHOST_VIEWER_NAME", kViewer},
                           {"PAYHOST_VIEWER_PASSWORD", kPassword},
                           {"PAYHOST_REFUND_ORDER_NO", refund_.order_no},
                           {"PAYHOST_REFUND_CHARGE_ID", refund_.id},
                           {"PAYHOST_CASH_PASS", cash_pass_},
                           {"PAYHOST_CASH_REFUSE", cash_refuse_},
                           {"PAYHOST_CAMPUS_PATH", "/campus"}},
                          &out);
  EXPECT_EQ(code, 0) << out << "\n--- payhostd ---\n" << w.host().output();
  std::cout << out;

  // The refund: 2.50 of the 10.00, by the operator, and nothing else.
  EXPECT_EQ(w.number("SELECT COUNT(*) FROM refunds WHERE charge_id = '" + refund_.id + "'"), 1);
  EXPECT_EQ(w.text("SELECT requested_by FROM refunds WHERE charge_id = '" + refund_.id + "'"),
            std::string("console:") + kFinance);
  EXPECT_EQ(w.number("SELECT amount FROM refunds WHERE charge_id = '" + refund_.id + "'"), 250);
  EXPECT_EQ(w.text("SELECT description FROM refunds WHERE charge_id = '" + refund_.id + "'"),
            "顾客申请部分退款");
  // The withdrawals: one passed, one refused with its remark; the refused money is back
  // (50.00 - 10.00 paid out).
  EXPECT_EQ(w.number("SELECT status FROM wallet_cashes WHERE id = " + cash_pass_), 1);
  EXPECT_EQ(w.text("SELECT remark FROM wallet_cashes WHERE id = " + cash_pass_), "已打款");
  EXPECT_EQ(w.number("SELECT status FROM wallet_cashes WHERE id = " + cash_refuse_), 2);
  EXPECT_EQ(w.text("SELECT remark FROM wallet_cashes WHERE id = " + cash_refuse_), "账户有误");
  EXPECT_EQ(
      w.number(std::string("SELECT balance FROM wallet_wallets WHERE user_id = ") + kWalletUser),
      4000);
  // The audit log: sign-ins (one failed), the decisions, the refund, the sign-out.
  auto audit = [&](const std::string& where) {
    return w.number("SELECT COUNT(*) FROM console_audit WHERE " + where);
  };
  EXPECT_GE(audit("action = 'signin' AND operator = 'finance1'"), 1);
  EXPECT_GE(audit("action = 'signin' AND operator = 'viewer1'"), 1);
  EXPECT_GE(audit("action = 'signin_failed'"), 1);
  EXPECT_EQ(audit("action = 'signout' AND operator = 'finance1'"), 1);
  EXPECT_EQ(audit("action = 'PATCH /api/v2/admin/wallet/cashes/" + cash_pass_ +
                  "/passed' AND status = 201 AND operator = 'finance1'"),
            1);
  EXPECT_EQ(audit("action = 'PATCH /api/v2/admin/wallet/cashes/" + cash_refuse_ +
                  "/refuse' AND status = 201"),
            1);
  EXPECT_EQ(audit("action = 'POST /console/api/charges/" + refund_.id +
                  "/refunds' AND status = 201 AND role = 'finance'"),
            1);
}

TEST_F(ConsoleBrowserTest, EveryTestChannelIsPaidInTheCashierAndTheOtherEndingsWork) {
  ASSERT_TRUE(setup_error_.empty()) << setup_error_;
  World& w = *world_;
  const std::string merchant = "https://merchant.example/";
  const Json open_id = {{"open_id", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}};
  Json pay = Json::array();
  auto add = [&](const Charge& c) {
    Json item = {{"id", c.id}, {"channel", c.channel}};
    if (!c.return_url.empty()) item["return_url"] = c.return_url;
    pay.push_back(item);
  };
  add(w.create("alipay", 101));
  add(w.create("alipay_wap", 102, {{"success_url", merchant + "alipay-wap"}},
               merchant + "alipay-wap"));
  add(w.create("alipay_pc_direct", 103, {{"success_url", merchant + "alipay-pc"}},
               merchant + "alipay-pc"));
  add(w.create("alipay_qr", 104));
  add(w.create("wx", 105));
  add(w.create("wx_wap", 106, {{"result_url", merchant + "wx-wap"}}, merchant + "wx-wap"));
  add(w.create("wx_pub", 107, open_id));
  add(w.create("wx_pub_qr", 108, {{"product_id", "p108"}}));
  add(w.create("wx_lite", 109, open_id));
  add(w.create("upacp", 110));
  add(w.create("upacp_wap", 111, {{"result_url", merchant + "up-wap"}}, merchant + "up-wap"));
  add(w.create("upacp_pc", 112, {{"result_url", merchant + "up-pc"}}, merchant + "up-pc"));
  add(w.create("applepay_upacp", 113));
  Json spare = Json::array();
  for (const Charge& c : {w.create("upacp", 120), w.create("alipay_qr", 121),
                          w.create("wx_pub_qr", 122, {{"product_id", "p122"}}), w.create("wx", 123),
                          w.create("upacp_wap", 124, {{"result_url", merchant + "x"}})}) {
    spare.push_back({{"id", c.id}, {"channel", c.channel}});
  }
  std::string out;
  const int code = w.node("cashier.spec.mjs",
                          {{"PAYHOST_API_KEY", w.key()},
                           {"PAYHOST_CASHIER_PLAN", Json{{"pay", pay}, {"spare", spare}}.dump()}},
                          &out);
  EXPECT_EQ(code, 0) << out << "\n--- payhostd ---\n" << w.host().output();
  std::cout << out;
  for (const Json& c : pay) {
    EXPECT_EQ(w.text("SELECT state FROM charges WHERE id = '" + c["id"].get<std::string>() + "'"),
              "succeeded")
        << c.dump();
  }
}

}  // namespace
}  // namespace payhost::browser
