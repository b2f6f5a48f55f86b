// The campus API through the real payhostd: real HTTP, the real charge core and its
// exactly-once settlement, the test channel's signed notifications, the CLI, and (in
// CampusSandboxTest) the Alipay plugin paid through the sandbox cashier. Compiled twice:
// campus_api_test on SQLite and campus_api_pg_test on PostgreSQL (PAYHOST_TEST_PG_URL,
// which CI always sets: the PostgreSQL variant fails rather than skips without it).
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/harness.hpp"
#include "support/nested_json.hpp"
#include "support/testchannel_notification.hpp"

namespace {

using Json = nlohmann::ordered_json;
using payhost::testing::HttpResult;
using payhost::testing::Payhostd;

#ifdef CAMPUS_TEST_POSTGRES
constexpr bool kPostgres = true;
#else
constexpr bool kPostgres = false;
#endif

// ---------------------------------------------------------------------------------------
// Expected dates, computed here with std::chrono rather than the plugin's own code.

std::chrono::year_month_day beijing_today() {
  using namespace std::chrono;
  return year_month_day{floor<days>(system_clock::now() + hours{8})};
}

std::chrono::year_month_day plus_months(std::chrono::year_month_day d, int n) {
  using namespace std::chrono;
  year_month_day r = d + months{n};
  if (!r.ok()) r = year_month_day{year_month_day_last{r.year(), month_day_last{r.month()}}};
  return r;
}

std::string iso(std::chrono::year_month_day d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()),
                static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
  return buf;
}

// ---------------------------------------------------------------------------------------
// Config

std::string catalogue_yaml(int select_type) {
  Json c = Json::parse(R"({
    "project": {"name": "智慧校园一卡通", "description": "一卡通服务", "qrCode": "https://s/qr.png",
                "protocolUrl": "https://s/protocol.html", "wxAccount": "wx-school",
                "alipayAccount": "pay@school.cn", "unionPayAccount": "6222"},
    "packages": {
      "card": [
        {"id": "10000001", "name": "A套餐-不含定位", "price": 15800, "months": 12,
         "description": "考勤", "details": [{"icon": "https://s/att.png", "title": "进出校考勤",
                                             "content": "每天上学到校"}]},
        {"id": "10000002", "name": "B套餐-含定位", "price": 18800, "months": 12},
        {"id": 10000003, "name": "体验月包", "price": 1, "months": 1}
      ],
      "sms": [
        {"id": "20000001", "name": "短信年包", "price": 3000, "months": 12},
        {"id": "20000002", "name": "短信月包", "price": 300, "days": 30}
      ]
    }
  })");
  c["project"]["selectType"] = select_type;
  return c.dump();  // JSON is YAML flow style
}

std::string base_config(const std::string& campus_options) {
  return "livemode: false\n"
         "app_id: app_5anXP4ezfXvL8m5e\n"
         "data_dir: \"@DATA_DIR@\"\n"
         "plugin_dir: \"@PLUGIN_DIR@\"\n"
         "database:\n  url: \"@DATABASE_URL@\"\n"
         "server:\n  listen: 127.0.0.1:0\n"
         "auth:\n  jwt_secret: test-secret-please-change-0123456789\n"
         "jobs: {janitor: false}\n"
         "plugins:\n"
         "  testchannel:\n    path: \"@TEST_PLUGIN_DIR@/testchannel.so\"\n"
         "    channels: [testpay, testpay_wap]\n"
         "  campus:\n    options: " +
         campus_options + "\n";
}

const char* kRoster =
    "userID,empName,photo,cardNo,imei,sim,gradeName,className,mobile\n"
    "10129580,陈雅诺,http://s/p.jpg,335731330,860000001,1440001,高一,1班,13800000001\n"
    "10129581,李四,,335731331,860000002,1440002,高二,2班,\n"
    "10129582,王五,,335731332,860000003,1440003,高三,3班,13800000003\n"
    "10129583,赵六,,335731333,860000004,1440004,高三,3班,13800000004\n"
    "10129584,钱七,,335731334,860000005,1440005,高三,3班,13800000005\n"
    "10129585,孙八,,335731335,860000006,1440006,高三,3班,13800000006\n"
    "10129586,周九,,335731336,860000007,1440007,高三,3班,13800000007\n";

std::string write_file(const Payhostd& host, const std::string& name, const std::string& text) {
  const std::string path = host.data_dir() + "/" + name;
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

// ---------------------------------------------------------------------------------------
// The test channel's notifications (tests/testplugins/README.md), signed with OpenSSL here.

HttpResult notify_paid(const Payhostd& host, const Json& charge) {
  payhost::testing::TestchannelNotice n;
  n.order_no = charge["order_no"];
  n.amount = charge["amount"];
  n.transaction_no = "T" + n.order_no;
  n.payer.clear();
  return host.post_json("/notify/testchannel", payhost::testing::testchannel_notification(n));
}

// ---------------------------------------------------------------------------------------

class CampusApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    host_ = std::make_unique<Payhostd>(
        base_config("{catalogue: " + catalogue_yaml(0) + ", retrieve_interval_seconds: 3}"),
        kPostgres);
    std::string out;
    const std::string path = write_file(*host_, "roster.csv", kRoster);
    ASSERT_EQ(host_->cli({"campus", "import", path}, &out), 0) << out;
    ASSERT_NE(out.find("imported 7 students (7 added, 0 updated)"), std::string::npos) << out;
  }
  static void TearDownTestSuite() { host_.reset(); }

  static Json post(const std::string& route, const Json& body, const std::string& user) {
    auto r = host_->post_json("/api/Pay/" + route, body.dump(), token(user));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
  }

  static std::string token(const std::string& user) {
    if (user.empty()) return {};
    auto& t = tokens_[user];
    if (t.empty()) t = host_->token(user);
    return t;
  }

  static Json pay_body(const std::string& user, const std::string& name, const std::string& items,
                       long long amount, int type = 0, const std::string& channel = "testpay") {
    return Json{{"channel", channel},   {"subject", "智慧校园一卡通"},
                {"body", "一卡通套餐"}, {"amount", amount},
                {"userID", user},       {"empName", name},
                {"itemIDs", items},     {"type", type}};
  }

  static std::string message(const Json& r) {
    EXPECT_EQ(r["error"], 1) << r.dump();
    return r.value("message", "");
  }

  // PayMoney, then the channel's signed notification; returns {recordIDs, charge}.
  static std::pair<std::string, Json> buy_and_pay(const std::string& user, const std::string& name,
                                                  const std::string& items, long long amount,
                                                  int type = 0) {
    Json r = post("PayMoney", pay_body(user, name, items, amount, type), user);
    EXPECT_EQ(r["error"], 0) << r.dump();
    if (r["error"] != 0) return {};
    const Json charge = r["data"]["chargeData"]["charge"];
    auto n = notify_paid(*host_, charge);
    EXPECT_EQ(n.status, 200) << n.body;
    return {r["data"]["recordIDs"], charge};
  }

  static Json success(const std::string& ids, const std::string& user) {
    return post("SearchSuccessData", Json{{"ids", ids}}, user);
  }

  static std::unique_ptr<Payhostd> host_;
  static std::map<std::string, std::string> tokens_;
};

