// The simulated WeChat Pay v3 API through the plugin's routes, on a fake host with an
// in-memory SQLite database: authentication, every error code, replays, signed answers,
// the trade and refund state machines, and concurrency.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "harness.hpp"
#include "trade_store.hpp"

namespace payhost::sandbox_wechat {
namespace {

using sdk::Json;
using testing::Answer;
using testing::Harness;
using testing::Signing;

const std::string kApp = "/v3/pay/transactions/app";

void expect_error(const Harness& h, const Answer& a, int status, const std::string& code) {
  EXPECT_EQ(a.status, status) << a.body;
  ASSERT_TRUE(a.json.is_object()) << a.body;
  EXPECT_EQ(a.json.value("code", ""), code) << a.body;
  EXPECT_FALSE(a.json.value("message", "").empty()) << a.body;
  EXPECT_TRUE(h.signed_by_platform(a)) << "errors are signed too";
}

class Api : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(h.started.ok()) << h.started.error().message; }

  // Marks a trade paid as the cashier would.
  void pay(const std::string& out_trade_no) {
    TradeStore store(h.host.db);
    auto paid = store.pay("1230000109", out_trade_no, "oPAYER", h.host.time.now());
    ASSERT_TRUE(paid.ok());
    ASSERT_EQ(paid->change, TradeStore::Change::done);
  }

  Harness h;
};

TEST_F(Api, EachPrepayKindAnswersItsShapeSigned) {
  const Answer app = h.post(kApp, Harness::prepay_body("app", "order_app_1", 100));
  ASSERT_EQ(app.status, 200) << app.body;
  EXPECT_TRUE(h.signed_by_platform(app));
  EXPECT_EQ(app.json.size(), 1u);
  const std::string prepay_id = app.json.value("prepay_id", "");
  EXPECT_EQ(prepay_id.size(), 36u);
  EXPECT_EQ(prepay_id.substr(0, 16), "wx20231221145437");
  EXPECT_EQ(app.headers.get("Content-Type").value_or(""), "application/json; charset=utf-8");

  const Answer jsapi =
      h.post("/v3/pay/transactions/jsapi", Harness::prepay_body("jsapi", "order_jsapi_1", 100));
  ASSERT_EQ(jsapi.status, 200) << jsapi.body;
  EXPECT_TRUE(h.signed_by_platform(jsapi));
  EXPECT_EQ(jsapi.json.value("prepay_id", "").substr(0, 2), "wx");

  const Answer h5 =
      h.post("/v3/pay/transactions/h5", Harness::prepay_body("h5", "order_h5_1", 100));
  ASSERT_EQ(h5.status, 200) << h5.body;
  EXPECT_TRUE(h.signed_by_platform(h5));
  const std::string h5_url = h5.json.value("h5_url", "");
  EXPECT_EQ(h5_url.rfind("https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx", 0),
            0u)
      << h5_url;
  EXPECT_NE(h5_url.find("&package="), std::string::npos);

  const Answer native =
      h.post("/v3/pay/transactions/native", Harness::prepay_body("native", "order_native_1", 100));
  ASSERT_EQ(native.status, 200) << native.body;
  EXPECT_TRUE(h.signed_by_platform(native));
  const std::string code_url = native.json.value("code_url", "");
  EXPECT_EQ(code_url.size(), std::string("weixin://wxpay/bizpayurl?pr=").size() + 7);
  EXPECT_EQ(code_url.rfind("weixin://wxpay/bizpayurl?pr=", 0), 0u);
}

