// End to end with the real channels in test mode and the sandbox cashier: token ->
// recharge -> cashier pays -> signed notification -> balance and record -> withdrawal ->
// admin refuses -> balance restored -> `payhostd wallet audit` clean.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "wallet_test_util.hpp"

namespace payhost::wallet::testing {
namespace {

const char* const kAlipayPlugins = R"(  sandbox: {}
  sandbox_alipay: {}
  alipay:
    channels: [alipay, alipay_wap, alipay_pc_direct, alipay_qr]
)";

const char* const kWechatPlugins = R"(  sandbox: {}
  sandbox_wechat: {}
  wechat:
    channels: [wx, wx_wap]
)";

const char* const kUnionpayPlugins = R"(  sandbox: {}
  sandbox_unionpay: {}
  unionpay:
    channels: [applepay_upacp, upacp, upacp_wap, upacp_pc]
)";

// Default wallet options apart from the rate limit: the default recharge_type lists every
// ThinkSNS+ channel, so what GET /wallet shows is exactly what the Alipay plugin enabled.
const char* const kWalletOptions = "      cash: [alipay, wechat]\n";

// What the sandbox cashier answers when the tester presses "pay" (JSON flavour). An HTML
// answer is reported but tolerated, so one regression in header passing does not hide
// whether the money arrived.
Json pay_at_cashier(const Payhostd& host, const std::string& charge_id) {
  const HttpResult r = host.request("POST", "/sandbox/cashier/" + charge_id + "/pay", "",
                                    {"Accept: application/json"});
  EXPECT_EQ(r.status, 200) << r.body;
  const Json answer = Json::parse(r.body, nullptr, false);
  if (answer.is_object()) return answer;
  ADD_FAILURE() << "the cashier did not answer JSON to Accept: application/json: "
                << r.body.substr(0, 200);
  const bool accepted = r.body.find("accepted (success)") != std::string::npos;
  return Json{{"paid", r.status == 200}, {"notified", accepted}, {"repeated", accepted}};
}

