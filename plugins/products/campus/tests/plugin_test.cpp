// The plugin through its routes, hooks and commands, on an in-process host with SQLite and
// a clock the test sets: dates across month ends and leap years, the exactly-once guard,
// the retrieve rate limit. campus_api_test runs the flows through the real payhostd.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "campus_plugin.hpp"
#include "payhost/sdk/testing/fake_host.hpp"

namespace payhost::campus {
namespace {

using sdk::Json;
using sdk::testing::FakeHost;

// Unix seconds of a Beijing wall-clock time.
std::int64_t beijing(int y, int m, int d, int hour = 10) {
  using namespace std::chrono;
  const sys_days day{year{y} / month{static_cast<unsigned>(m)} / static_cast<unsigned>(d)};
  return std::int64_t{day.time_since_epoch().count()} * 86400 + hour * 3600 - 8 * 3600;
}

Json test_catalogue(int select_type) {
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
        {"id": "10000003", "name": "体验月包", "price": 1, "months": 1}
      ],
      "sms": [
        {"id": "20000001", "name": "短信年包", "price": 3000, "months": 12},
        {"id": "20000002", "name": "短信月包", "price": 300, "days": 30}
      ]
    }
  })");
  c["project"]["selectType"] = select_type;
  return c;
}

const char* kRoster =
    "userID,empName,photo,cardNo,imei,sim,gradeName,className,mobile\n"
    "10129580,陈雅诺,http://s/p.jpg,335731330,860000001,1440001,高一,1班,13800000001\n"
    "10129581,李四,,335731331,860000002,1440002,高二,2班,\n";

class CampusPluginTest : public ::testing::Test {
 protected:
  void start(Json options = Json::object(), int select_type = 0) {
    host_.time.set(beijing(2024, 1, 31));
    ASSERT_TRUE(host_.db.migrate(plugin_.migrations()));
    if (!options.contains("catalogue")) options["catalogue"] = test_catalogue(select_type);
    if (!options.contains("auth")) options["auth"] = "none";
    auto st = plugin_.start(sdk::Options(options), host_);
    ASSERT_TRUE(st) << st.error().message;
    host_.charge_core.set_product(&plugin_, "campus");
    host_.charge_core.enable({"testpay", "alipay_wap"});
    host_.charge_core.require_extra("alipay_wap", {"success_url"});
    for (auto& route : plugin_.routes())
      routes_[route.path] = route;
    ASSERT_EQ(import(kRoster), 0);
  }

  int command(const std::string& verb, const std::vector<std::string>& args, std::string* out,
              std::string* err = nullptr) {
    for (auto& c : plugin_.commands()) {
      if (c.verb != verb) continue;
      std::string o, e;
      const int rc = c.run(args, o, e);
      if (out) *out = o;
      if (err) *err = e;
      return rc;
    }
    ADD_FAILURE() << "no command " << verb;
    return -1;
  }

  int import(const std::string& csv, std::string* err = nullptr) {
    const std::string path = ::testing::TempDir() + "campus-roster.csv";
    std::ofstream(path, std::ios::binary | std::ios::trunc) << csv;
    std::string out;
    const int rc = command("import", {path}, &out, err);
    std::remove(path.c_str());
    return rc;
  }

  sdk::HttpResponse raw(const std::string& path, const std::string& body,
                        const std::string& content_type = "application/json",
                        std::optional<std::string> user = std::nullopt,
                        std::map<std::string, std::string> headers = {}) {
    sdk::HttpRequest r;
    r.method = "POST";
    r.path = path;
    r.body = body;
    r.client_ip = "127.0.0.1";
    r.headers.set("Content-Type", content_type);
    for (auto& [k, v] : headers)
      r.headers.set(k, v);
    if (user) r.principal = sdk::Principal{*user, false};
    auto it = routes_.find(path);
    if (it == routes_.end()) {
      ADD_FAILURE() << "no route " << path;
      return {};
    }
    return it->second.handler(r);
  }

  Json call(const std::string& name, const Json& body,
            std::optional<std::string> user = std::nullopt) {
    auto response = raw("/api/Pay/" + name, body.dump(), "application/json", std::move(user));
    EXPECT_EQ(response.status, 200) << response.body;
    return Json::parse(response.body);
  }

  static Json pay_body(const std::string& items, sdk::Fen amount, int type = 0,
                       const std::string& user = "10129580", const std::string& name = "陈雅诺") {
    return Json{{"channel", "testpay"}, {"subject", "智慧校园一卡通"},
                {"body", "套餐"},       {"amount", amount},
                {"userID", user},       {"empName", name},
                {"itemIDs", items},     {"type", type}};
  }

  // PayMoney, then settle its charge; returns the record ids.
  std::string buy(const std::string& items, sdk::Fen amount, int type = 0,
                  const std::string& user = "10129580", const std::string& name = "陈雅诺") {
    Json r = call("PayMoney", pay_body(items, amount, type, user, name));
    EXPECT_EQ(r["error"], 0) << r.dump();
    if (r["error"] != 0) return {};
    const std::string charge_id = r["data"]["chargeData"]["charge"]["id"];
    EXPECT_TRUE(host_.charge_core.settle(charge_id));
    return r["data"]["recordIDs"];
  }

  // A GET on an admin route; `admin` false: a plain user's principal.
  sdk::HttpResponse get(const std::string& path, std::map<std::string, std::string> query = {},
                        std::optional<bool> admin = true) {
    sdk::HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.client_ip = "127.0.0.1";
    r.query = std::move(query);
    if (admin) r.principal = sdk::Principal{*admin ? "console:boss" : "10129580", *admin};
    auto it = routes_.find(path);
    if (it == routes_.end()) {
      ADD_FAILURE() << "no route " << path;
      return {};
    }
    return it->second.handler(r);
  }

  Json orders(std::map<std::string, std::string> query = {}) {
    auto response = get("/admin/orders", std::move(query));
    EXPECT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(response.headers.get("Content-Type").value_or(""), "application/json; charset=utf-8");
    return Json::parse(response.body);
  }