TEST_F(Api, SameOrderAgainIsAReplayOtherContentIsInvalidRequest) {
  const Json body = Harness::prepay_body("native", "order_replay_1", 250);
  const Answer first = h.post("/v3/pay/transactions/native", body);
  ASSERT_EQ(first.status, 200);
  // Other notify_url, time_expire and attach do not make it another order.
  Json again = body;
  again["notify_url"] = "https://elsewhere.example/n";
  again.erase("time_expire");
  const Answer replay = h.post("/v3/pay/transactions/native", again);
  ASSERT_EQ(replay.status, 200) << replay.body;
  EXPECT_EQ(replay.json["code_url"], first.json["code_url"]);

  Json other_amount = body;
  other_amount["amount"]["total"] = 251;
  Json other_description = body;
  other_description["description"] = "另一件商品";
  Json other_app = body;
  other_app["appid"] = "wx2421b1c4370ec43b";
  Harness two_apps(Json{{"app_ids", {"wxd678efh567hg6787", "wx2421b1c4370ec43b"}}});
  ASSERT_EQ(two_apps.post("/v3/pay/transactions/native", body).status, 200);
  expect_error(two_apps, two_apps.post("/v3/pay/transactions/native", other_app), 400,
               "INVALID_REQUEST");
  for (const Json& conflicting : {other_amount, other_description}) {
    const Answer refused = h.post("/v3/pay/transactions/native", conflicting);
    expect_error(h, refused, 400, "INVALID_REQUEST");
  }
  // The same number under another kind of prepay.
  const Answer other_kind = h.post(kApp, Harness::prepay_body("app", "order_replay_1", 250));
  expect_error(h, other_kind, 400, "INVALID_REQUEST");
}