// The notification is delivered before the cashier answers, but a host is free to settle
// asynchronously: poll for a short while.
Json wait_for_settled(const WalletClient& api, std::int64_t record_id, const std::string& token) {
  Json rec;
  for (int i = 0; i < 100; ++i) {
    const HttpResult r = api.get("/api/v2/wallet/charges/" + std::to_string(record_id), token);
    if (r.status == 200) {
      rec = r.json();
      if (rec["status"] == 1) return rec;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return rec;
}

// ThinkSNS+'s WalletRechargeAlipayController (docs/api/wallet.md): the web payments want a
// PHP array with a success_url, the app payment never reads extra.
TEST(WalletEndToEnd, RechargeExtraShapesAnswerAsThinkSnsDid) {
  auto host = start_host(wallet_config(kWalletOptions, kAlipayPlugins));
  WalletClient api(*host);
  const std::string token = api.token(next_user());
  const std::string url = "https://plus.example/wallet/done";
  struct Shape {
    const char* name;
    std::optional<Json> extra;
    const char* web_answer;  // nullptr: 201
  };
  const std::vector<Shape> shapes = {
      {"absent", std::nullopt, "请求参数不合法"},
      {"null", Json(nullptr), "请求参数不合法"},
      {"[]", Json::array(), "extra.success_url 必须存在"},
      {"{}", Json::object(), "extra.success_url 必须存在"},
      {"a string", Json(url), "请求参数不合法"},
      {"a number", Json(7), "请求参数不合法"},
      {"an empty success_url", Json{{"success_url", ""}}, "extra.success_url 必须存在"},
      {"a success_url", Json{{"success_url", url}}, nullptr}};
  for (const Shape& shape : shapes) {
    for (const char* type : {"alipay_wap", "alipay_pc_direct", "alipay"}) {
      Json body = {{"type", type}, {"amount", 100}};
      if (shape.extra) body["extra"] = *shape.extra;
      const HttpResult r = api.post("/api/v2/wallet/recharge", body, token);
      const bool app = std::string(type) == "alipay";
      if (!app && shape.web_answer != nullptr) {
        EXPECT_TRUE(has_message(r, 422, shape.web_answer)) << type << ", extra " << shape.name;
        continue;
      }
      ASSERT_EQ(r.status, 201) << type << ", extra " << shape.name << ": " << r.body;
      const Json charge = r.json()["charge"];
      EXPECT_EQ(charge["extra"], app ? Json::object() : *shape.extra)
          << type << ", extra " << shape.name;
    }
  }
}

TEST(WalletEndToEnd, AlipayRechargeWithdrawalRefusalAndAudit) {
  auto host = start_host(wallet_config(kWalletOptions, kAlipayPlugins));
  WalletClient api(*host);
  const std::string user = next_user();
  const std::string token = api.token(user);
  const std::string admin = api.token("1");

  const HttpResult info = api.get("/api/v2/wallet", token);
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.json()["recharge_type"],
            Json::array({"alipay", "alipay_wap", "alipay_pc_direct", "alipay_qr"}));
  EXPECT_EQ(info.json()["balance"], 0);

  // Every Alipay channel makes a charge its client SDK can use.
  EXPECT_TRUE(has_message(
      api.post("/api/v2/wallet/recharge",
               {{"type", "alipay_wap"}, {"amount", 100}, {"extra", Json::object()}}, token),
      422, "extra.success_url 必须存在"));
  const Json success = {{"success_url", "https://plus.example/wallet/done"}};
  const Recharge app = api.recharge(token, "alipay", 100);
  const Recharge wap = api.recharge(token, "alipay_wap", 200, success);
  const Recharge pc = api.recharge(token, "alipay_pc_direct", 300, success);
  const Recharge qr = api.recharge(token, "alipay_qr", 400);
  for (const Recharge* r : {&app, &wap, &pc, &qr}) {
    ASSERT_EQ(r->response.status, 201) << r->response.body;
  }
  auto credential = [](const Recharge& r) {
    const Json charge = r.response.json()["charge"];
    return charge["credential"][charge["channel"].get<std::string>()];
  };
  EXPECT_FALSE(credential(app)["orderInfo"].get<std::string>().empty());
  EXPECT_FALSE(credential(wap)["channel_url"].get<std::string>().empty());
  EXPECT_FALSE(credential(pc)["channel_url"].get<std::string>().empty());
  EXPECT_TRUE(credential(qr).is_string() && !credential(qr).get<std::string>().empty());
  EXPECT_EQ(api.balance(token), 0) << "nothing is credited before payment";

  // The tester pays each charge at the sandbox cashier; the signed notification settles it.
  std::int64_t total = 0;
  for (const Recharge* r : {&app, &wap, &pc, &qr}) {
    const Json paid = pay_at_cashier(*host, r->charge_id);
    EXPECT_EQ(paid.value("paid", false), true) << paid.dump();
    EXPECT_EQ(paid.value("notified", false), true) << paid.dump();
    const Json rec = wait_for_settled(api, r->record_id, token);
    ASSERT_EQ(rec["status"], 1) << rec.dump();
    if (paid.contains("trade_no")) {
      EXPECT_EQ(rec["transaction_no"], paid["trade_no"]);
    } else {
      EXPECT_TRUE(rec["transaction_no"].is_string()) << rec.dump();
    }
    EXPECT_EQ(rec["charge_id"], r->charge_id);
    // The buyer's Alipay account, as the channel reported it.
    EXPECT_TRUE(rec["account"].is_string() && !rec["account"].get<std::string>().empty())
        << rec.dump();
    total += rec["amount"].get<std::int64_t>();
  }
  EXPECT_EQ(total, 1000);
  EXPECT_EQ(api.balance(token), 1000);

  // Paying again re-sends the notification: a duplicate the wallet shrugs off.
  const Json again = pay_at_cashier(*host, app.charge_id);
  EXPECT_EQ(again.value("repeated", false), true) << again.dump();
  EXPECT_EQ(api.balance(token), 1000);
  // Retrieve on a settled payment changes nothing.
  EXPECT_EQ(
      api.get("/api/v2/wallet/charges/" + std::to_string(app.record_id) + "?mode=retrieve", token)
          .json()["status"],
      1);
  EXPECT_EQ(api.balance(token), 1000);

  // Withdraw, and the admin refuses: the money comes back once, with a ledger row.
  const HttpResult cash =
      api.cash(token, {{"value", 300}, {"type", "alipay"}, {"account", "me@alipay"}});
  ASSERT_EQ(cash.status, 201) << cash.body;
  EXPECT_EQ(api.balance(token), 700);
  const HttpResult cashes = api.get("/api/v2/wallet/cashes", token);
  ASSERT_EQ(cashes.status, 200);
  const std::string cash_id = cashes.json()[0]["id"].dump();
  const HttpResult refused = api.patch("/api/v2/admin/wallet/cashes/" + cash_id + "/refuse",
                                       {{"remark", "账户有误"}}, admin);
  EXPECT_TRUE(has_message(refused, 201, Json::array({"操作成功"})));
  EXPECT_EQ(api.balance(token), 1000);
  EXPECT_EQ(
      api.patch("/api/v2/admin/wallet/cashes/" + cash_id + "/refuse", {{"remark", "x"}}, admin)
          .status,
      409);
  EXPECT_EQ(api.balance(token), 1000);

  // Four recharges, one withdrawal, one refund: six settled ledger rows that add up.
  const HttpResult records = api.get("/api/v2/wallet/charges", token);
  ASSERT_EQ(records.status, 200);
  EXPECT_EQ(records.json().size(), 6u);
  std::string out;
  EXPECT_EQ(api.audit(&out), 0) << out;
  EXPECT_NE(out.find("clean"), std::string::npos) << out;
}

// The ThinkSNS+ wallet listed wx and wx_wap and answered 500 for both; with the WeChat Pay
// plugin enabled they are offered and settle like any other channel, exactly once.
TEST(WalletEndToEnd, WechatRechargesAreOfferedPaidAndCreditedOnce) {
  auto host = start_host(wallet_config(kWalletOptions, kWechatPlugins));
  WalletClient api(*host);
  const std::string token = api.token(next_user());

  const HttpResult info = api.get("/api/v2/wallet", token);
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.json()["recharge_type"], Json::array({"wx", "wx_wap"}));

  const Recharge app = api.recharge(token, "wx", 100);
  const Recharge wap = api.recharge(token, "wx_wap", 250);
  for (const Recharge* r : {&app, &wap}) {
    ASSERT_EQ(r->response.status, 201) << r->response.body;
  }
  const Json app_charge = app.response.json()["charge"];
  EXPECT_EQ(app_charge["credential"]["wx"].value("packageValue", ""), "Sign=WXPay")
      << app_charge.dump();
  const Json wap_charge = wap.response.json()["charge"];
  EXPECT_TRUE(wap_charge["credential"]["wx_wap"].is_string()) << wap_charge.dump();
  EXPECT_EQ(api.balance(token), 0);

  for (const Recharge* r : {&app, &wap}) {
    const Json paid = pay_at_cashier(*host, r->charge_id);
    EXPECT_EQ(paid.value("notify_status", 0), 200) << paid.dump();
    const Json rec = wait_for_settled(api, r->record_id, token);
    ASSERT_EQ(rec["status"], 1) << rec.dump();
    EXPECT_EQ(rec["transaction_no"], paid["trade_no"]);
    EXPECT_EQ(rec["charge_id"], r->charge_id);
  }
  EXPECT_EQ(api.balance(token), 350);

  // WeChat's duplicate: the notification again, the balance unchanged.
  const Json again = pay_at_cashier(*host, app.charge_id);
  EXPECT_EQ(again.value("repeated", false), true) << again.dump();
  EXPECT_EQ(api.balance(token), 350);
  std::string out;
  EXPECT_EQ(api.audit(&out), 0) << out;
}