  Json success(const std::string& ids) { return call("SearchSuccessData", Json{{"ids", ids}}); }

  std::pair<std::string, std::string> dates(const std::string& id) {
    Json r = success(id);
    EXPECT_EQ(r["error"], 0) << r.dump();
    if (r["error"] != 0) return {};
    return {r["data"]["payStartDate"], r["data"]["payEndDate"]};
  }

  std::string message(const Json& r) {
    EXPECT_EQ(r["error"], 1) << r.dump();
    return r.value("message", "");
  }

  FakeHost host_;
  CampusPlugin plugin_;
  std::map<std::string, sdk::Route> routes_;
};

TEST_F(CampusPluginTest, SearchPayPackagesListsTheCatalogueWithDerivedPrices) {
  start();
  Json r = call("SearchPayPackages", Json{{"userID", "10129580"}, {"type", 0}, {"payType", 0}});
  ASSERT_EQ(r["error"], 0) << r.dump();
  const Json& d = r["data"];
  EXPECT_EQ(d["empName"], "陈雅诺");
  EXPECT_EQ(d["selectType"], 0);
  EXPECT_EQ(d["qrCode"], "https://s/qr.png");
  EXPECT_EQ(d["photo"], "http://s/p.jpg");
  EXPECT_EQ(d["cardNo"], "335731330");
  EXPECT_EQ(d["wxAccount"], "wx-school");
  EXPECT_EQ(d["alipayAccount"], "pay@school.cn");
  EXPECT_EQ(d["unionPayAccount"], "6222");
  EXPECT_EQ(d["projectDescription"], "一卡通服务");
  EXPECT_EQ(d["protocolUrl"], "https://s/protocol.html");
  ASSERT_EQ(d["items"].size(), 3u);
  EXPECT_EQ(
      d["items"][0].dump(),
      R"({"id":"10000001","itemName":"A套餐-不含定位","itemPrice":"¥158元/年","itemValue":158,)"
      R"("description":"考勤","details":[{"icon":"https://s/att.png","title":"进出校考勤",)"
      R"("content":"每天上学到校"}]})");
  EXPECT_EQ(d["items"][2]["itemPrice"], "¥0.01元/月");
  EXPECT_EQ(d["items"][2]["itemValue"].dump(), "0.01");

  r = call("SearchPayPackages", Json{{"userID", "10129580"}, {"type", 1}, {"payType", 0}});
  ASSERT_EQ(r["error"], 0);
  ASSERT_EQ(r["data"]["items"].size(), 2u);
  EXPECT_EQ(r["data"]["items"][1]["itemPrice"], "¥3元/30天");
}

TEST_F(CampusPluginTest, SearchPayPackagesErrors) {
  start();
  EXPECT_EQ(
      message(call("SearchPayPackages", Json{{"userID", "999"}, {"type", 0}, {"payType", 0}})),
      "用户不存在: 999");
  EXPECT_EQ(message(call("SearchPayPackages", Json{{"userID", "10129580"}, {"payType", 0}})),
            "缺少参数: type");
  EXPECT_EQ(
      message(call("SearchPayPackages", Json{{"userID", "10129580"}, {"type", 2}, {"payType", 0}})),
      "参数错误: type 只能是 0/1");
  EXPECT_EQ(
      message(call("SearchPayPackages", Json{{"userID", "10129580"}, {"type", 0}, {"payType", 1}})),
      "当前没有生效的套餐,无法升级");
  auto bad = raw("/api/Pay/SearchPayPackages", "{not json");
  EXPECT_EQ(Json::parse(bad.body)["message"], "请求格式错误: 请提交 JSON 对象或表单");
}

TEST_F(CampusPluginTest, FormBodiesWorkLikeJson) {
  start();
  auto r = raw("/api/Pay/SearchPayPackages", "userID=10129580&type=1&payType=0",
               "application/x-www-form-urlencoded");
  Json j = Json::parse(r.body);
  ASSERT_EQ(j["error"], 0) << r.body;
  EXPECT_EQ(j["data"]["items"].size(), 2u);

  r = raw("/api/Pay/PayMoney",
          "channel=testpay&subject=%E4%B8%80%E5%8D%A1%E9%80%9A&body=x&amount=15800&userID="
          "10129580&empName=%E9%99%88%E9%9B%85%E8%AF%BA&itemIDs=10000001&type=0",
          "application/x-www-form-urlencoded");
  j = Json::parse(r.body);
  ASSERT_EQ(j["error"], 0) << r.body;
  EXPECT_EQ(j["data"]["chargeData"]["charge"]["amount"], 15800);
  EXPECT_EQ(host_.charge_core.requests().back().subject, "一卡通");

  r = raw("/api/Pay/PayMoney",
          "channel=testpay&subject=s&body=x&amount=0.01&userID=10129580&empName=x&itemIDs=1&type=0",
          "application/x-www-form-urlencoded");
  EXPECT_NE(Json::parse(r.body)["message"].get<std::string>().find("以分为单位"),
            std::string::npos);
}