std::unique_ptr<Payhostd> CampusApiTest::host_;
std::map<std::string, std::string> CampusApiTest::tokens_;

TEST_F(CampusApiTest, SearchPayPackagesJsonAndForm) {
  Json r = post("SearchPayPackages", Json{{"userID", "10129580"}, {"type", 0}, {"payType", 0}},
                "10129580");
  ASSERT_EQ(r["error"], 0) << r.dump();
  const Json& d = r["data"];
  EXPECT_EQ(d["empName"], "陈雅诺");
  EXPECT_EQ(d["selectType"], 0);
  EXPECT_EQ(d["photo"], "http://s/p.jpg");
  EXPECT_EQ(d["cardNo"], "335731330");
  EXPECT_EQ(d["protocolUrl"], "https://s/protocol.html");
  ASSERT_EQ(d["items"].size(), 3u);
  EXPECT_EQ(d["items"][0]["itemPrice"], "¥158元/年");
  EXPECT_EQ(d["items"][0]["itemValue"].dump(), "158");
  EXPECT_EQ(d["items"][0]["details"][0]["title"], "进出校考勤");
  EXPECT_EQ(d["items"][2]["id"], "10000003");
  EXPECT_EQ(d["items"][2]["itemPrice"], "¥0.01元/月");
  EXPECT_EQ(d["items"][2]["itemValue"].dump(), "0.01");
  // The exact bytes: a JSON number 0.01, not a string and not 0.01000000000000000021.
  auto raw = host_->post_json("/api/Pay/SearchPayPackages",
                              R"({"userID":"10129580","type":0,"payType":0})", token("10129580"));
  EXPECT_NE(raw.body.find(R"("itemValue":0.01,)"), std::string::npos) << raw.body;

  auto form = host_->post_form("/api/Pay/SearchPayPackages", "userID=10129580&type=1&payType=0",
                               token("10129580"));
  ASSERT_EQ(form.status, 200);
  Json f = form.json();
  ASSERT_EQ(f["error"], 0) << form.body;
  ASSERT_EQ(f["data"]["items"].size(), 2u);
  EXPECT_EQ(f["data"]["items"][1]["itemPrice"], "¥3元/30天");
}

TEST_F(CampusApiTest, AuthenticationUsesTheApisEnvelope) {
  const Json body = {{"userID", "10129580"}, {"type", 0}, {"payType", 0}};
  auto r = host_->post_json("/api/Pay/SearchPayPackages", body.dump());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json(), (Json{{"error", 1}, {"message", "未登录或登录已过期,请重新登录"}}));
  r = host_->post_json("/api/Pay/SearchPayPackages", body.dump(), "not-a-token");
  EXPECT_EQ(r.json()["message"], "未登录或登录已过期,请重新登录");
  EXPECT_EQ(message(post("SearchPayPackages", body, "10129581")), "无权操作该用户: 10129580");
  EXPECT_EQ(
      message(post("PayMoney", pay_body("10129580", "陈雅诺", "10000001", 15800), "10129581")),
      "无权操作该用户: 10129580");
}

TEST_F(CampusApiTest, SearchPayPackagesErrors) {
  EXPECT_EQ(message(post("SearchPayPackages", Json{{"userID", "404"}, {"type", 0}, {"payType", 0}},
                         "404")),
            "用户不存在: 404");
  EXPECT_EQ(message(post("SearchPayPackages",
                         Json{{"userID", "10129580"}, {"type", 5}, {"payType", 0}}, "10129580")),
            "参数错误: type 只能是 0/1");
  EXPECT_EQ(
      message(post("SearchPayPackages", Json{{"userID", "10129580"}, {"type", 0}}, "10129580")),
      "缺少参数: payType");
  EXPECT_EQ(message(post("SearchPayPackages",
                         Json{{"userID", "10129581"}, {"type", 0}, {"payType", 1}}, "10129581")),
            "当前没有生效的套餐,无法升级");
}