TEST_F(Api, AuthorizationFailuresAreSignError) {
  const Json body = Harness::prepay_body("app", "order_auth_1", 100);
  const std::string path = std::string(testing::kBase) + kApp;
  const std::int64_t now = h.host.time.now();
  std::string lower_serial = h.merchant_serial();
  for (auto& c : lower_serial)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  struct Case {
    const char* what;
    Signing signing;
  };
  const std::vector<Case> cases = {
      {"bad scheme", Signing{.header = "Bearer abc"}},
      {"missing pair",
       Signing{.header = "WECHATPAY2-SHA256-RSA2048 mchid=\"1230000109\",nonce_str=\"n\","
                         "timestamp=\"1\",serial_no=\"S\""}},
      {"unknown mchid", Signing{.mchid = "1900000109"}},
      {"wrong serial", Signing{.serial_no = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"}},
      {"lower-case serial", Signing{.serial_no = lower_serial}},
      {"timestamp 300 s old", Signing{.timestamp = now - 300}},
      {"timestamp 300 s ahead", Signing{.timestamp = now + 300}},
      {"other body", Signing{.signed_body = body.dump() + " "}},
      {"other path", Signing{.signed_url = "/v3/pay/transactions/app"}},
      {"other method", Signing{.signed_method = "GET"}},
      {"a stranger's key", Signing{.key_slot = 2}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.what);
    expect_error(h, h.call("POST", path, body.dump(), c.signing), 401, "SIGN_ERROR");
  }
  // The edges of the window are exclusive: 299 s either way passes.
  EXPECT_EQ(h.call("POST", path, body.dump(), Signing{.timestamp = now - 299}).status, 200);
  EXPECT_EQ(h.call("POST", path, body.dump(), Signing{.timestamp = now + 299}).status, 200);

  // A second Authorization header is ambiguous.
  const Answer twice = h.call("POST", path, body.dump(), {},
                              {{"authorization", h.authorization("POST", path, body.dump(), {})}});
  expect_error(h, twice, 401, "SIGN_ERROR");
  // Nothing was stored by the refused requests.
  TradeStore store(h.host.db);
  EXPECT_TRUE(store.find("1230000109", TradeKey{"order_auth_1", {}})->has_value());
  EXPECT_FALSE(store.find("1230000109", TradeKey{"order_auth_2", {}})->has_value());
}

TEST_F(Api, TheSignedUrlIsTheRawPathAndQuery) {
  ASSERT_EQ(h.post(kApp, Harness::prepay_body("app", "a|b*c-d_1", 100)).status, 200);
  // The client percent-encodes '|' and '*' in the path and signs what it sent.
  const std::string encoded = "/v3/pay/transactions/out-trade-no/a%7Cb%2Ac-d_1?mchid=1230000109";
  const Answer found = h.get(encoded);
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_EQ(found.json["out_trade_no"], "a|b*c-d_1");
  EXPECT_TRUE(h.signed_by_platform(found));
  // Signed over the decoded path instead, it fails: the URL line is the bytes sent.
  const Answer decoded_signed =
      h.get(encoded,
            Signing{.signed_url = std::string(testing::kBase) +
                                  "/v3/pay/transactions/out-trade-no/a|b*c-d_1?mchid=1230000109"});
  expect_error(h, decoded_signed, 401, "SIGN_ERROR");
  // Sent raw, the same trade is found.
  EXPECT_EQ(h.get("/v3/pay/transactions/out-trade-no/a|b*c-d_1?mchid=1230000109").status, 200);
  // The query is part of the signed URL.
  const Answer other_query =
      h.get(encoded,
            Signing{.signed_url = std::string(testing::kBase) + "/v3/pay/transactions/out-trade-no/"
                                                                "a%7Cb%2Ac-d_1"});
  expect_error(h, other_query, 401, "SIGN_ERROR");
}

TEST_F(Api, BadBodiesAreParamErrorNamingTheField) {
  Json body = Harness::prepay_body("app", "order_param_1", 100);
  body["amount"]["total"] = 0;
  const Answer zero = h.post(kApp, body);
  expect_error(h, zero, 400, "PARAM_ERROR");
  EXPECT_EQ(zero.json["detail"]["field"], "/amount/total");
  EXPECT_NE(zero.json["message"].get<std::string>().find("amount.total"), std::string::npos);

  const Answer no_openid =
      h.post("/v3/pay/transactions/jsapi", Harness::prepay_body("app", "order_param_2", 100));
  expect_error(h, no_openid, 400, "PARAM_ERROR");
  EXPECT_EQ(no_openid.json["detail"]["field"], "/payer");

  const std::string path = std::string(testing::kBase) + kApp;
  const Answer huge = h.call("POST", path, "{\"pad\":\"" + std::string(70000, 'a') + "\"}");
  expect_error(h, huge, 400, "PARAM_ERROR");
  const Answer not_json = h.call("POST", path, "appid=wx");
  expect_error(h, not_json, 400, "PARAM_ERROR");
}

TEST_F(Api, QueryAnswersTheTransaction) {
  ASSERT_EQ(h.post(kApp, Harness::prepay_body("app", "order_query_1", 300)).status, 200);
  const std::string path = "/v3/pay/transactions/out-trade-no/order_query_1?mchid=1230000109";
  const Answer unpaid = h.get(path);
  ASSERT_EQ(unpaid.status, 200) << unpaid.body;
  EXPECT_TRUE(h.signed_by_platform(unpaid));
  EXPECT_EQ(unpaid.json["trade_state"], "NOTPAY");
  EXPECT_EQ(unpaid.json["amount"]["total"], 300);
  EXPECT_FALSE(unpaid.json.contains("transaction_id"));

  pay("order_query_1");
  const Answer paid = h.get(path);
  ASSERT_EQ(paid.status, 200);
  EXPECT_EQ(paid.json["trade_state"], "SUCCESS");
  EXPECT_EQ(paid.json["transaction_id"].get<std::string>().size(), 28u);
  EXPECT_EQ(paid.json["transaction_id"].get<std::string>().substr(0, 4), "4200");
  EXPECT_EQ(paid.json["payer"]["openid"], "oPAYER");
  EXPECT_EQ(paid.json["success_time"], "2023-12-21T14:54:37+08:00");
  EXPECT_EQ(paid.json["attach"], "ch_order_query_1");

  expect_error(h, h.get("/v3/pay/transactions/out-trade-no/order_query_9?mchid=1230000109"), 404,
               "ORDER_NOT_EXIST");
  expect_error(h, h.get("/v3/pay/transactions/out-trade-no/order_query_1"), 400, "PARAM_ERROR");
  expect_error(h, h.get("/v3/pay/transactions/out-trade-no/order_query_1?mchid=1900000109"), 400,
               "PARAM_ERROR");
  expect_error(h, h.get("/v3/pay/transactions/out-trade-no/short?mchid=1230000109"), 400,
               "PARAM_ERROR");
  expect_error(h, h.get("/v3/pay/transactions/out-trade-no/order%ZZquery?mchid=1230000109"), 400,
               "PARAM_ERROR");
}

TEST_F(Api, CloseIs204SignedOverTheEmptyBodyAndRefusedOncePaid) {
  ASSERT_EQ(h.post(kApp, Harness::prepay_body("app", "order_close_1", 100)).status, 200);
  const Json mchid = {{"mchid", "1230000109"}};
  const Answer closed = h.post("/v3/pay/transactions/out-trade-no/order_close_1/close", mchid);
  EXPECT_EQ(closed.status, 204);
  EXPECT_EQ(closed.body, "");
  EXPECT_TRUE(h.signed_by_platform(closed)) << "ts\\nnonce\\n\\n";
  EXPECT_FALSE(closed.headers.get("Content-Type").has_value());
  // Closing again is still 204; the order is CLOSED; a prepay for it is refused.
  EXPECT_EQ(h.post("/v3/pay/transactions/out-trade-no/order_close_1/close", mchid).status, 204);
  EXPECT_EQ(
      h.get("/v3/pay/transactions/out-trade-no/order_close_1?mchid=1230000109").json["trade_state"],
      "CLOSED");
  expect_error(h, h.post(kApp, Harness::prepay_body("app", "order_close_1", 100)), 400,
               "ORDER_CLOSED");

  ASSERT_EQ(h.post(kApp, Harness::prepay_body("app", "order_close_2", 100)).status, 200);
  pay("order_close_2");
  const Answer paid = h.post("/v3/pay/transactions/out-trade-no/order_close_2/close", mchid);
  expect_error(h, paid, 400, "ORDERPAID");
  EXPECT_EQ(paid.json["message"], "该订单已支付");
  expect_error(h, h.post(kApp, Harness::prepay_body("app", "order_close_2", 100)), 400,
               "ORDERPAID");

  expect_error(h, h.post("/v3/pay/transactions/out-trade-no/order_close_9/close", mchid), 404,
               "ORDER_NOT_EXIST");
  expect_error(h,
               h.post("/v3/pay/transactions/out-trade-no/order_close_1/close",
                      Json{{"mchid", "1900000109"}}),
               400, "PARAM_ERROR");
}

Json refund_body(const std::string& out_trade_no, const std::string& out_refund_no,
                 long long refund, long long total) {
  return Json{{"out_trade_no", out_trade_no},
              {"out_refund_no", out_refund_no},
              {"reason", "退货"},
              {"amount", {{"refund", refund}, {"total", total}, {"currency", "CNY"}}}};
}

TEST_F(Api, RefundsAreIdempotentPerOutRefundNoAndBoundedByThePayment) {
  const std::string refunds = "/v3/refund/domestic/refunds";
  ASSERT_EQ(h.post(kApp, Harness::prepay_body("app", "order_refund_1", 1000)).status, 200);
  expect_error(h, h.post(refunds, refund_body("order_refund_1", "r1", 100, 1000)), 400,
               "INVALID_REQUEST");  // not paid yet
  pay("order_refund_1");

  const Answer first = h.post(refunds, refund_body("order_refund_1", "r1", 400, 1000));
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_TRUE(h.signed_by_platform(first));
  EXPECT_EQ(first.json["status"], "SUCCESS");
  EXPECT_EQ(first.json["amount"]["refund"], 400);
  EXPECT_EQ(first.json["refund_id"].get<std::string>().size(), 29u);
  const Answer replay = h.post(refunds, refund_body("order_refund_1", "r1", 400, 1000));
  ASSERT_EQ(replay.status, 200);
  EXPECT_EQ(replay.json["refund_id"], first.json["refund_id"]);
  expect_error(h, h.post(refunds, refund_body("order_refund_1", "r1", 401, 1000)), 400,
               "INVALID_REQUEST");
  expect_error(h, h.post(refunds, refund_body("order_refund_1", "r2", 601, 1000)), 400,
               "PARAM_ERROR");  // more than the 600 that remain
  expect_error(h, h.post(refunds, refund_body("order_refund_1", "r2", 100, 999)), 400,
               "PARAM_ERROR");  // total is not the order's
  expect_error(h, h.post(refunds, refund_body("order_refund_9", "r9", 100, 1000)), 404,
               "ORDER_NOT_EXIST");

  // By transaction_id, the rest.
  const Answer query = h.get("/v3/pay/transactions/out-trade-no/order_refund_1?mchid=1230000109");
  Json by_id = refund_body("", "r3", 600, 1000);
  by_id.erase("out_trade_no");
  by_id["transaction_id"] = query.json["transaction_id"];
  const Answer rest = h.post(refunds, by_id);
  ASSERT_EQ(rest.status, 200) << rest.body;
  EXPECT_EQ(h.get("/v3/pay/transactions/out-trade-no/order_refund_1?mchid=1230000109")
                .json["trade_state"],
            "REFUND");
  expect_error(h, h.post(refunds, refund_body("order_refund_1", "r4", 1, 1000)), 400,
               "PARAM_ERROR");

  const Answer found = h.get("/v3/refund/domestic/refunds/r1");
  ASSERT_EQ(found.status, 200);
  EXPECT_TRUE(h.signed_by_platform(found));
  EXPECT_EQ(found.json["refund_id"], first.json["refund_id"]);
  expect_error(h, h.get("/v3/refund/domestic/refunds/r404"), 404, "RESOURCE_NOT_EXISTS");
}

TEST_F(Api, ConcurrentRefundsNeverExceedThePayment) {
  ASSERT_EQ(h.post(kApp, Harness::prepay_body("app", "order_race_1", 1000)).status, 200);
  pay("order_race_1");
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      // Eight refunds of 300 fen: only three fit into 1000.
      const Answer a = h.post("/v3/refund/domestic/refunds",
                              refund_body("order_race_1", "race_" + std::to_string(i), 300, 1000));
      (a.status == 200 ? ok : refused)++;
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 3);
  EXPECT_EQ(refused.load(), 5);
  TradeStore store(h.host.db);
  EXPECT_EQ((*store.find("1230000109", TradeKey{"order_race_1", {}}))->refunded, 900);

  // The same out_refund_no from many threads: one refund.
  threads.clear();
  std::atomic<int> same_ok{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      const Answer a = h.post("/v3/refund/domestic/refunds",
                              refund_body("order_race_1", "race_same", 100, 1000));
      if (a.status == 200) ++same_ok;
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(same_ok.load(), 6);
  EXPECT_EQ((*store.find("1230000109", TradeKey{"order_race_1", {}}))->refunded, 1000);
}

TEST_F(Api, AStorageFailureIsASignedSystemError) {
  ASSERT_EQ(h.post(kApp, Harness::prepay_body("app", "order_storage_1", 100)).status, 200);
  h.host.db.session() << "DROP TABLE sandbox_wechat_trades";
  const Answer a = h.post(kApp, Harness::prepay_body("app", "order_storage_2", 100));
  expect_error(h, a, 500, "SYSTEM_ERROR");
  expect_error(h, h.get("/v3/pay/transactions/out-trade-no/order_storage_1?mchid=1230000109"), 500,
               "SYSTEM_ERROR");
}

TEST(ApiOptions, PublicKeyModeNamesThePlatformKeyById) {
  Harness h(Json{{"serial_style", "public_key"}});
  ASSERT_TRUE(h.started.ok());
  const Answer a = h.post(kApp, Harness::prepay_body("app", "order_pk_1", 100));
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.headers.get("Wechatpay-Serial").value_or("").substr(0, 11), "PUB_KEY_ID_");
  EXPECT_TRUE(h.signed_by_platform(a));
}

TEST(ApiOptions, ATighterTimestampWindow) {
  Harness h(Json{{"timestamp_window_seconds", 10}});
  ASSERT_TRUE(h.started.ok());
  const std::int64_t now = h.host.time.now();
  EXPECT_EQ(
      h.post(kApp, Harness::prepay_body("app", "order_tw_1", 100), Signing{.timestamp = now - 9})
          .status,
      200);
  EXPECT_EQ(
      h.post(kApp, Harness::prepay_body("app", "order_tw_2", 100), Signing{.timestamp = now - 10})
          .status,
      401);
}

TEST(ApiLifecycle, RefusesToStartInLiveModeAndAnswers503BeforeStart) {
  Harness live(Json::object(), false);
  live.host.live = true;
  const sdk::Status started = live.plugin.start(sdk::Options(Json::object()), live.host);
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.error().message.find("live mode"), std::string::npos);
  EXPECT_EQ(live.plugin.simulator(), nullptr);
  const Answer a = live.post(kApp, Harness::prepay_body("app", "order_live_1", 100));
  EXPECT_EQ(a.status, 503);

  Harness test_mode;
  ASSERT_TRUE(test_mode.started.ok());
  ASSERT_NE(test_mode.plugin.simulator(), nullptr);
  EXPECT_EQ(test_mode.plugin.simulator()->channels(),
            (std::vector<std::string>{"wx", "wx_wap", "wx_pub", "wx_pub_qr", "wx_lite"}));
}

}  // namespace
}  // namespace payhost::sandbox_wechat