TEST_F(CampusPluginTest, PayMoneyRefusesWhatItMust) {
  start();
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001", 100))),
            "金额不正确: 应付 15800 分(158元)");
  EXPECT_NE(message(call("PayMoney", pay_body("10000003", 0))).find("金额必须大于0"),
            std::string::npos);
  Json float_amount = pay_body("10000003", 1);
  float_amount["amount"] = 0.01;
  EXPECT_EQ(message(call("PayMoney", float_amount)),
            "金额格式错误: amount 以分为单位,必须是整数(1元请填100)");
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001", 15800, 0, "404", "无名"))),
            "用户不存在: 404");
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001", 15800, 0, "10129580", "陈雅"))),
            "姓名与学生信息不一致");
  EXPECT_EQ(message(call("PayMoney", pay_body("99999999", 15800))), "套餐不存在: 99999999");
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001,20000001", 18800))),
            "不能同时购买不同类型的套餐: 20000001");
  Json typed = pay_body("20000001", 3000);
  typed["itemType"] = 0;
  EXPECT_EQ(message(call("PayMoney", typed)), "套餐类型不符: 20000001 不是一卡通套餐");
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001,10000002", 34600))),
            "该项目只能选择一个套餐");
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001,10000001", 31600))),
            "参数错误: itemIDs 中的ID重复: 10000001");
  Json wx = pay_body("10000001", 15800);
  wx["channel"] = "wx";
  EXPECT_EQ(message(call("PayMoney", wx)), "支付渠道未开通: wx");
  EXPECT_EQ(message(call("PayMoney", pay_body("20000001", 3000, 0, "10129581", "李四"))),
            "该学生未登记手机号,无法购买短信套餐");
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001", 15800, 2))),
            "没有可续费的套餐: 10000001(请先购买)");
  EXPECT_EQ(message(call("PayMoney", pay_body("10000002", 3000, 1))),
            "当前没有生效的套餐,无法升级");
  Json missing = pay_body("10000001", 15800);
  missing.erase("empName");
  EXPECT_EQ(message(call("PayMoney", missing)), "缺少参数: empName");
  // Nothing above reached the channel but the one with a missing extra.
  EXPECT_TRUE(host_.charge_core.requests().empty());
}

TEST_F(CampusPluginTest, ChannelExtrasComeFromOptionsAndRequest) {
  start(Json{{"channel_extra", {{"alipay_wap", {{"success_url", "https://s/ok"}}}}}});
  Json r = pay_body("10000001", 15800);
  r["channel"] = "alipay_wap";
  Json ok = call("PayMoney", r);
  ASSERT_EQ(ok["error"], 0) << ok.dump();
  EXPECT_EQ(ok["data"]["chargeData"]["charge"]["extra"]["success_url"], "https://s/ok");
  r["extra"] = {{"success_url", "https://s/mine"}};
  ok = call("PayMoney", r);
  EXPECT_EQ(ok["data"]["chargeData"]["charge"]["extra"]["success_url"], "https://s/mine");
}

TEST_F(CampusPluginTest, ExtraMissingIsReportedWithItsParam) {
  start();
  Json r = pay_body("10000001", 15800);
  r["channel"] = "alipay_wap";
  EXPECT_EQ(message(call("PayMoney", r)), "缺少支付参数: extra.success_url");
}

TEST_F(CampusPluginTest, PayMoneyAnswersWithRecordIdsAndAPingppCharge) {
  start();
  Json r = call("PayMoney", pay_body("10000001", 15800));
  ASSERT_EQ(r["error"], 0) << r.dump();
  const std::string ids = r["data"]["recordIDs"];
  EXPECT_EQ(ids.size(), 16u);
  EXPECT_EQ(ids[0], 'r');
  const Json& charge_data = r["data"]["chargeData"];
  EXPECT_EQ(charge_data["error"], 0);
  EXPECT_EQ(charge_data["charge"]["object"], "charge");
  EXPECT_EQ(charge_data["charge"]["amount"], 15800);
  EXPECT_EQ(
      charge_data["charge"]["credential"]["testpay"]["pay_url"].get<std::string>().substr(0, 10),
      "http://pay");
  const auto request = host_.charge_core.requests().back();
  EXPECT_EQ(request.user_id, "10129580");
  EXPECT_EQ(request.client_ip, "127.0.0.1");
  EXPECT_EQ(request.metadata["recordIDs"], ids);
}

TEST_F(CampusPluginTest, BuyStartsTodayAndSearchSuccessDataShowsTheRecord) {
  start();
  const std::string id = buy("10000003", 1);  // one month from Jan 31 (leap year)
  Json r = success(id);
  ASSERT_EQ(r["error"], 0) << r.dump();
  EXPECT_EQ(r["data"].dump(),
            R"({"projectName":"智慧校园一卡通","itemName":"体验月包","payStartDate":"2024-01-31",)"
            R"("payEndDate":"2024-02-29","empName":"陈雅诺","imei":"860000001","sim":"1440001",)"
            R"("gradeName":"高一","className":"1班","mobile":"13800000001"})");
}

TEST_F(CampusPluginTest, BuyingTheSamePackageWhileActiveExtendsFromItsEnd) {
  start();
  EXPECT_EQ(dates(buy("10000003", 1)),
            std::make_pair(std::string("2024-01-31"), std::string("2024-02-29")));
  host_.time.set(beijing(2024, 2, 10));
  EXPECT_EQ(dates(buy("10000003", 1)),
            std::make_pair(std::string("2024-02-29"), std::string("2024-03-29")));
  // After it ran out, a purchase starts today again.
  host_.time.set(beijing(2024, 4, 30));
  EXPECT_EQ(dates(buy("10000003", 1)),
            std::make_pair(std::string("2024-04-30"), std::string("2024-05-30")));
}

TEST_F(CampusPluginTest, RenewExtendsFromTheCurrentEndAcrossLeapDays) {
  start();
  host_.time.set(beijing(2024, 2, 29));
  EXPECT_EQ(dates(buy("10000001", 15800)),
            std::make_pair(std::string("2024-02-29"), std::string("2025-02-28")));
  host_.time.set(beijing(2024, 12, 1));
  EXPECT_EQ(dates(buy("10000001", 15800, 2)),
            std::make_pair(std::string("2025-02-28"), std::string("2026-02-28")));
  // Renewing a package that ran out starts today: the past is not for sale.
  host_.time.set(beijing(2027, 3, 1));
  EXPECT_EQ(dates(buy("10000001", 15800, 2)),
            std::make_pair(std::string("2027-03-01"), std::string("2028-03-01")));
}