TEST_F(CampusApiTest, PayMoneyRefusals) {
  const std::string u = "10129581", n = "李四";
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "10000001", 1), u)),
            "金额不正确: 应付 15800 分(158元)");
  Json yuan = pay_body(u, n, "10000003", 1);
  yuan["amount"] = 0.01;  // the seed document's own example
  EXPECT_EQ(message(post("PayMoney", yuan, u)),
            "金额格式错误: amount 以分为单位,必须是整数(1元请填100)");
  EXPECT_EQ(message(post("PayMoney", pay_body("404", "无名", "10000001", 15800), "404")),
            "用户不存在: 404");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, "张三", "10000001", 15800), u)),
            "姓名与学生信息不一致");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "12345678", 15800), u)),
            "套餐不存在: 12345678");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "10000001,20000002", 16100), u)),
            "不能同时购买不同类型的套餐: 20000002");
  Json typed = pay_body(u, n, "20000002", 300);
  typed["itemType"] = 0;
  EXPECT_EQ(message(post("PayMoney", typed, u)), "套餐类型不符: 20000002 不是一卡通套餐");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "10000001,10000002", 34600), u)),
            "该项目只能选择一个套餐");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "10000001", 15800, 0, "wx"), u)),
            "支付渠道未开通: wx");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "10000001", 15800, 0, "testpay_wap"), u)),
            "缺少支付参数: extra.success_url");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "20000002", 300), u)),
            "该学生未登记手机号,无法购买短信套餐");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "10000001", 15800, 2), u)),
            "没有可续费的套餐: 10000001(请先购买)");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "10000002", 3000, 1), u)),
            "当前没有生效的套餐,无法升级");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "10000001", 15800, 3), u)),
            "参数错误: type 只能是 0/1/2");
  Json long_subject = pay_body(u, n, "10000001", 15800);
  long_subject["subject"] = std::string(33, 'x');
  EXPECT_EQ(message(post("PayMoney", long_subject, u)), "参数错误: subject 必须是1到32个字符");
}

// A body nested 150,000 deep must not take the process down (copying the tree would
// overflow a worker's stack): it is a malformed body in the API's envelope, and the host lives on.
TEST_F(CampusApiTest, DeeplyNestedBodiesAreMalformedAndTheHostSurvives) {
  const std::string u = "10129581";
  std::string body = pay_body(u, "李四", "10000001", 15800).dump();
  body.pop_back();  // reopen the object for one more member
  const std::string deep = body + R"(,"extra":)" + payhost::testing::nested_json(150000) + "}";
  auto r = host_->post_json("/api/Pay/PayMoney", deep, token(u));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(message(r.json()), "请求格式错误: 请提交 JSON 对象或表单");
  // The same as a JSON string in extra.
  Json as_text = pay_body(u, "李四", "10000001", 15800);
  as_text["extra"] = payhost::testing::nested_json(100);
  EXPECT_EQ(message(post("PayMoney", as_text, u)), "参数错误: extra 必须是 JSON 对象");
  // Still serving.
  EXPECT_EQ(post("SearchPayPackages", Json{{"userID", u}, {"type", 0}, {"payType", 0}}, u)["error"],
            0);
}

TEST_F(CampusApiTest, PayMoneyFormBodyWithExtra) {
  const std::string body =
      "channel=testpay_wap&subject=%E4%B8%80%E5%8D%A1%E9%80%9A&body=x&amount=15800"
      "&userID=10129581&empName=%E6%9D%8E%E5%9B%9B&itemIDs=10000001&type=0"
      "&extra%5Bsuccess_url%5D=https%3A%2F%2Fschool.example%2Fok";
  auto r = host_->post_form("/api/Pay/PayMoney", body, token("10129581"));
  ASSERT_EQ(r.status, 200);
  Json j = r.json();
  ASSERT_EQ(j["error"], 0) << r.body;
  const Json& charge = j["data"]["chargeData"]["charge"];
  EXPECT_EQ(j["data"]["chargeData"]["error"], 0);
  EXPECT_EQ(charge["object"], "charge");
  EXPECT_EQ(charge["channel"], "testpay_wap");
  EXPECT_EQ(charge["amount"], 15800);
  EXPECT_EQ(charge["subject"], "一卡通");
  EXPECT_EQ(charge["extra"]["success_url"], "https://school.example/ok");
  EXPECT_TRUE(charge["credential"].contains("testpay_wap"));
}

TEST_F(CampusApiTest, BuyPayAndSearchSuccessData) {
  auto [ids, charge] = buy_and_pay("10129580", "陈雅诺", "10000001", 15800);
  ASSERT_FALSE(ids.empty());
  const auto today = beijing_today();
  Json r = success(ids, "10129580");
  ASSERT_EQ(r["error"], 0) << r.dump();
  EXPECT_EQ(r["data"], (Json{{"projectName", "智慧校园一卡通"},
                             {"itemName", "A套餐-不含定位"},
                             {"payStartDate", iso(today)},
                             {"payEndDate", iso(plus_months(today, 12))},
                             {"empName", "陈雅诺"},
                             {"imei", "860000001"},
                             {"sim", "1440001"},
                             {"gradeName", "高一"},
                             {"className", "1班"},
                             {"mobile", "13800000001"}}));
  // Someone else's token cannot read it, nor can an unknown id be probed.
  EXPECT_EQ(message(success(ids, "10129581")), "付款记录不存在: " + ids);
  EXPECT_EQ(message(success("rDoesNotExist", "10129580")), "付款记录不存在: rDoesNotExist");
}

TEST_F(CampusApiTest, DuplicateNotificationsApplyOnce) {
  const std::string u = "10129582", n = "王五";
  auto [ids, charge] = buy_and_pay(u, n, "10000001", 15800);
  for (int i = 0; i < 3; ++i) {
    auto again = notify_paid(*host_, charge);
    EXPECT_EQ(again.status, 200) << again.body;  // repeats still get the positive answer
  }
  const auto today = beijing_today();
  Json r = success(ids, u);
  ASSERT_EQ(r["error"], 0);
  EXPECT_EQ(r["data"]["payEndDate"], iso(plus_months(today, 12)));
  // Extended once: the renewal starts where that single year ends.
  auto [renewal, renewal_charge] = buy_and_pay(u, n, "10000001", 15800, 2);
  r = success(renewal, u);
  ASSERT_EQ(r["error"], 0) << r.dump();
  EXPECT_EQ(r["data"]["payStartDate"], iso(plus_months(today, 12)));
  EXPECT_EQ(r["data"]["payEndDate"], iso(plus_months(plus_months(today, 12), 12)));
}

