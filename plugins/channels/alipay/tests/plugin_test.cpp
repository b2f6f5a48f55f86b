// The channel plugin end to end against a fake host: what it sends to the gateway, how it
// reads (and distrusts) the answers, and what it makes of notifications. The fake "Alipay"
// signs with the sandbox platform key and escapes slashes the way Alipay does.
#include <gtest/gtest.h>

#include "alipay_plugin.hpp"
#include "beijing_time.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/http.hpp"
#include "test_support.hpp"

namespace payhost::alipay {
namespace {

using sdk::ErrorKind;
using sdk::Outcome;
using testing::merchant_pair;
using testing::platform_pair;
using testing::read_fixture;
using testing::TestHost;

constexpr const char* kSandboxGateway = "http://127.0.0.1:8080/sandbox/alipay/gateway.do";

std::string escape_slashes(std::string s) {
  for (auto pos = s.find('/'); pos != std::string::npos; pos = s.find('/', pos + 2)) {
    s.insert(pos, "\\");
  }
  return s;
}

// A gateway answer as Alipay writes it: `node` must already use "\/" where Alipay would.
std::string alipay_answer(std::string_view method, const std::string& node,
                          const std::string& signing_key = platform_pair().private_key) {
  auto key = load_private_key(signing_key);
  auto sign = rsa2_sign(*key, node);
  return "{\"" + response_node_name(method) + "\":" + node + ",\"sign\":\"" +
         escape_slashes(*sign) + "\"}";
}

sdk::OutboundResponse ok(std::string body) {
  sdk::OutboundResponse r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

std::map<std::string, std::string> form_of(const sdk::OutboundRequest& r) {
  return sdk::parse_form_map(r.body);
}

// Checks a request the way Alipay's gateway does: sign_type included, sign excluded.
bool merchant_signed(const std::map<std::string, std::string>& form) {
  const auto it = form.find("sign");
  if (it == form.end()) return false;
  const Params params(form.begin(), form.end());
  auto key = load_public_key(merchant_pair().public_key);
  return rsa2_verify(*key, sign_content(params, {"sign"}), it->second);
}

sdk::Json biz_of(const std::map<std::string, std::string>& form) {
  return sdk::Json::parse(form.at("biz_content"));
}

// A notification as Alipay posts it, signed with `signing_key` (rsaCheckV1 rules).
std::string notification(Params params,
                         const std::string& signing_key = platform_pair().private_key) {
  auto key = load_private_key(signing_key);
  auto sign = rsa2_sign(*key, sign_content(params, {"sign", "sign_type"}));
  params.emplace_back("sign", *sign);
  params.emplace_back("sign_type", "RSA2");
  return sdk::form_encode(params);
}

Params paid_notification(std::string trade_status = "TRADE_SUCCESS") {
  return {{"notify_type", "trade_status_sync"},
          {"notify_id", "2023122101222162644199160501632046"},
          {"notify_time", "2023-12-21 16:26:45"},
          {"app_id", "9021000000000001"},
          {"charset", "utf-8"},
          {"version", "1.0"},
          {"trade_no", "2023122122001499160501589436"},
          {"out_trade_no", "20231221A001"},
          {"buyer_logon_id", "ifv***@sandbox.com"},
          {"seller_id", "2088721003899159"},
          {"trade_status", std::move(trade_status)},
          {"total_amount", "12.34"},
          {"subject", "Top-up + more"},
          {"gmt_create", "2023-12-21 16:26:32"},
          {"gmt_payment", "2023-12-21 16:26:43"},
          {"fund_bill_list", R"([{"amount":"12.34","fundChannel":"ALIPAYACCOUNT"}])"}};
}

sdk::CreateRequest create_request(std::string channel) {
  sdk::CreateRequest r;
  r.channel = std::move(channel);
  r.charge_id = "ch_0123456789abcdefghijklmn";
  r.order_no = "20231221A001";
  r.amount = 1234;
  r.subject = "Top-up";
  r.body = "Wallet top-up";
  r.created = 1703141270;
  r.time_expire = 1703141270 + 86400;
  r.notify_url = "http://127.0.0.1:8080/notify/alipay";
  return r;
}

sdk::TradeRef trade_ref() {
  sdk::TradeRef t;
  t.channel = "alipay_qr";
  t.charge_id = "ch_0123456789abcdefghijklmn";
  t.order_no = "20231221A001";
  t.amount = 1234;
  return t;
}

class PluginTest : public ::testing::Test {
 protected:
  void start(sdk::Json options = sdk::Json::object()) {
    const auto status = plugin.start(sdk::Options(std::move(options)), host);
    ASSERT_TRUE(status.ok()) << status.error().message;
  }

  TestHost host;
  AlipayPlugin plugin;
};

// ---- plugin surface ------------------------------------------------------------------------

TEST_F(PluginTest, OffersFourChannelsOfOneDay) {
  const auto specs = plugin.channel_specs();
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].name, "alipay");
  EXPECT_EQ(specs[1].name, "alipay_wap");
  EXPECT_EQ(specs[2].name, "alipay_pc_direct");
  EXPECT_EQ(specs[3].name, "alipay_qr");
  for (const auto& s : specs)
    EXPECT_EQ(s.default_expiry_seconds, 86400) << s.name;
  EXPECT_EQ(specs[1].required_extra, std::vector<std::string>{"success_url"});
  EXPECT_EQ(specs[1].optional_extra, std::vector<std::string>{"cancel_url"});
  EXPECT_EQ(specs[2].required_extra, std::vector<std::string>{"success_url"});
  EXPECT_TRUE(specs[0].required_extra.empty());
  EXPECT_TRUE(specs[3].required_extra.empty());
  const auto caps = plugin.capabilities();
  EXPECT_TRUE(caps.close);
  EXPECT_TRUE(caps.refund);
  EXPECT_TRUE(caps.partial_refund);
}

TEST_F(PluginTest, MerchantAppIdIsTheConfiguredAppId) {
  EXPECT_EQ(plugin.merchant_app_id(), "");
  start({{"app_id", "9021000000000042"}});
  EXPECT_EQ(plugin.merchant_app_id(), "9021000000000042");
}

TEST_F(PluginTest, CallsBeforeStartFailClosed) {
  auto r = plugin.query(trade_ref());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "not_started");
}