TEST_F(CampusPluginTest, UpgradeListsTheDifferenceAndKeepsTheEndDate) {
  start();
  host_.time.set(beijing(2024, 1, 31));
  const std::string bought = buy("10000001", 15800);
  host_.time.set(beijing(2024, 6, 15));
  Json list = call("SearchPayPackages", Json{{"userID", "10129580"}, {"type", 0}, {"payType", 1}});
  ASSERT_EQ(list["error"], 0) << list.dump();
  ASSERT_EQ(list["data"]["items"].size(), 1u);
  EXPECT_EQ(list["data"]["items"][0]["id"], "10000002");
  EXPECT_EQ(list["data"]["items"][0]["itemPrice"], "¥30元");
  EXPECT_EQ(list["data"]["items"][0]["itemValue"], 30);

  EXPECT_EQ(message(call("PayMoney", pay_body("10000002", 18800, 1))),
            "金额不正确: 应付 3000 分(30元)");
  EXPECT_EQ(message(call("PayMoney", pay_body("10000003", 1, 1))),
            "该套餐不能升级: 10000003(只能升级到价格更高的套餐)");
  const std::string upgraded = buy("10000002", 3000, 1);
  EXPECT_EQ(dates(upgraded), std::make_pair(std::string("2024-06-15"), std::string("2025-01-31")));
  EXPECT_EQ(dates(bought), std::make_pair(std::string("2024-01-31"), std::string("2025-01-31")));
  // The package was replaced: nothing above B, and A can no longer be renewed.
  list = call("SearchPayPackages", Json{{"userID", "10129580"}, {"type", 0}, {"payType", 1}});
  EXPECT_TRUE(list["data"]["items"].empty());
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001", 15800, 2))),
            "没有可续费的套餐: 10000001(请先购买)");
  host_.time.set(beijing(2024, 12, 1));
  EXPECT_EQ(dates(buy("10000002", 18800, 2)),
            std::make_pair(std::string("2025-01-31"), std::string("2026-01-31")));
}

TEST_F(CampusPluginTest, UpgradePaidAfterARenewalKeepsTheRenewedEnd) {
  start();
  buy("10000001", 15800);  // 2024-01-31 .. 2025-01-31
  Json upgrade = call("PayMoney", pay_body("10000002", 3000, 1));
  ASSERT_EQ(upgrade["error"], 0);
  buy("10000001", 15800, 2);  // renewed to 2026-01-31 before the upgrade is paid
  ASSERT_TRUE(host_.charge_core.settle(upgrade["data"]["chargeData"]["charge"]["id"]));
  EXPECT_EQ(dates(upgrade["data"]["recordIDs"]),
            std::make_pair(std::string("2024-01-31"), std::string("2026-01-31")));
}

TEST_F(CampusPluginTest, SmsPackagesKeepTheMobileTheyWereBoughtFor) {
  start();
  const std::string first = buy("20000002", 300);
  ASSERT_EQ(import("userID,empName,mobile\n10129580,陈雅诺,13900000009\n"), 0);
  const std::string renewal = buy("20000002", 300, 2);
  Json r = success(first + "," + renewal);
  ASSERT_EQ(r["error"], 0) << r.dump();
  ASSERT_TRUE(r["data"].is_array());
  EXPECT_EQ(r["data"][0]["mobile"], "13800000001");
  EXPECT_EQ(r["data"][1]["mobile"], "13800000001");
  EXPECT_EQ(r["data"][1]["payStartDate"], "2024-03-01");
  EXPECT_EQ(r["data"][1]["payEndDate"], "2024-03-31");
  // A new purchase after it ran out serves the roster's current number.
  host_.time.set(beijing(2024, 5, 1));
  EXPECT_EQ(success(buy("20000002", 300))["data"]["mobile"], "13900000009");
}

TEST_F(CampusPluginTest, MultipleChoiceProjectsSellSeveralPackagesUnderOneCharge) {
  start(Json::object(), /*select_type=*/1);
  Json r = call("PayMoney", pay_body("10000001,10000003", 15801));
  ASSERT_EQ(r["error"], 0) << r.dump();
  const std::string ids = r["data"]["recordIDs"];
  ASSERT_EQ(ids.size(), 33u);
  EXPECT_EQ(ids[16], ',');
  EXPECT_EQ(r["data"]["chargeData"]["charge"]["amount"], 15801);
  EXPECT_EQ(host_.charge_core.requests().size(), 1u);
  ASSERT_TRUE(host_.charge_core.settle(r["data"]["chargeData"]["charge"]["id"]));
  Json s = success(ids);
  ASSERT_EQ(s["error"], 0) << s.dump();
  ASSERT_EQ(s["data"].size(), 2u);
  EXPECT_EQ(s["data"][0]["itemName"], "A套餐-不含定位");
  EXPECT_EQ(s["data"][0]["payEndDate"], "2025-01-31");
  EXPECT_EQ(s["data"][1]["itemName"], "体验月包");
  EXPECT_EQ(s["data"][1]["payEndDate"], "2024-02-29");
  // Two active packages: an upgrade starts from the most expensive one (A, not the trial).
  EXPECT_EQ(message(call("PayMoney", pay_body("10000002", 18800, 1))),
            "金额不正确: 应付 3000 分(30元)");
}

TEST_F(CampusPluginTest, PendingRecordsAskTheChannelAtMostOncePerInterval) {
  start();
  Json r = call("PayMoney", pay_body("10000001", 15800));
  const std::string id = r["data"]["recordIDs"];
  const std::string charge = r["data"]["chargeData"]["charge"]["id"];
  auto& charges = host_.charge_core;
  EXPECT_EQ(success(id).dump(), R"({"error":1,"message":"订单未支付"})");
  EXPECT_EQ(charges.retrieve_calls(), 1);
  EXPECT_EQ(message(success(id)), "订单未支付");
  EXPECT_EQ(charges.retrieve_calls(), 1);  // within the interval: no second query
  host_.time.advance(std::chrono::seconds(5));
  charges.mark_paid_at_provider(charge);  // the notification was lost
  Json s = success(id);
  EXPECT_EQ(charges.retrieve_calls(), 2);
  ASSERT_EQ(s["error"], 0) << s.dump();
  EXPECT_EQ(s["data"]["payEndDate"], "2025-01-31");
  success(id);
  EXPECT_EQ(charges.retrieve_calls(), 2);  // paid: nothing to ask
}