TEST_F(CampusApiTest, RenewAndUpgrade) {
  const std::string u = "10129583", n = "赵六";
  const auto today = beijing_today();
  auto [bought, c1] = buy_and_pay(u, n, "10000001", 15800);
  auto [renewed, c2] = buy_and_pay(u, n, "10000001", 15800, 2);
  Json r = success(renewed, u);
  ASSERT_EQ(r["error"], 0) << r.dump();
  EXPECT_EQ(r["data"]["payStartDate"], iso(plus_months(today, 12)));
  const std::string end = iso(plus_months(plus_months(today, 12), 12));
  EXPECT_EQ(r["data"]["payEndDate"], end);

  Json list = post("SearchPayPackages", Json{{"userID", u}, {"type", 0}, {"payType", 1}}, u);
  ASSERT_EQ(list["error"], 0) << list.dump();
  ASSERT_EQ(list["data"]["items"].size(), 1u);
  EXPECT_EQ(list["data"]["items"][0]["id"], "10000002");
  EXPECT_EQ(list["data"]["items"][0]["itemPrice"], "¥30元");
  EXPECT_EQ(list["data"]["items"][0]["itemValue"].dump(), "30");
  EXPECT_EQ(message(post("PayMoney", pay_body(u, n, "10000002", 18800, 1), u)),
            "金额不正确: 应付 3000 分(30元)");

  auto [upgraded, c3] = buy_and_pay(u, n, "10000002", 3000, 1);
  r = success(upgraded, u);
  ASSERT_EQ(r["error"], 0) << r.dump();
  EXPECT_EQ(r["data"]["itemName"], "B套餐-含定位");
  EXPECT_EQ(r["data"]["payStartDate"], iso(today));
  EXPECT_EQ(r["data"]["payEndDate"], end);
  // Several ids: an array, in the order asked.
  r = success(bought + "," + upgraded, u);
  ASSERT_EQ(r["error"], 0);
  ASSERT_TRUE(r["data"].is_array());
  EXPECT_EQ(r["data"][0]["itemName"], "A套餐-不含定位");
  EXPECT_EQ(r["data"][1]["itemName"], "B套餐-含定位");
  list = post("SearchPayPackages", Json{{"userID", u}, {"type", 0}, {"payType", 1}}, u);
  EXPECT_TRUE(list["data"]["items"].empty());
}

TEST_F(CampusApiTest, PendingRecordIsRetrievedAtMostOncePerInterval) {
  const std::string u = "10129584", n = "钱七";
  Json r = post("PayMoney", pay_body(u, n, "20000002", 300), u);
  ASSERT_EQ(r["error"], 0) << r.dump();
  const std::string ids = r["data"]["recordIDs"];
  const std::string order_no = r["data"]["chargeData"]["charge"]["order_no"];
  EXPECT_EQ(success(ids, u), (Json{{"error", 1}, {"message", "订单未支付"}}));
  // Paid at the "provider", notification lost. Within the interval nobody asks again...
  std::ofstream(host_->data_dir() + "/testchannel/" + order_no + ".json")
      << Json{{"status", "paid"}, {"amount", 300}, {"transaction_no", "T" + order_no}}.dump();
  EXPECT_EQ(message(success(ids, u)), "订单未支付");
  // ...after it the core's retrieve finds the payment and settles it.
  std::this_thread::sleep_for(std::chrono::milliseconds(3200));
  Json s = success(ids, u);
  ASSERT_EQ(s["error"], 0) << s.dump();
  const auto today = beijing_today();
  EXPECT_EQ(s["data"]["payStartDate"], iso(today));
  EXPECT_EQ(s["data"]["payEndDate"],
            iso(std::chrono::year_month_day{std::chrono::sys_days{today} + std::chrono::days{30}}));
  EXPECT_EQ(s["data"]["mobile"], "13800000005");
}

TEST_F(CampusApiTest, SmsPackagesKeepTheirMobileAcrossRosterChanges) {
  const std::string u = "10129585", n = "孙八";
  auto [first, c1] = buy_and_pay(u, n, "20000001", 3000);
  std::string out;
  const std::string path =
      write_file(*host_, "mobile.csv", "userID,empName,mobile\n10129585,孙八,13999999999\n");
  ASSERT_EQ(host_->cli({"campus", "import", path}, &out), 0) << out;
  auto [renewal, c2] = buy_and_pay(u, n, "20000001", 3000, 2);
  Json r = success(first + "," + renewal, u);
  ASSERT_EQ(r["error"], 0) << r.dump();
  EXPECT_EQ(r["data"][0]["mobile"], "13800000006");
  EXPECT_EQ(r["data"][1]["mobile"], "13800000006");
}

TEST_F(CampusApiTest, ImportErrorsNameLinesAndApplyNothing) {
  std::string out;
  const std::string path = write_file(*host_, "bad.csv",
                                      "userID,empName,mobile\n"
                                      "10129586,周九改名,13800000007\n"
                                      "20000001,,13800000008\n"
                                      "20000002,新生,12x\n"
                                      "10129586,周九,13800000007\n");
  EXPECT_NE(host_->cli({"campus", "import", path}, &out), 0);
  EXPECT_NE(out.find("bad.csv: line 3: empName is empty"), std::string::npos) << out;
  EXPECT_NE(out.find("bad.csv: line 4: mobile \"12x\""), std::string::npos) << out;
  EXPECT_NE(out.find("bad.csv: line 5: userID 10129586 is already on line 2"), std::string::npos)
      << out;
  EXPECT_NE(out.find("nothing imported"), std::string::npos) << out;
  // Line 2 was valid and still not applied.
  Json r = post("SearchPayPackages", Json{{"userID", "10129586"}, {"type", 0}, {"payType", 0}},
                "10129586");
  EXPECT_EQ(r["data"]["empName"], "周九");
  EXPECT_EQ(message(post("SearchPayPackages",
                         Json{{"userID", "20000002"}, {"type", 0}, {"payType", 0}}, "20000002")),
            "用户不存在: 20000002");
  EXPECT_NE(host_->cli({"campus", "import", host_->data_dir() + "/missing.csv"}, &out), 0);
}