// Apple Pay through UnionPay (the seed's example) and UnionPay's own app payment: offered
// when the UnionPay plugin enables them (its web channels are not wallet recharge types by
// default), the record keeps the tn as transaction_no at creation as ThinkSNS+ did, and the
// notification settles it once, replacing the tn with UnionPay's queryId.
TEST(WalletEndToEnd, UnionpayRechargesKeepTheTnThenSettleOnceWithTheQueryId) {
  auto host = start_host(wallet_config(kWalletOptions, kUnionpayPlugins));
  WalletClient api(*host);
  const std::string token = api.token(next_user());

  const HttpResult info = api.get("/api/v2/wallet", token);
  ASSERT_EQ(info.status, 200) << info.body;
  EXPECT_EQ(info.json()["recharge_type"], Json::array({"applepay_upacp", "upacp"}));

  // App payments never read extra, as the seed's Apple Pay controller did not.
  const Recharge apple =
      api.recharge(token, "applepay_upacp", 100, Json{{"success_url", "https://plus.example/"}});
  const Recharge app = api.recharge(token, "upacp", 250);
  for (const Recharge* r : {&apple, &app}) {
    ASSERT_EQ(r->response.status, 201) << r->response.body;
  }
  const Json apple_charge = apple.response.json()["charge"];
  EXPECT_EQ(apple_charge["extra"], Json::object());
  EXPECT_EQ(apple_charge["credential"]["applepay_upacp"].value("merchant_id", ""),
            "merchant.com.payhost.sandbox")
      << apple_charge.dump();
  EXPECT_EQ(api.balance(token), 0);

  for (const Recharge* r : {&apple, &app}) {
    SCOPED_TRACE(r->charge_id);
    const Json charge = r->response.json()["charge"];
    const std::string tn =
        charge["credential"][charge["channel"].get<std::string>()].value("tn", "");
    ASSERT_EQ(tn.size(), 21u) << charge.dump();
    const HttpResult pending =
        api.get("/api/v2/wallet/charges/" + std::to_string(r->record_id), token);
    ASSERT_EQ(pending.status, 200) << pending.body;
    EXPECT_EQ(pending.json()["status"], 0);
    EXPECT_EQ(pending.json()["transaction_no"], tn) << "the seed keeps the tn at creation";
    EXPECT_EQ(pending.json()["charge_id"], r->charge_id);

    const Json paid = pay_at_cashier(*host, r->charge_id);
    EXPECT_EQ(paid.value("notify_status", 0), 200) << paid.dump();
    const Json rec = wait_for_settled(api, r->record_id, token);
    ASSERT_EQ(rec["status"], 1) << rec.dump();
    EXPECT_EQ(rec["transaction_no"], paid["trade_no"]) << "UnionPay's queryId once paid";
    EXPECT_NE(rec["transaction_no"], tn);
    EXPECT_EQ(rec["charge_id"], r->charge_id);
  }
  EXPECT_EQ(api.balance(token), 350);

  // UnionPay's duplicate: the notification again, the balance unchanged.
  const Json again = pay_at_cashier(*host, apple.charge_id);
  EXPECT_EQ(again.value("repeated", false), true) << again.dump();
  EXPECT_EQ(api.balance(token), 350);
  const HttpResult records = api.get("/api/v2/wallet/charges", token);
  ASSERT_EQ(records.status, 200);
  EXPECT_EQ(records.json().size(), 2u);
  std::string out;
  EXPECT_EQ(api.audit(&out), 0) << out;
}

}  // namespace
}  // namespace payhost::wallet::testing