TEST_F(CampusPluginTest, SearchSuccessDataErrors) {
  start();
  const std::string id = buy("10000001", 15800);
  EXPECT_EQ(message(success("rnope")), "付款记录不存在: rnope");
  EXPECT_EQ(message(success(id + ",rnope")), "付款记录不存在: rnope");
  EXPECT_EQ(message(call("SearchSuccessData", Json::object())), "缺少参数: ids");
  Json pending = call("PayMoney", pay_body("10000001", 15800, 2));
  EXPECT_EQ(message(success(id + "," + pending["data"]["recordIDs"].get<std::string>())),
            "订单未支付");
}

TEST_F(CampusPluginTest, ARepeatedSettlementChangesNothing) {
  start();
  Json r = call("PayMoney", pay_body("10000001", 15800));
  const std::string charge = r["data"]["chargeData"]["charge"]["id"];
  auto& charges = host_.charge_core;
  ASSERT_TRUE(charges.settle(charge));
  ASSERT_TRUE(charges.settle_again_unconditionally(charge));
  host_.time.set(beijing(2024, 3, 1));
  ASSERT_TRUE(charges.settle_again_unconditionally(charge));
  EXPECT_EQ(dates(r["data"]["recordIDs"]),
            std::make_pair(std::string("2024-01-31"), std::string("2025-01-31")));
  // The subscription was extended once: a renewal starts at 2025-01-31, not later.
  EXPECT_EQ(dates(buy("10000001", 15800, 2)),
            std::make_pair(std::string("2025-01-31"), std::string("2026-01-31")));
}

// PayMoney writes its answer as text around the charge's own text: the bytes must be what
// the envelope's JSON tree would have been, recordIDs and charge included.
TEST_F(CampusPluginTest, PayMoneyAnswersTheBytesOfTheEnvelopeTree) {
  start(Json::object(), /*select_type=*/1);
  const sdk::HttpResponse response =
      raw("/api/Pay/PayMoney", pay_body("10000001,10000002", 34600).dump());
  ASSERT_EQ(response.status, 200) << response.body;
  auto& charges = host_.charge_core;
  ASSERT_EQ(charges.requests().size(), 1u);
  const sdk::NewCharge asked = charges.requests().back();
  ASSERT_EQ(charges.stored().size(), 1u);
  const sdk::Charge stored = charges.stored().begin()->second;
  const Json record_ids = asked.metadata.at("recordIDs");
  ASSERT_EQ(record_ids.get<std::string>().size(), 33u);  // two ids of 16 and a comma
  const Json tree = {{"error", 0},
                     {"data",
                      {{"recordIDs", record_ids},
                       {"chargeData", {{"error", 0}, {"charge", sdk::to_pingpp_json(stored)}}}}}};
  EXPECT_EQ(response.body, sdk::json_dump(tree));
}

TEST_F(CampusPluginTest, APaymentAfterAFailedCreateIsStillRecorded) {
  start();
  auto& charges = host_.charge_core;
  charges.fail_next_create();
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001", 15800))),
            "支付渠道暂时不可用,请稍后重试");
  // The provider had opened the trade after all and the money arrives: the charge stored
  // expired (as the host stores one whose creation it could not confirm) is settled, and
  // its order, marked failed meanwhile, records the payment.
  ASSERT_EQ(charges.stored().size(), 1u);
  const sdk::Charge stored = charges.stored().begin()->second;
  ASSERT_FALSE(stored.product_ref.empty());
  ASSERT_TRUE(charges.settle(stored.id));
  EXPECT_EQ(dates(charges.requests().back().metadata["recordIDs"]),
            std::make_pair(std::string("2024-01-31"), std::string("2025-01-31")));
}

TEST_F(CampusPluginTest, JwtModeChecksTheTokensSubject) {
  start(Json{{"auth", "jwt"}});
  const Json list = {{"userID", "10129580"}, {"type", 0}, {"payType", 0}};
  EXPECT_EQ(message(call("SearchPayPackages", list)), "未登录或登录已过期,请重新登录");
  EXPECT_EQ(message(call("SearchPayPackages", list, "10129581")), "无权操作该用户: 10129580");
  EXPECT_EQ(call("SearchPayPackages", list, "10129580")["error"], 0);
  EXPECT_EQ(message(call("PayMoney", pay_body("10000001", 15800), "10129581")),
            "无权操作该用户: 10129580");
  Json r = call("PayMoney", pay_body("10000001", 15800), "10129580");
  ASSERT_EQ(r["error"], 0);
  ASSERT_TRUE(host_.charge_core.settle(r["data"]["chargeData"]["charge"]["id"]));
  const std::string id = r["data"]["recordIDs"];
  EXPECT_EQ(call("SearchSuccessData", Json{{"ids", id}}, "10129580")["error"], 0);
  EXPECT_EQ(message(call("SearchSuccessData", Json{{"ids", id}}, "10129581")),
            "付款记录不存在: " + id);
  // An admin (school staff) may act for any student.
  sdk::HttpRequest admin;
  admin.method = "POST";
  admin.path = "/api/Pay/SearchSuccessData";
  admin.body = Json{{"ids", id}}.dump();
  admin.principal = sdk::Principal{"1", true};
  EXPECT_EQ(Json::parse(routes_["/api/Pay/SearchSuccessData"].handler(admin).body)["error"], 0);
  EXPECT_EQ(
      Json::parse(
          plugin_.auth_failure(sdk::make_error(sdk::ErrorKind::unauthorized, "x", "expired")).body),
      (Json{{"error", 1}, {"message", "登录已失效,请重新登录"}}));
}