TEST_F(CampusApiTest, ExportListsPaidRecords) {
  const std::string u = "10129586", n = "周九";
  auto [ids, charge] = buy_and_pay(u, n, "10000003", 1);
  Json pending = post("PayMoney", pay_body(u, n, "10000003", 1, 2), u);
  ASSERT_EQ(pending["error"], 0);
  const std::string today = iso(beijing_today());
  std::string out;
  ASSERT_EQ(host_->cli({"campus", "export", "--from", today, "--to", today}, &out), 0) << out;
  // `out` also holds payhostd's stderr (PostgreSQL notices), so look for the header line.
  EXPECT_NE(out.find("recordID,paidDate,paidAt,userID,empName,"), std::string::npos) << out;
  const auto line = out.find(ids + "," + today + ",");
  ASSERT_NE(line, std::string::npos) << out;
  const std::string row = out.substr(line, out.find("\r\n", line) - line);
  EXPECT_NE(
      row.find(",10129586,周九,高三,3班,card,buy,智慧校园一卡通,10000003,体验月包,1,0.01,testpay," +
               charge["id"].get<std::string>() + "," + today + ","),
      std::string::npos)
      << row;
  EXPECT_EQ(out.find(pending["data"]["recordIDs"].get<std::string>()), std::string::npos);
  EXPECT_NE(host_->cli({"campus", "export", "--from", "2024-02-30", "--to", today}, &out), 0);
}

TEST_F(CampusApiTest, AdminOrdersThroughTheHost) {
  const std::string u = "10129585", n = "孙八";
  auto [ids, charge] = buy_and_pay(u, n, "10000003", 1);
  const std::string today = iso(beijing_today());
  const std::string admin = host_->token("1", true);
  auto r = host_->get("/admin/orders?status=paid", admin);
  ASSERT_EQ(r.status, 200) << r.body;
  bool found = false;
  const Json listed = r.json();
  for (const auto& o : listed["orders"]) {
    if (o["charge_id"] != charge["id"]) continue;
    found = true;
    EXPECT_EQ(o["user_id"], u);
    EXPECT_EQ(o["packages"][0]["record_id"], ids);
    EXPECT_EQ(o["paid_at"].get<std::string>().substr(0, 10), today);
  }
  EXPECT_TRUE(found) << r.body;
  r = host_->get("/admin/orders.csv?from=" + today + "&to=" + today, admin);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.headers["content-type"], "text/csv; charset=utf-8");
  EXPECT_EQ(r.headers["content-disposition"],
            "attachment; filename=\"campus-orders-" + today + "-" + today + ".csv\"");
  EXPECT_NE(r.body.find(ids + "," + today + ","), std::string::npos) << r.body;
  // The host refuses everyone else, in the campus envelope with the HTTP status.
  r = host_->get("/admin/orders", token(u));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.json(), (Json{{"error", 1}, {"message", "无权访问"}}));
  r = host_->get("/admin/orders.csv");
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(r.json()["error"], 1);
  r = host_->get("/admin/orders?from=2024-13-01", admin);
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json()["message"], "参数错误: from 必须是日期 YYYY-MM-DD");
}

// ---------------------------------------------------------------------------------------
// A second deployment: multiple choice, API key, a {WebPath} prefix.

TEST(CampusApiKeyTest, MultipleChoiceUnderOneChargeWithApiKeyAndWebPath) {
  Payhostd host(base_config("{catalogue: " + catalogue_yaml(1) +
                            ", auth: api_key, api_key: school-backend-key-0123456789, "
                            "web_path: /campus}"),
                kPostgres);
  std::string out;
  const std::string path = host.data_dir() + "/roster.csv";
  std::ofstream(path) << kRoster;
  ASSERT_EQ(host.cli({"campus", "import", path}, &out), 0) << out;
  const std::vector<std::string> key = {"X-Api-Key: school-backend-key-0123456789"};
  const Json body = {{"channel", "testpay"},
                     {"subject", "一卡通"},
                     {"body", "两个套餐"},
                     {"amount", 15801},
                     {"userID", "10129580"},
                     {"empName", "陈雅诺"},
                     {"itemIDs", "10000001,10000003"},
                     {"type", 0}};
  auto r = host.post_json("/campus/api/Pay/PayMoney", body.dump());
  EXPECT_EQ(r.json(), (Json{{"error", 1}, {"message", "API密钥错误"}}));
  r = host.post_json("/campus/api/Pay/PayMoney", body.dump(), "",
                     {"X-Api-Key: school-backend-key-0123456789x"});
  EXPECT_EQ(r.json()["message"], "API密钥错误");
  r = host.post_json("/campus/api/Pay/PayMoney", body.dump(), "", key);
  Json j = r.json();
  ASSERT_EQ(j["error"], 0) << r.body;
  const std::string ids = j["data"]["recordIDs"];
  ASSERT_NE(ids.find(','), std::string::npos);
  const Json charge = j["data"]["chargeData"]["charge"];
  EXPECT_EQ(charge["amount"], 15801);
  ASSERT_EQ(notify_paid(host, charge).status, 200);
  r = host.post_json("/campus/api/Pay/SearchSuccessData", Json{{"ids", ids}}.dump(), "", key);
  j = r.json();
  ASSERT_EQ(j["error"], 0) << r.body;
  ASSERT_EQ(j["data"].size(), 2u);
  const auto today = beijing_today();
  EXPECT_EQ(j["data"][0]["payEndDate"], iso(plus_months(today, 12)));
  EXPECT_EQ(j["data"][1]["payEndDate"], iso(plus_months(today, 1)));
  // Not under the bare path.
  EXPECT_NE(host.post_json("/api/Pay/SearchSuccessData", Json{{"ids", ids}}.dump(), "", key).status,
            200);
}