TEST_F(PluginTest, NotificationReplies) {
  start();
  const auto yes = plugin.notification_reply(true);
  EXPECT_EQ(yes.status, 200);
  EXPECT_EQ(yes.body, "success");
  EXPECT_NE(yes.headers.get("Content-Type")->find("text/plain"), std::string::npos);
  const auto no = plugin.notification_reply(false);
  EXPECT_EQ(no.status, 200);
  EXPECT_EQ(no.body, "failure");
}

// ---- create ----------------------------------------------------------------------------------

TEST_F(PluginTest, AppCredentialIsASignedOrderStringWithoutAServerCall) {
  start();
  auto r = plugin.create(create_request("alipay"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(host.provider.sent().empty());
  ASSERT_TRUE(r->credential.is_object());
  ASSERT_EQ(r->credential.size(), 1u);
  const std::string order_info = r->credential["orderInfo"];
  const auto form = sdk::parse_form_map(order_info);
  EXPECT_TRUE(merchant_signed(form));
  EXPECT_EQ(form.at("method"), "alipay.trade.app.pay");
  EXPECT_EQ(form.at("app_id"), "9021000000000001");
  EXPECT_EQ(form.at("sign_type"), "RSA2");
  EXPECT_EQ(form.at("timestamp"), "2023-12-21 14:47:50");  // host clock, Beijing time
  EXPECT_EQ(form.at("notify_url"), "http://127.0.0.1:8080/notify/alipay");
  EXPECT_FALSE(form.contains("return_url"));
  const auto biz = biz_of(form);
  EXPECT_EQ(biz["product_code"], "QUICK_MSECURITY_PAY");
  EXPECT_EQ(biz["total_amount"], "12.34");
  EXPECT_EQ(biz["out_trade_no"], "20231221A001");
  EXPECT_EQ(biz["time_expire"], "2023-12-22 14:47:50");
}

TEST_F(PluginTest, NotifyUrlOptionOverridesTheHost) {
  start({{"notify_url", "https://pay.example.com/notify/alipay"}});
  auto r = plugin.create(create_request("alipay"));
  ASSERT_TRUE(r.ok());
  const auto form = sdk::parse_form_map(r->credential["orderInfo"].get<std::string>());
  EXPECT_EQ(form.at("notify_url"), "https://pay.example.com/notify/alipay");
}

TEST_F(PluginTest, WapCredentialIsRawSignedFieldsPlusChannelUrl) {
  start();
  auto req = create_request("alipay_wap");
  req.extra = {{"success_url", "https://shop.example.com/paid?o=1&x=y"},
               {"cancel_url", "https://shop.example.com/cancel"}};
  auto r = plugin.create(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(host.provider.sent().empty());
  const auto& c = r->credential;
  ASSERT_TRUE(c.is_object());
  EXPECT_EQ(c["channel_url"], kSandboxGateway);
  EXPECT_EQ(c["method"], "alipay.trade.wap.pay");
  EXPECT_EQ(c["return_url"], "https://shop.example.com/paid?o=1&x=y");  // not encoded
  EXPECT_EQ(c["timestamp"], "2023-12-21 14:47:50");
  std::map<std::string, std::string> fields;
  for (const auto& [k, v] : c.items()) {
    if (k != "channel_url") fields[k] = v.get<std::string>();
  }
  EXPECT_TRUE(merchant_signed(fields));
  const auto biz = biz_of(fields);
  EXPECT_EQ(biz["product_code"], "QUICK_WAP_WAY");
  EXPECT_EQ(biz["quit_url"], "https://shop.example.com/cancel");
}

TEST_F(PluginTest, WapNeedsAStringSuccessUrl) {
  start();
  auto missing = plugin.create(create_request("alipay_wap"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::invalid_request);
  EXPECT_EQ(missing.error().param, "extra.success_url");

  auto req = create_request("alipay_wap");
  req.extra = {{"success_url", 42}};
  auto wrong = plugin.create(req);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().param, "extra.success_url");
}

TEST_F(PluginTest, PcDirectUsesPagePayAndTheConfiguredGateway) {
  start({{"gateway_url", "https://openapi.alipay.com/gateway.do"}});
  auto req = create_request("alipay_pc_direct");
  req.extra = {{"success_url", "https://shop.example.com/paid"}};
  auto r = plugin.create(req);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->credential["channel_url"], "https://openapi.alipay.com/gateway.do");
  EXPECT_EQ(r->credential["method"], "alipay.trade.page.pay");
  const auto biz = sdk::Json::parse(r->credential["biz_content"].get<std::string>());
  EXPECT_EQ(biz["product_code"], "FAST_INSTANT_TRADE_PAY");
  EXPECT_FALSE(biz.contains("quit_url"));
}

TEST_F(PluginTest, ReturnUrlOptionIsTheFallbackForSuccessUrl) {
  start({{"return_url", "https://shop.example.com/back"}});
  auto r = plugin.create(create_request("alipay_pc_direct"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->credential["return_url"], "https://shop.example.com/back");
}

TEST_F(PluginTest, UnknownChannelAndBadAmountAreRefused) {
  start();
  EXPECT_EQ(plugin.create(create_request("wx")).error().param, "channel");
  auto zero = create_request("alipay");
  zero.amount = 0;
  EXPECT_EQ(plugin.create(zero).error().param, "amount");
}

TEST_F(PluginTest, QrPrecreatesAndReturnsTheVerifiedQrCode) {
  start({{"timeout_ms", 3000}});
  host.provider.answer_with([](const sdk::OutboundRequest&) -> sdk::Result<sdk::OutboundResponse> {
    return ok(alipay_answer("alipay.trade.precreate",
                            R"({"code":"10000","msg":"Success","out_trade_no":"20231221A001",)"
                            R"("qr_code":"https:\/\/qr.alipay.com\/bax07651xvtprxfkmxyf00a9"})"));
  });
  auto r = plugin.create(create_request("alipay_qr"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->credential, "https://qr.alipay.com/bax07651xvtprxfkmxyf00a9");

  ASSERT_EQ(host.provider.sent().size(), 1u);
  const auto sent = host.provider.sent()[0];
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, kSandboxGateway);
  EXPECT_EQ(sent.headers.get("Content-Type"), "application/x-www-form-urlencoded;charset=utf-8");
  EXPECT_EQ(sent.timeout.count(), 3000);
  const auto form = form_of(sent);
  EXPECT_TRUE(merchant_signed(form));
  EXPECT_EQ(form.at("method"), "alipay.trade.precreate");
  EXPECT_EQ(form.at("notify_url"), "http://127.0.0.1:8080/notify/alipay");
  const auto biz = biz_of(form);
  EXPECT_EQ(biz["total_amount"], "12.34");
  EXPECT_EQ(biz["time_expire"], "2023-12-22 14:47:50");
  EXPECT_FALSE(biz.contains("product_code"));
}

TEST_F(PluginTest, QrTimeoutIsUnavailable) {
  start();
  host.provider.timeout();
  auto r = plugin.create(create_request("alipay_qr"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

TEST_F(PluginTest, QrNon200IsUnavailable) {
  start();
  host.provider.reply(502, "<html>Bad Gateway</html>");
  auto r = plugin.create(create_request("alipay_qr"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

TEST_F(PluginTest, QrAnswerSignedByAnyoneElseIsUnavailable) {
  start();
  host.provider.reply(
      200, alipay_answer("alipay.trade.precreate",
                         R"({"code":"10000","msg":"Success","qr_code":"https:\/\/evil"})",
                         merchant_pair().private_key));
  auto r = plugin.create(create_request("alipay_qr"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(r.error().code, "bad_response_signature");
}

TEST_F(PluginTest, QrUnsignedAnswerIsUnavailable) {
  start();
  host.provider.reply(200, R"({"alipay_trade_precreate_response":{"code":"10000","msg":"Success",)"
                           R"("qr_code":"https:\/\/qr.alipay.com\/x"}})");
  auto r = plugin.create(create_request("alipay_qr"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

TEST_F(PluginTest, QrVerifiedBusinessErrorIsAChannelError) {
  start();
  host.provider.reply(
      200, alipay_answer("alipay.trade.precreate",
                         R"({"code":"40004","msg":"Business Failed",)"
                         R"("sub_code":"ACQ.TRADE_HAS_SUCCESS","sub_msg":"交易已被支付"})"));
  auto r = plugin.create(create_request("alipay_qr"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::channel);
  EXPECT_EQ(r.error().code, "ACQ.TRADE_HAS_SUCCESS");
  EXPECT_NE(r.error().message.find("交易已被支付"), std::string::npos);
}

TEST_F(PluginTest, QrServiceUnavailableIsNotAChannelError) {
  start();
  host.provider.reply(200, alipay_answer("alipay.trade.precreate",
                                         R"({"code":"20000","msg":"Service Currently Unavailable",)"
                                         R"("sub_code":"isp.unknow-error","sub_msg":"系统繁忙"})"));
  auto r = plugin.create(create_request("alipay_qr"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

// ---- query -----------------------------------------------------------------------------------

TEST_F(PluginTest, QueryMapsAPaidTrade) {
  start();
  host.provider.reply(
      200, alipay_answer("alipay.trade.query", R"({"code":"10000","msg":"Success",)"
                                               R"("buyer_logon_id":"ifv***@sandbox.com",)"
                                               R"("out_trade_no":"20231221A001","send_pay_date":)"
                                               R"("2023-12-21 14:48:36","total_amount":"12.34",)"
                                               R"("trade_no":"2023122122001499160501586202",)"
                                               R"("trade_status":"TRADE_SUCCESS"})"));
  auto r = plugin.query(trade_ref());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->outcome, Outcome::succeeded);
  EXPECT_EQ(r->order_no, "20231221A001");
  EXPECT_EQ(r->transaction_no, "2023122122001499160501586202");
  EXPECT_EQ(r->amount, 1234);
  EXPECT_EQ(r->app_id, "9021000000000001");
  EXPECT_EQ(r->payer_account, "ifv***@sandbox.com");
  EXPECT_EQ(r->time_paid, 1703141316);
  const auto form = form_of(host.provider.sent().at(0));
  EXPECT_EQ(form.at("method"), "alipay.trade.query");
  EXPECT_EQ(biz_of(form), sdk::Json::parse(R"({"out_trade_no":"20231221A001"})"));
  EXPECT_FALSE(form.contains("notify_url"));
}

TEST_F(PluginTest, QueryMapsEveryTradeStatus) {
  start();
  const std::pair<const char*, Outcome> cases[] = {{"WAIT_BUYER_PAY", Outcome::pending},
                                                   {"TRADE_CLOSED", Outcome::closed},
                                                   {"TRADE_FINISHED", Outcome::succeeded},
                                                   {"TRADE_SUCCESS", Outcome::succeeded},
                                                   {"SOMETHING_NEW", Outcome::unknown}};
  for (const auto& [status, outcome] : cases) {
    host.provider.reply(200,
                        alipay_answer("alipay.trade.query",
                                      std::string(R"({"code":"10000","msg":"Success",)") +
                                          R"("out_trade_no":"20231221A001","total_amount":"12.34",)"
                                          R"("trade_status":")" +
                                          status + "\"}"));
    auto r = plugin.query(trade_ref());
    ASSERT_TRUE(r.ok()) << status;
    EXPECT_EQ(r->outcome, outcome) << status;
  }
}

TEST_F(PluginTest, QueryOfATradeNobodyOpenedIsPending) {
  start();
  host.provider.reply(200,
                      alipay_answer("alipay.trade.query",
                                    R"({"code":"40004","msg":"Business Failed",)"
                                    R"("sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"})"));
  auto r = plugin.query(trade_ref());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->outcome, Outcome::pending);
  EXPECT_EQ(r->order_no, "20231221A001");
  EXPECT_EQ(r->amount, -1);
}

TEST_F(PluginTest, QueryTimeoutAndForgeryAreUnavailableNeverFailed) {
  start();
  host.provider.timeout();
  auto timeout = plugin.query(trade_ref());
  ASSERT_FALSE(timeout.ok());
  EXPECT_EQ(timeout.error().kind, ErrorKind::unavailable);

  host.provider.reply(
      200, alipay_answer("alipay.trade.query",
                         R"({"code":"10000","msg":"Success","trade_status":"TRADE_CLOSED"})",
                         merchant_pair().private_key));
  auto forged = plugin.query(trade_ref());
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().kind, ErrorKind::unavailable);
}

// ---- close -----------------------------------------------------------------------------------

TEST_F(PluginTest, CloseClosesAndTreatsUnknownTradesAsClosed) {
  start();
  host.provider.reply(
      200, alipay_answer("alipay.trade.close",
                         R"({"code":"10000","msg":"Success","out_trade_no":)"
                         R"("20231221A001","trade_no":"2023122222001499160501602106"})"));
  auto closed = plugin.close(trade_ref());
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_EQ(closed->outcome, Outcome::closed);
  EXPECT_EQ(form_of(host.provider.sent().at(0)).at("method"), "alipay.trade.close");

  host.provider.reply(200,
                      alipay_answer("alipay.trade.close",
                                    R"({"code":"40004","msg":"Business Failed",)"
                                    R"("sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"})"));
  auto absent = plugin.close(trade_ref());
  ASSERT_TRUE(absent.ok());
  EXPECT_EQ(absent->outcome, Outcome::closed);
}

TEST_F(PluginTest, CloseOfAPaidTradeReportsItPaid) {
  start();
  host.provider.reply(
      200, alipay_answer("alipay.trade.close",
                         R"({"code":"40004","msg":"Business Failed",)"
                         R"("sub_code":"ACQ.TRADE_STATUS_ERROR","sub_msg":"交易状态不合法"})"));
  host.provider.reply(
      200, alipay_answer("alipay.trade.query", R"({"code":"10000","msg":"Success","out_trade_no":)"
                                               R"("20231221A001","total_amount":"12.34",)"
                                               R"("trade_no":"2023122122001499160501586202",)"
                                               R"("trade_status":"TRADE_SUCCESS"})"));
  auto r = plugin.close(trade_ref());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->outcome, Outcome::succeeded);
  EXPECT_EQ(r->amount, 1234);
  ASSERT_EQ(host.provider.sent().size(), 2u);
  EXPECT_EQ(form_of(host.provider.sent()[1]).at("method"), "alipay.trade.query");
}

TEST_F(PluginTest, CloseTimeoutIsUnavailable) {
  start();
  host.provider.timeout();
  auto r = plugin.close(trade_ref());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::unavailable);
}

// ---- refund ----------------------------------------------------------------------------------

sdk::RefundRequest refund_request() {
  sdk::RefundRequest r;
  r.trade = trade_ref();
  r.refund_no = "re_0123456789abcdefghijklm";
  r.amount = 234;
  r.reason = "partial";
  return r;
}

TEST_F(PluginTest, RefundUsesTheRefundNoOnEveryAttempt) {
  start();
  host.provider.timeout();
  ASSERT_EQ(plugin.refund(refund_request()).error().kind, ErrorKind::unavailable);
  host.provider.reply(200, alipay_answer("alipay.trade.refund",
                                         R"({"code":"10000","msg":"Success","fund_change":"N",)"
                                         R"("out_trade_no":"20231221A001","refund_fee":"2.34",)"
                                         R"("trade_no":"2023122122001499160501586202"})"));
  auto r = plugin.refund(refund_request());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->outcome, Outcome::succeeded);
  EXPECT_EQ(r->refunded_total, 234);
  EXPECT_EQ(r->provider_refund_no, "2023122122001499160501586202");
  ASSERT_EQ(host.provider.sent().size(), 2u);
  for (const auto& sent : host.provider.sent()) {
    const auto form = form_of(sent);
    EXPECT_TRUE(merchant_signed(form));
    EXPECT_EQ(form.at("method"), "alipay.trade.refund");
    const auto biz = biz_of(form);
    EXPECT_EQ(biz["out_request_no"], "re_0123456789abcdefghijklm");
    EXPECT_EQ(biz["refund_amount"], "2.34");
    EXPECT_EQ(biz["out_trade_no"], "20231221A001");
  }
}

TEST_F(PluginTest, RefundRefusalIsAChannelErrorAndSystemErrorIsUnavailable) {
  start();
  host.provider.reply(
      200, alipay_answer("alipay.trade.refund",
                         R"({"code":"40004","msg":"Business Failed",)"
                         R"("sub_code":"ACQ.SELLER_BALANCE_NOT_ENOUGH","sub_msg":"余额不足"})"));
  auto refused = plugin.refund(refund_request());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, ErrorKind::channel);
  EXPECT_EQ(refused.error().code, "ACQ.SELLER_BALANCE_NOT_ENOUGH");

  host.provider.reply(200, alipay_answer("alipay.trade.refund",
                                         R"({"code":"40004","msg":"Business Failed",)"
                                         R"("sub_code":"ACQ.SYSTEM_ERROR","sub_msg":"系统错误"})"));
  auto busy = plugin.refund(refund_request());
  ASSERT_FALSE(busy.ok());
  EXPECT_EQ(busy.error().kind, ErrorKind::unavailable);
}

// ---- notifications ---------------------------------------------------------------------------

sdk::HttpRequest notify_request(std::string body) {
  sdk::HttpRequest r;
  r.method = "POST";
  r.path = "/notify/alipay";
  r.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = std::move(body);
  return r;
}

TEST_F(PluginTest, NotificationReportsWhatAlipaySays) {
  start();
  auto r = plugin.verify_notification(notify_request(notification(paid_notification())));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->outcome, Outcome::succeeded);
  EXPECT_EQ(r->order_no, "20231221A001");
  EXPECT_EQ(r->transaction_no, "2023122122001499160501589436");
  EXPECT_EQ(r->amount, 1234);
  EXPECT_EQ(r->app_id, "9021000000000001");
  EXPECT_EQ(r->payer_account, "ifv***@sandbox.com");
  EXPECT_EQ(r->time_paid, *parse_beijing("2023-12-21 16:26:43"));
}

TEST_F(PluginTest, NotificationStatuses) {
  start();
  const std::pair<const char*, Outcome> cases[] = {{"TRADE_FINISHED", Outcome::succeeded},
                                                   {"TRADE_CLOSED", Outcome::closed},
                                                   {"WAIT_BUYER_PAY", Outcome::pending}};
  for (const auto& [status, outcome] : cases) {
    auto r = plugin.verify_notification(notify_request(notification(paid_notification(status))));
    ASSERT_TRUE(r.ok()) << status;
    EXPECT_EQ(r->outcome, outcome) << status;
  }
}

TEST_F(PluginTest, NotificationWithBadSignatureIsRefused) {
  start();
  auto forged = plugin.verify_notification(
      notify_request(notification(paid_notification(), merchant_pair().private_key)));
  ASSERT_FALSE(forged.ok());
  EXPECT_EQ(forged.error().kind, ErrorKind::invalid_request);
  EXPECT_EQ(forged.error().code, "bad_signature");

  std::string body = notification(paid_notification());
  body.replace(body.find("total_amount=12.34"), 18, "total_amount=0.01");
  EXPECT_EQ(plugin.verify_notification(notify_request(body)).error().code, "bad_signature");
}

TEST_F(PluginTest, NotificationForAnotherSellerIsRefused) {
  start({{"seller_id", "2088000000000000"}});
  auto r = plugin.verify_notification(notify_request(notification(paid_notification())));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::invalid_request);
  EXPECT_EQ(r.error().code, "seller_mismatch");

  Params without_seller = paid_notification();
  std::erase_if(without_seller, [](const auto& p) { return p.first == "seller_id"; });
  EXPECT_EQ(plugin.verify_notification(notify_request(notification(without_seller))).error().code,
            "seller_mismatch");
}

TEST_F(PluginTest, NotificationForTheConfiguredSellerIsAccepted) {
  start({{"seller_id", "2088721003899159"}});
  EXPECT_TRUE(plugin.verify_notification(notify_request(notification(paid_notification()))).ok());
}

TEST_F(PluginTest, NotificationWithMalformedAmountIsRefused) {
  start();
  Params p = paid_notification();
  for (auto& [k, v] : p) {
    if (k == "total_amount") v = "12.345";
  }
  auto r = plugin.verify_notification(notify_request(notification(p)));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "invalid_amount");
}

// ---- published vectors through the whole plugin ----------------------------------------------

class PublishedVectors : public PluginTest {
 protected:
  void SetUp() override {
    // yansongda/pay's sandbox app: its key and Alipay's certificate (with chain).
    start({{"app_id", "9021000122682882"},
           {"app_private_key", read_fixture("yansongda-app-secret-cert.txt")},
           {"alipay_public_key", read_fixture("yansongda-alipay-public-cert.crt")}});
  }
};

TEST_F(PublishedVectors, PrecreateResponseGivesTheQrCode) {
  host.provider.reply(200, read_fixture("yansongda-precreate-response.json"));
  auto r = plugin.create(create_request("alipay_qr"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->credential, "https://qr.alipay.com/bax07651xvtprxfkmxyf00a9");
}

TEST_F(PublishedVectors, QueryResponseIsAPaidTrade) {
  host.provider.reply(200, read_fixture("yansongda-query-response.json"));
  sdk::TradeRef t = trade_ref();
  t.order_no = "1703141270";
  auto r = plugin.query(t);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->outcome, Outcome::succeeded);
  EXPECT_EQ(r->order_no, "1703141270");
  EXPECT_EQ(r->transaction_no, "2023122122001499160501586202");
  EXPECT_EQ(r->amount, 1);
  EXPECT_EQ(r->app_id, "9021000122682882");
  EXPECT_EQ(r->payer_account, "ifv***@sandbox.com");
  EXPECT_EQ(r->time_paid, 1703141316);  // 2023-12-21 14:48:36 Beijing
}

TEST_F(PublishedVectors, CloseAndRefundResponses) {
  host.provider.reply(200, read_fixture("yansongda-close-response.json"));
  auto closed = plugin.close(trade_ref());
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_EQ(closed->outcome, Outcome::closed);
  EXPECT_EQ(closed->transaction_no, "2023122222001499160501602106");

  host.provider.reply(200, read_fixture("yansongda-refund-response.json"));
  auto refund = plugin.refund(refund_request());
  ASSERT_TRUE(refund.ok()) << refund.error().message;
  EXPECT_EQ(refund->outcome, Outcome::succeeded);
  EXPECT_EQ(refund->refunded_total, 1);
}

TEST_F(PublishedVectors, NotificationWithPlusInSubject) {
  auto r = plugin.verify_notification(
      notify_request(read_fixture("yansongda-trade-success-notify.form")));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->order_no, "1703147160");
  EXPECT_EQ(r->amount, 1);
  EXPECT_EQ(r->app_id, "9021000122682882");
}

TEST_F(PluginTest, NodeSdkNotificationThroughThePlugin) {
  start({{"app_id", "2019073166072302"},
         {"alipay_public_key", read_fixture("alipay-notify-public-key-v1.txt")},
         {"seller_id", "2088531891668739"}});
  auto r =
      plugin.verify_notification(notify_request(read_fixture("node-trade-success-notify.form")));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->outcome, Outcome::succeeded);
  EXPECT_EQ(r->order_no, "20190815155618536-564-57");
  EXPECT_EQ(r->transaction_no, "2019081522001468450512505578");
  EXPECT_EQ(r->amount, 10);
  EXPECT_EQ(r->app_id, "2019073166072302");
  EXPECT_EQ(r->payer_account, "xud***@126.com");
  EXPECT_EQ(r->time_paid, 1565855784);  // 2019-08-15 15:56:24 Beijing
}

}  // namespace
}  // namespace payhost::alipay