TEST_F(CampusPluginTest, ApiKeyModeNeedsTheSharedKey) {
  start(Json{{"auth", "api_key"}, {"api_key", "school-backend-key-0123"}, {"web_path", "/campus"}});
  ASSERT_TRUE(routes_.contains("/campus/api/Pay/SearchPayPackages"));
  const std::string body = Json{{"userID", "10129580"}, {"type", 0}, {"payType", 0}}.dump();
  auto r = raw("/campus/api/Pay/SearchPayPackages", body);
  EXPECT_EQ(Json::parse(r.body), (Json{{"error", 1}, {"message", "API密钥错误"}}));
  r = raw("/campus/api/Pay/SearchPayPackages", body, "application/json", std::nullopt,
          {{"X-Api-Key", "school-backend-key-0124"}});
  EXPECT_EQ(Json::parse(r.body)["error"], 1);
  r = raw("/campus/api/Pay/SearchPayPackages", body, "application/json", std::nullopt,
          {{"X-Api-Key", "school-backend-key-0123"}});
  EXPECT_EQ(Json::parse(r.body)["error"], 0) << r.body;
}

TEST_F(CampusPluginTest, NoneModeLogsAWarningAtStart) {
  start();
  EXPECT_TRUE(host_.log.contains("auth is none", sdk::LogLevel::warn)) << host_.log.dump();
}

TEST_F(CampusPluginTest, StartFailsOnABadCatalogueNamingTheKey) {
  Json c = test_catalogue(0);
  c["packages"]["card"][0]["price"] = 158.0;
  auto st = plugin_.start(sdk::Options(Json{{"catalogue", c}}), host_);
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("catalogue.packages.card[0].price"), std::string::npos);
}

TEST_F(CampusPluginTest, ImportIsAllOrNothing) {
  start();
  std::string err;
  EXPECT_EQ(import("userID,empName,mobile\n"
                   "10129580,陈雅诺,13811111111\n"
                   "10129582,,13822222222\n"
                   "10129583,王五,oops\n",
                   &err),
            1);
  EXPECT_NE(err.find("campus-roster.csv: line 3: empName is empty"), std::string::npos) << err;
  EXPECT_NE(err.find("campus-roster.csv: line 4: mobile \"oops\""), std::string::npos) << err;
  EXPECT_NE(err.find("nothing imported"), std::string::npos);
  // Line 2 was valid but not applied.
  Json r = call("PayMoney", pay_body("20000002", 300));
  ASSERT_EQ(r["error"], 0);
  ASSERT_TRUE(host_.charge_core.settle(r["data"]["chargeData"]["charge"]["id"]));
  EXPECT_EQ(success(r["data"]["recordIDs"])["data"]["mobile"], "13800000001");

  std::string out;
  const std::string path = ::testing::TempDir() + "campus-import-ok.csv";
  std::ofstream(path) << "userID,empName,gradeName\n10129580,陈雅诺,高二\n20000000,新同学,初一\n";
  EXPECT_EQ(command("import", {path}, &out), 0);
  EXPECT_NE(out.find("imported 2 students (1 added, 1 updated)"), std::string::npos) << out;
  std::remove(path.c_str());
  // Columns absent from the file are kept.
  EXPECT_EQ(success(r["data"]["recordIDs"])["data"]["imei"], "860000001");
  EXPECT_EQ(success(r["data"]["recordIDs"])["data"]["gradeName"], "高二");
  EXPECT_EQ(command("import", {}, &out, &err), 2);
  EXPECT_EQ(command("import", {"/nonexistent.csv"}, &out, &err), 1);
}

TEST_F(CampusPluginTest, ExportWritesPaidRecordsInTheRange) {
  start();
  const std::string a = buy("10000001", 15800);
  call("PayMoney", pay_body("10000003", 1));  // pending: not exported
  host_.time.set(beijing(2024, 2, 2, 1));
  const std::string b = buy("20000002", 300);
  std::string out, err;
  ASSERT_EQ(command("export", {"--from", "2024-01-01", "--to", "2024-01-31"}, &out, &err), 0)
      << err;
  EXPECT_EQ(out,
            "recordID,paidDate,paidAt,userID,empName,gradeName,className,type,payType,projectName,"
            "itemID,itemName,amountFen,amountYuan,channel,chargeID,payStartDate,payEndDate,"
            "mobile\r\n" +
                a + ",2024-01-31," + std::to_string(beijing(2024, 1, 31)) +
                ",10129580,陈雅诺,高一,1班,card,buy,智慧校园一卡通,10000001,A套餐-不含定位,15800,"
                "158.00,testpay,ch_000000000000000000000001,2024-01-31,2025-01-31,13800000001\r\n");
  ASSERT_EQ(command("export", {"--from=2024-01-01", "--to=2024-12-31"}, &out, &err), 0);
  EXPECT_NE(out.find(b + ",2024-02-02,"), std::string::npos) << out;
  EXPECT_NE(out.find(",sms,buy,"), std::string::npos);
  const std::string file = ::testing::TempDir() + "campus-export.csv";
  ASSERT_EQ(
      command("export", {"--from", "2024-01-01", "--to", "2024-12-31", "--out", file}, &out, &err),
      0);
  EXPECT_EQ(out, "exported 2 records to " + file + "\n");
  std::remove(file.c_str());
  EXPECT_EQ(command("export", {"--from", "2024-02-30", "--to", "2024-03-01"}, &out, &err), 2);
  EXPECT_EQ(command("export", {"--from", "2024-03-01", "--to", "2024-02-01"}, &out, &err), 2);
  EXPECT_EQ(command("export", {"--to", "2024-03-01"}, &out, &err), 2);
  EXPECT_EQ(
      command("export", {"--from", "2024-01-01", "--to", "2024-03-01", "--bogus", "1"}, &out, &err),
      2);
}