// ---------------------------------------------------------------------------------------
// The real Alipay plugin in test mode, paid through the sandbox cashier; legacy auth: none.

std::string campus_sandbox_config() {
  return "livemode: false\n"
         "app_id: app_5anXP4ezfXvL8m5e\n"
         "data_dir: \"@DATA_DIR@\"\n"
         "plugin_dir: \"@PLUGIN_DIR@\"\n"
         "database:\n  url: \"@DATABASE_URL@\"\n"
         "server:\n  listen: 127.0.0.1:0\n"
         "auth:\n  jwt_secret: test-secret-please-change-0123456789\n"
         "plugins:\n"
         "  testchannel:\n    path: \"@TEST_PLUGIN_DIR@/testchannel.so\"\n"
         "    channels: [testpay, testpay_wap]\n"
         "  sandbox: {}\n"
         "  sandbox_alipay: {}\n"
         "  alipay:\n    channels: [alipay, alipay_wap, alipay_pc_direct, alipay_qr]\n"
         "  campus:\n    options: {auth: none, channel_extra: {alipay_wap: {success_url: "
         "\"https://school.example/ok\"}}, catalogue: " +
         catalogue_yaml(0) + "}\n";
}

TEST(CampusSandboxTest, BuyWithAlipayPaidInTheSandboxCashier) {
  Payhostd host(campus_sandbox_config(), kPostgres);
  EXPECT_NE(host.output().find("auth is none"), std::string::npos) << host.output();
  std::string out;
  const std::string path = host.data_dir() + "/roster.csv";
  std::ofstream(path) << kRoster;
  ASSERT_EQ(host.cli({"campus", "import", path}, &out), 0) << out;

  for (const std::string channel : {"alipay_wap", "alipay_qr"}) {
    SCOPED_TRACE(channel);
    const Json body = {{"channel", channel},    {"subject", "智慧校园一卡通"},
                       {"body", "A套餐"},       {"amount", 15800},
                       {"userID", "10129580"},  {"empName", "陈雅诺"},
                       {"itemIDs", "10000001"}, {"type", channel == "alipay_wap" ? 0 : 2}};
    auto r = host.post_json("/api/Pay/PayMoney", body.dump());
    Json j = r.json();
    ASSERT_EQ(j["error"], 0) << r.body;
    const Json charge = j["data"]["chargeData"]["charge"];
    EXPECT_EQ(charge["channel"], channel);
    EXPECT_TRUE(charge["credential"].contains(channel)) << charge.dump();
    const std::string ids = j["data"]["recordIDs"];
    auto pending = host.post_json("/api/Pay/SearchSuccessData", Json{{"ids", ids}}.dump());
    EXPECT_EQ(pending.json(), (Json{{"error", 1}, {"message", "订单未支付"}}));

    auto paid = host.request("POST", "/sandbox/cashier/" + charge["id"].get<std::string>() + "/pay",
                             "", {"Accept: application/json"});
    ASSERT_EQ(paid.status / 100, 2) << paid.status << " " << paid.body;
    // The sandbox notifies asynchronously (or the next retrieve finds it): poll briefly.
    Json s;
    for (int i = 0; i < 100; ++i) {
      s = host.post_json("/api/Pay/SearchSuccessData", Json{{"ids", ids}}.dump()).json();
      if (s["error"] == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_EQ(s["error"], 0) << s.dump();
    const auto today = beijing_today();
    if (channel == "alipay_wap") {
      EXPECT_EQ(s["data"]["payStartDate"], iso(today));
      EXPECT_EQ(s["data"]["payEndDate"], iso(plus_months(today, 12)));
    } else {  // the renewal, from the end of the first year
      EXPECT_EQ(s["data"]["payStartDate"], iso(plus_months(today, 12)));
      EXPECT_EQ(s["data"]["payEndDate"], iso(plus_months(plus_months(today, 12), 12)));
    }
  }
}

// The seed's own PayMoney example pays with "channel":"wx" (its amount, 0.01, is a yuan
// figure the server does not trust: the server's price in fen is what a client must send).
TEST(CampusSandboxTest, PayMoneyWithWxAsTheSeedExampleIsPaidInTheSandboxCashier) {
  std::string config = campus_sandbox_config();
  const std::string wechat = "  sandbox_wechat: {}\n  wechat:\n    channels: [wx, wx_wap]\n";
  config.insert(config.find("  campus:\n"), wechat);
  Payhostd host(config, kPostgres);
  std::string out;
  const std::string path = host.data_dir() + "/roster.csv";
  std::ofstream(path) << kRoster;
  ASSERT_EQ(host.cli({"campus", "import", path}, &out), 0) << out;

  Json body = Json::parse(R"({"channel":"wx","subject":"智慧校园一卡通","body":"套餐B-带定位功能",
      "amount":0.01,"userID":"10129580","empName":"陈雅诺","itemIDs":"10000002","type":0})");
  auto refused = host.post_json("/api/Pay/PayMoney", body.dump());
  EXPECT_EQ(refused.json()["error"], 1) << refused.body;
  body["amount"] = 18800;
  auto r = host.post_json("/api/Pay/PayMoney", body.dump());
  Json j = r.json();
  ASSERT_EQ(j["error"], 0) << r.body;
  const Json charge = j["data"]["chargeData"]["charge"];
  EXPECT_EQ(charge["channel"], "wx");
  EXPECT_EQ(charge["amount"], 18800);
  const Json credential = charge["credential"]["wx"];
  EXPECT_EQ(credential.value("packageValue", ""), "Sign=WXPay") << charge.dump();
  const std::string ids = j["data"]["recordIDs"];

  auto paid = host.request("POST", "/sandbox/cashier/" + charge["id"].get<std::string>() + "/pay",
                           "", {"Accept: application/json"});
  ASSERT_EQ(paid.status, 200) << paid.body;
  Json s;
  for (int i = 0; i < 100; ++i) {
    s = host.post_json("/api/Pay/SearchSuccessData", Json{{"ids", ids}}.dump()).json();
    if (s["error"] == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(s["error"], 0) << s.dump();
  EXPECT_EQ(s["data"]["payStartDate"], iso(beijing_today()));
  EXPECT_EQ(s["data"]["payEndDate"], iso(plus_months(beijing_today(), 12)));
}

// UnionPay's four channels (the catalogue's unionPayAccount project): the app ones hand the
// client a tn, the web ones a signed form the browser posts to the gateway, which sends it
// to the cashier; each order is paid there and found by SearchSuccessData.
TEST(CampusSandboxTest, PayMoneyWithUnionPayChannelsIsPaidInTheSandboxCashier) {
  std::string config = campus_sandbox_config();
  const std::string unionpay =
      "  sandbox_unionpay: {}\n  unionpay:\n"
      "    channels: [applepay_upacp, upacp, upacp_wap, upacp_pc]\n";
  config.insert(config.find("  campus:\n"), unionpay);
  Payhostd host(config, kPostgres);
  std::string out;
  const std::string path = host.data_dir() + "/roster.csv";
  std::ofstream(path) << kRoster;
  ASSERT_EQ(host.cli({"campus", "import", path}, &out), 0) << out;

  const std::vector<std::pair<std::string, std::pair<std::string, std::string>>> buyers = {
      {"applepay_upacp", {"10129580", "陈雅诺"}},
      {"upacp", {"10129581", "李四"}},
      {"upacp_wap", {"10129582", "王五"}},
      {"upacp_pc", {"10129583", "赵六"}}};
  for (const auto& [channel, buyer] : buyers) {
    SCOPED_TRACE(channel);
    const bool web = channel == "upacp_wap" || channel == "upacp_pc";
    Json body = {{"channel", channel},         {"subject", "智慧校园一卡通"},
                 {"body", "套餐B-带定位功能"}, {"amount", 18800},
                 {"userID", buyer.first},      {"empName", buyer.second},
                 {"itemIDs", "10000002"},      {"type", 0}};
    if (web) body["extra"] = Json{{"result_url", "https://school.example/paid"}};
    auto r = host.post_json("/api/Pay/PayMoney", body.dump());
    Json j = r.json();
    ASSERT_EQ(j["error"], 0) << r.body;
    const Json charge = j["data"]["chargeData"]["charge"];
    EXPECT_EQ(charge["channel"], channel);
    EXPECT_EQ(charge["amount"], 18800);
    const Json credential = charge["credential"][channel];
    const std::string ids = j["data"]["recordIDs"];
    if (web) {
      // What the browser does with the credential: post every field but channel_url to it.
      std::string form;
      for (const auto& item : credential.items()) {
        if (item.key() == "channel_url") continue;
        const std::string value = item.value().get<std::string>();
        char* escaped = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
        form += (form.empty() ? "" : "&") + item.key() + "=" + escaped;
        curl_free(escaped);
      }
      EXPECT_EQ(credential.value("frontUrl", ""), "https://school.example/paid");
      const auto posted = payhost::testing::http_request(
          "POST", credential.value("channel_url", ""), form,
          {"Content-Type: application/x-www-form-urlencoded; charset=UTF-8"});
      ASSERT_EQ(posted.status, 302) << posted.body;
    } else {
      EXPECT_EQ(credential.value("tn", "").size(), 21u) << charge.dump();
    }
    auto pending = host.post_json("/api/Pay/SearchSuccessData", Json{{"ids", ids}}.dump());
    EXPECT_EQ(pending.json(), (Json{{"error", 1}, {"message", "订单未支付"}}));

    auto paid = host.request("POST", "/sandbox/cashier/" + charge["id"].get<std::string>() + "/pay",
                             "", {"Accept: application/json"});
    ASSERT_EQ(paid.status, 200) << paid.body;
    EXPECT_EQ(paid.json()["notify_status"], 200) << paid.body;
    Json s;
    for (int i = 0; i < 100; ++i) {
      s = host.post_json("/api/Pay/SearchSuccessData", Json{{"ids", ids}}.dump()).json();
      if (s["error"] == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    ASSERT_EQ(s["error"], 0) << s.dump();
    EXPECT_EQ(s["data"]["payStartDate"], iso(beijing_today()));
    EXPECT_EQ(s["data"]["payEndDate"], iso(plus_months(beijing_today(), 12)));
  }
}

// ---------------------------------------------------------------------------------------
// Alipay notifications as the gateway signs them (RSA2 over the sorted "k=v&..." string
// without sign and sign_type), with OpenSSL here: the signer shares no code with payhostd.

using AlipayParams = std::map<std::string, std::string>;  // sorted by bytes, like Alipay

std::string alipay_sign_content(const AlipayParams& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (v.empty()) continue;
    out += (out.empty() ? "" : "&") + k + "=" + v;
  }
  return out;
}

std::string rsa2_base64(const std::string& private_key_pem, const std::string& content) {
  BIO* bio = BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size()));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (key == nullptr) throw std::runtime_error("not a private key");
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  std::size_t size = 0;
  std::string signature;
  if (EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
      EVP_DigestSign(ctx, nullptr, &size, reinterpret_cast<const unsigned char*>(content.data()),
                     content.size()) == 1) {
    signature.resize(size);
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(signature.data()), &size,
                   reinterpret_cast<const unsigned char*>(content.data()), content.size());
    signature.resize(size);
  }
  EVP_MD_CTX_free(ctx);
  EVP_PKEY_free(key);
  std::string out(4 * ((signature.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(signature.data()),
                                static_cast<int>(signature.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string form_escape(const std::string& text) {
  char* escaped = curl_easy_escape(nullptr, text.data(), static_cast<int>(text.size()));
  std::string out = escaped != nullptr ? escaped : "";
  curl_free(escaped);
  return out;
}

// `params` plus sign and sign_type, form-encoded.
std::string alipay_form(const AlipayParams& params, const std::string& sign) {
  std::string out;
  for (const auto& [k, v] : params)
    out += form_escape(k) + "=" + form_escape(v) + "&";
  return out + "sign=" + form_escape(sign) + "&sign_type=RSA2";
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The attack of issue #13: order A's body "x&out_trade_no=<B>&p=" made Alipay sign a
// string that also reads as a notification for order B of the same amount. The body is
// refused at PayMoney; and were such a notification ever signed, its re-split form
// settles nothing, nor does any notification reusing A's Alipay trade number.
TEST(CampusSandboxTest, ResplitAlipayNotificationCannotSettleAnotherOrder) {
  Payhostd host(campus_sandbox_config(), kPostgres);
  std::string out;
  const std::string path = host.data_dir() + "/roster.csv";
  std::ofstream(path) << kRoster;
  ASSERT_EQ(host.cli({"campus", "import", path}, &out), 0) << out;
  const auto pay_money = [&](const std::string& user, const std::string& name,
                             const std::string& text, const Json& extra = Json::object(),
                             const std::string& channel = "alipay_qr") {
    Json body = {{"channel", channel},    {"subject", "智慧校园一卡通"},
                 {"body", text},          {"amount", 15800},
                 {"userID", user},        {"empName", name},
                 {"itemIDs", "10000001"}, {"type", 0}};
    if (!extra.empty()) body["extra"] = extra;
    return host.post_json("/api/Pay/PayMoney", body.dump()).json();
  };
  const auto unpaid = [&](const std::string& ids) {
    return host.post_json("/api/Pay/SearchSuccessData", Json{{"ids", ids}}.dump()).json() ==
           Json{{"error", 1}, {"message", "订单未支付"}};
  };

  const Json b = pay_money("10129582", "王五", "B套餐");
  ASSERT_EQ(b["error"], 0) << b.dump();
  const std::string b_order = b["data"]["chargeData"]["charge"]["order_no"];
  const std::string b_ids = b["data"]["recordIDs"];

  // The body that would carry the attack is refused in the campus API's envelope.
  const Json refused = pay_money("10129583", "赵六", "x&out_trade_no=" + b_order + "&p=");
  EXPECT_EQ(refused,
            (Json{{"error", 1}, {"message", "参数错误: body (body must not contain '&')"}}));
  // So is a success_url the sandbox cashier would have rendered as a link.
  const Json script = pay_money("10129583", "赵六", "A套餐",
                                Json{{"success_url", "javascript:alert(1)"}}, "alipay_wap");
  EXPECT_EQ(script["error"], 1) << script.dump();
  EXPECT_NE(script.value("message", "").find("extra.success_url"), std::string::npos)
      << script.dump();

  // Order A, paid for real in the sandbox cashier.
  const Json a = pay_money("10129583", "赵六", "A套餐");
  ASSERT_EQ(a["error"], 0) << a.dump();
  const Json a_charge = a["data"]["chargeData"]["charge"];
  const std::string a_order = a_charge["order_no"];
  auto paid = host.request(
      "POST", "/sandbox/cashier/" + a_charge["id"].get<std::string>() + "/pay?format=json", "",
      {"Accept: application/json"});
  ASSERT_EQ(paid.status, 200) << paid.body;
  const std::string trade_no = paid.json()["trade_no"];
  Json a_paid;
  for (int i = 0; i < 100; ++i) {
    a_paid =
        host.post_json("/api/Pay/SearchSuccessData", Json{{"ids", a["data"]["recordIDs"]}}.dump())
            .json();
    if (a_paid["error"] == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(a_paid["error"], 0) << a_paid.dump();

  // What Alipay would have signed for A had its body been the attack text ...
  const std::string platform_key =
      read_text(host.data_dir() + "/sandbox-keys/alipay-platform.key.pem");
  ASSERT_FALSE(platform_key.empty());
  const AlipayParams genuine = {
      {"app_id", "9021000000000001"},   {"body", "x&out_trade_no=" + b_order + "&p="},
      {"buyer_id", "2088102177846880"}, {"gmt_payment", "2024-05-01 12:00:00"},
      {"out_trade_no", a_order},        {"total_amount", "158.00"},
      {"trade_no", trade_no},           {"trade_status", "TRADE_SUCCESS"}};
  const std::string signature = rsa2_base64(platform_key, alipay_sign_content(genuine));
  // ... re-split so that it names order B and A's own out_trade_no hides inside "p".
  const AlipayParams resplit = {
      {"app_id", "9021000000000001"},
      {"body", "x"},
      {"out_trade_no", b_order},
      {"p", "&buyer_id=2088102177846880&gmt_payment=2024-05-01 12:00:00&out_trade_no=" + a_order},
      {"total_amount", "158.00"},
      {"trade_no", trade_no},
      {"trade_status", "TRADE_SUCCESS"}};
  ASSERT_EQ(alipay_sign_content(resplit), alipay_sign_content(genuine));
  auto forged = host.post_form("/notify/alipay", alipay_form(resplit, signature));
  EXPECT_EQ(forged.body, "failure");
  EXPECT_TRUE(unpaid(b_ids));

  // An unambiguous, correctly signed notification for B reusing A's Alipay trade number.
  AlipayParams reused = resplit;
  reused.erase("p");
  reused["buyer_id"] = "2088102177846880";
  const auto reuse =
      host.post_form("/notify/alipay",
                     alipay_form(reused, rsa2_base64(platform_key, alipay_sign_content(reused))));
  EXPECT_EQ(reuse.body, "failure");
  EXPECT_TRUE(unpaid(b_ids));
  EXPECT_NE(host.output().find("ambiguous_notification"), std::string::npos) << host.output();
  EXPECT_NE(host.output().find("transaction_reused"), std::string::npos) << host.output();
}

}  // namespace