TEST_F(CampusPluginTest, AdminRoutesAreForAdminsOnly) {
  start(Json{{"auth", "jwt"}});
  for (const char* path : {"/admin/orders", "/admin/orders.csv"}) {
    ASSERT_TRUE(routes_.contains(path)) << path;
    EXPECT_EQ(routes_[path].method, "GET");
    // The host admits an admin token or a console session; anyone else never gets here.
    EXPECT_EQ(routes_[path].auth, sdk::AuthPolicy::admin) << path;
    // Wired without the host's check, the handler still answers nothing.
    auto none = get(path, {}, std::nullopt);
    EXPECT_EQ(none.status, 401) << none.body;
    EXPECT_EQ(Json::parse(none.body)["error"], 1);
    auto user = get(path, {}, false);
    EXPECT_EQ(user.status, 403) << user.body;
    EXPECT_EQ(Json::parse(user.body)["message"], "无权访问");
  }
  // The shop's own routes keep their optional policy: the campus auth mode decides.
  EXPECT_EQ(routes_["/api/Pay/PayMoney"].auth, sdk::AuthPolicy::optional);
  // What the host sends when it refuses an admin route: the envelope, with the status.
  auto refused = plugin_.auth_failure(
      sdk::make_error(sdk::ErrorKind::forbidden, "forbidden", "This action is unauthorized."));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(Json::parse(refused.body), (Json{{"error", 1}, {"message", "无权访问"}}));
  EXPECT_EQ(plugin_.auth_failure(sdk::make_error(sdk::ErrorKind::unauthorized, "x", "y")).status,
            401);
}

TEST_F(CampusPluginTest, AdminOrdersListsNewestFirstWithWhatWasBought) {
  start(Json::object(), 1);
  const std::string first = buy("10000001,10000003", 15801);
  host_.time.set(beijing(2024, 1, 31, 23) + 59 * 60 + 30);  // 23:59:30 Beijing
  Json r = call("PayMoney", pay_body("20000002", 300));     // pending, bought before midnight
  ASSERT_EQ(r["error"], 0) << r.dump();
  const std::string pending_record = r["data"]["recordIDs"];
  host_.time.set(beijing(2024, 2, 1, 0) + 30);  // the next school day

  Json page = orders({{"from", "2024-01-31"}, {"to", "2024-01-31"}});
  EXPECT_EQ(page["page"], 1);
  EXPECT_EQ(page["has_more"], false);
  EXPECT_EQ(page["from"], "2024-01-31");
  EXPECT_EQ(page["to"], "2024-01-31");
  EXPECT_EQ(page["utc_offset_minutes"], 480);
  ASSERT_EQ(page["orders"].size(), 2u) << page.dump();
  const Json& newest = page["orders"][0];
  EXPECT_EQ(newest["status"], "pending");
  EXPECT_EQ(newest["created_at"], "2024-01-31T23:59:30+08:00");
  EXPECT_TRUE(newest["paid_at"].is_null());
  EXPECT_EQ(newest["packages"],
            Json::parse(R"([{"record_id":")" + pending_record +
                        R"(","item_id":"20000002","name":"短信月包","type":"sms","amount":300}])"));
  const Json& paid = page["orders"][1];
  EXPECT_EQ(paid["status"], "paid");
  EXPECT_EQ(paid["charge_id"], "ch_000000000000000000000001");
  EXPECT_EQ(paid["user_id"], "10129580");
  EXPECT_EQ(paid["emp_name"], "陈雅诺");
  EXPECT_EQ(paid["pay_type"], "buy");
  EXPECT_EQ(paid["channel"], "testpay");
  EXPECT_EQ(paid["amount"], 15801);
  EXPECT_EQ(paid["created_at"], "2024-01-31T10:00:00+08:00");
  EXPECT_EQ(paid["paid_at"], "2024-01-31T10:00:00+08:00");
  ASSERT_EQ(paid["packages"].size(), 2u);
  EXPECT_EQ(paid["packages"][0]["record_id"], first.substr(0, first.find(',')));
  EXPECT_EQ(paid["packages"][0]["name"], "A套餐-不含定位");
  EXPECT_EQ(paid["packages"][0]["amount"], 15800);
  EXPECT_EQ(paid["packages"][1]["item_id"], "10000003");
  EXPECT_EQ(paid["packages"][1]["type"], "card");

  // The school's day ends at midnight Beijing time, not UTC.
  EXPECT_EQ(orders({{"from", "2024-02-01"}, {"to", "2024-02-01"}})["orders"].size(), 0u);
  EXPECT_EQ(orders({{"from", "2024-01-30"}, {"to", "2024-01-30"}})["orders"].size(), 0u);
  // Status filter.
  Json only_paid = orders({{"from", "2024-01-31"}, {"to", "2024-01-31"}, {"status", "paid"}});
  ASSERT_EQ(only_paid["orders"].size(), 1u);
  EXPECT_EQ(only_paid["orders"][0]["id"], paid["id"]);
  EXPECT_EQ(orders({{"from", "2024-01-31"}, {"status", "closed"}})["orders"].size(), 0u);
}

TEST_F(CampusPluginTest, AdminOrdersPagesByFiftyAndDefaultsToTheLastThirtyDays) {
  start();
  const std::int64_t t0 = beijing(2024, 1, 31, 8);
  for (int i = 0; i < 55; ++i) {
    host_.time.set(t0 + i);
    ASSERT_EQ(call("PayMoney", pay_body("10000003", 1))["error"], 0);
  }
  host_.time.set(beijing(2024, 1, 2, 9));  // the first day of the default range
  ASSERT_EQ(call("PayMoney", pay_body("10000003", 1))["error"], 0);
  host_.time.set(beijing(2024, 1, 1, 9));  // one day before it
  ASSERT_EQ(call("PayMoney", pay_body("10000003", 1))["error"], 0);
  host_.time.set(beijing(2024, 1, 31, 20));  // "today" is 2024-01-31

  Json p1 = orders();
  EXPECT_EQ(p1["from"], "2024-01-02");
  EXPECT_EQ(p1["to"], "2024-01-31");
  ASSERT_EQ(p1["orders"].size(), 50u);
  EXPECT_EQ(p1["has_more"], true);
  EXPECT_EQ(p1["orders"][0]["created_at"], "2024-01-31T08:00:54+08:00");
  EXPECT_EQ(p1["orders"][49]["created_at"], "2024-01-31T08:00:05+08:00");
  Json p2 = orders({{"page", "2"}});
  EXPECT_EQ(p2["page"], 2);
  ASSERT_EQ(p2["orders"].size(), 6u);
  EXPECT_EQ(p2["has_more"], false);
  EXPECT_EQ(p2["orders"][4]["created_at"], "2024-01-31T08:00:00+08:00");
  EXPECT_EQ(p2["orders"][5]["created_at"], "2024-01-02T09:00:00+08:00");
  std::set<std::string> ids;
  for (const Json* page : {&p1, &p2})
    for (const auto& o : (*page)["orders"])
      ids.insert(o["id"].get<std::string>());
  EXPECT_EQ(ids.size(), 56u);  // no order on both pages
  EXPECT_EQ(orders({{"page", "3"}})["orders"].size(), 0u);
  // Only `to`: the 30 days ending there; only `from`: up to today.
  Json jan1 = orders({{"to", "2024-01-01"}});
  EXPECT_EQ(jan1["from"], "2023-12-03");
  EXPECT_EQ(jan1["orders"].size(), 1u);
  Json all = orders({{"from", "2024-01-01"}, {"page", "2"}});
  EXPECT_EQ(all["orders"].size(), 7u);
  EXPECT_EQ(all["orders"][6]["created_at"], "2024-01-01T09:00:00+08:00");
}

TEST_F(CampusPluginTest, AdminOrdersRefusesBadParameters) {
  start();
  auto refused = [&](std::map<std::string, std::string> query) {
    auto response = get("/admin/orders", query);
    EXPECT_EQ(response.status, 400) << response.body;
    Json body = Json::parse(response.body);
    EXPECT_EQ(body["error"], 1);
    return body.value("message", "");
  };
  EXPECT_EQ(refused({{"from", "2024-02-30"}}), "参数错误: from 必须是日期 YYYY-MM-DD");
  EXPECT_EQ(refused({{"to", "2024/01/01"}}), "参数错误: to 必须是日期 YYYY-MM-DD");
  EXPECT_EQ(refused({{"from", "2024-01-01' OR 1=1 --"}}), "参数错误: from 必须是日期 YYYY-MM-DD");
  EXPECT_EQ(refused({{"from", "2024-02-01"}, {"to", "2024-01-31"}}), "参数错误: to 早于 from");
  EXPECT_EQ(refused({{"from", "2023-01-30"}, {"to", "2024-01-31"}}),
            "参数错误: 日期范围不能超过 366 天");
  for (const char* page : {"0", "-1", "1.5", "x", "1000000", "99999999999999999999"}) {
    EXPECT_EQ(refused({{"page", page}}), "参数错误: page 必须是 1 到 100000 的整数") << page;
  }
  EXPECT_EQ(refused({{"status", "PAID"}}), "参数错误: status 只能是 pending/paid/failed/closed");
  // 366 days (a leap year) is allowed, and so is the last page number.
  EXPECT_EQ(get("/admin/orders", {{"from", "2024-01-01"}, {"to", "2024-12-31"}}).status, 200);
  EXPECT_EQ(get("/admin/orders", {{"page", "100000"}}).status, 200);
  auto csv = get("/admin/orders.csv", {{"from", "2024-01-31"}, {"to", "2024-01-01"}});
  EXPECT_EQ(csv.status, 400);
  EXPECT_EQ(Json::parse(csv.body)["message"], "参数错误: to 早于 from");
}

TEST_F(CampusPluginTest, AdminCsvIsTheExportAndDefusesFormulas) {
  start();
  ASSERT_EQ(import("userID,empName,gradeName,className\n"
                   "-42,=HYPERLINK(\"http://x\"),+1,@SUM(A1)\n"),
            0);
  buy("10000001", 15800);
  buy("10000003", 1, 0, "-42", "=HYPERLINK(\"http://x\")");
  std::string cli, err;
  ASSERT_EQ(command("export", {"--from", "2024-01-31", "--to", "2024-01-31"}, &cli, &err), 0)
      << err;
  // The CLI export defuses them too: a spreadsheet shows the text, never runs it.
  EXPECT_NE(
      cli.find(std::string(",1706666400,'-42,\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'@SUM(A1),")),
      std::string::npos)
      << cli;
  EXPECT_EQ(cli.find(",=HYPERLINK"), std::string::npos);

  auto response = get("/admin/orders.csv", {{"from", "2024-01-31"}, {"to", "2024-01-31"}});
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body, cli);
  EXPECT_EQ(response.headers.get("Content-Type").value_or(""), "text/csv; charset=utf-8");
  EXPECT_EQ(response.headers.get("Content-Disposition").value_or(""),
            "attachment; filename=\"campus-orders-2024-01-31-2024-01-31.csv\"");
  // Defaults: the last 30 days, as the listing.
  auto recent = get("/admin/orders.csv");
  ASSERT_EQ(recent.status, 200);
  EXPECT_EQ(recent.body, cli);
  EXPECT_EQ(recent.headers.get("Content-Disposition").value_or(""),
            "attachment; filename=\"campus-orders-2024-01-02-2024-01-31.csv\"");
  auto none = get("/admin/orders.csv", {{"from", "2024-02-01"}, {"to", "2024-02-29"}});
  EXPECT_EQ(none.body.substr(0, 9), "recordID,");
  EXPECT_EQ(none.body.find("\r\n"), none.body.size() - 2);  // the header row only
}

}  // namespace
}  // namespace payhost::campus
