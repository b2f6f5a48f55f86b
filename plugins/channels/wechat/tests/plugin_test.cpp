// The channel plugin end to end against a fake host: what it sends to WeChat Pay (signed
// over the exact bytes), how it reads (and distrusts) the answers, what it makes of
// notifications. The fake "WeChat Pay" signs with the sandbox platform key.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"
#include "sandbox_identity.hpp"
#include "test_support.hpp"
#include "wechat_plugin.hpp"

namespace payhost::wechat {
namespace {

using sdk::ErrorKind;
using sdk::Outcome;
using testing::merchant_pair;
using testing::platform_pair;
using testing::sign_with;
using testing::stranger_pair;
using testing::TestHost;
using testing::verifies_with;
using testing::wechat_signed_headers;

constexpr std::int64_t kNow = 1796459400;  // the fake host's clock
constexpr const char* kSandboxBase = "http://127.0.0.1:8080/sandbox/wechat";
constexpr const char* kOrderNo = "20261205A001";

std::string platform_serial() {
  return sandbox_certificate_serial(platform_pair().public_key);
}

// An answer as WeChat Pay signs it (serial, timestamp and key adjustable).
sdk::OutboundResponse signed_answer(int status, std::string body, std::int64_t ts = kNow,
                                    std::string serial = platform_serial(),
                                    const std::string& key = platform_pair().private_key) {
  sdk::OutboundResponse r;
  r.status = status;
  r.headers = wechat_signed_headers(body, ts, serial, key);
  if (!body.empty()) r.headers.add("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

sdk::OutboundResponse unsigned_answer(int status, std::string body) {
  sdk::OutboundResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

std::string error_body(const char* code, const char* message) {
  return sdk::json_dump(sdk::Json{{"code", code}, {"message", message}});
}

// The k="v" pairs of an Authorization header, and its scheme.
std::map<std::string, std::string> authorization_pairs(const std::string& header,
                                                       std::string* scheme) {
  std::map<std::string, std::string> pairs;
  const auto space = header.find(' ');
  *scheme = header.substr(0, space);
  std::string rest = header.substr(space + 1);
  std::size_t pos = 0;
  while (pos < rest.size()) {
    const auto eq = rest.find("=\"", pos);
    const auto end = rest.find('"', eq + 2);
    if (eq == std::string::npos || end == std::string::npos) break;
    pairs[rest.substr(pos, eq - pos)] = rest.substr(eq + 2, end - eq - 2);
    pos = end + 2;  // past '",'
  }
  return pairs;
}

// Checks a request as WeChat Pay does: the Authorization signature with the merchant
// public key over METHOD, the path as sent, timestamp, nonce and the exact body.
::testing::AssertionResult merchant_signed(const sdk::OutboundRequest& r) {
  std::string scheme;
  const auto header = r.headers.get("Authorization");
  if (!header) return ::testing::AssertionFailure() << "no Authorization";
  auto pairs = authorization_pairs(*header, &scheme);
  if (scheme != "WECHATPAY2-SHA256-RSA2048") return ::testing::AssertionFailure() << scheme;
  const std::string path = r.url.substr(r.url.find('/', r.url.find("://") + 3));
  const std::string message = r.method + "\n" + path + "\n" + pairs["timestamp"] + "\n" +
                              pairs["nonce_str"] + "\n" + r.body + "\n";
  if (pairs["mchid"] != "1230000109") return ::testing::AssertionFailure() << pairs["mchid"];
  if (pairs["serial_no"] != sandbox_certificate_serial(merchant_pair().public_key)) {
    return ::testing::AssertionFailure() << "serial_no " << pairs["serial_no"];
  }
  if (pairs["timestamp"] != std::to_string(kNow)) {
    return ::testing::AssertionFailure() << "timestamp " << pairs["timestamp"];
  }
  if (pairs["nonce_str"].size() != 32) return ::testing::AssertionFailure() << "nonce";
  if (!verifies_with(merchant_pair().public_key, message, pairs["signature"])) {
    return ::testing::AssertionFailure() << "signature does not verify over\n" << message;
  }
  return ::testing::AssertionSuccess();
}

sdk::CreateRequest create_request(std::string channel) {
  sdk::CreateRequest r;
  r.channel = std::move(channel);
  r.charge_id = "ch_0123456789abcdefghijklmn";
  r.order_no = kOrderNo;
  r.amount = 1234;
  r.subject = "钱包充值";
  r.client_ip = "203.0.113.7";
  r.created = kNow;
  r.time_expire = kNow + 7200;
  r.notify_url = "http://127.0.0.1:8080/notify/wechat";
  if (r.channel == "wx_pub" || r.channel == "wx_lite") {
    r.extra = {{"open_id", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}};
  }
  if (r.channel == "wx_pub_qr") r.extra = {{"product_id", "sku-42"}};
  return r;
}

sdk::TradeRef trade_ref(std::string channel = "wx") {
  sdk::TradeRef t;
  t.channel = std::move(channel);
  t.charge_id = "ch_0123456789abcdefghijklmn";
  t.order_no = kOrderNo;
  t.amount = 1234;
  t.created = kNow - 60;
  t.time_expire = kNow - 60 + 7200;
  return t;
}

sdk::Json transaction(std::string trade_state, std::string appid = "wxd678efh567hg6787") {
  sdk::Json tx = {{"appid", std::move(appid)},
                  {"mchid", "1230000109"},
                  {"out_trade_no", kOrderNo},
                  {"transaction_id", "4200001234202612050123456789"},
                  {"trade_type", "APP"},
                  {"trade_state", trade_state},
                  {"trade_state_desc", trade_state == "PAYERROR" ? "银行卡余额不足" : "ok"},
                  {"bank_type", "OTHERS"},
                  {"attach", "ch_0123456789abcdefghijklmn"},
                  {"success_time", "2026-12-05T16:29:30+08:00"},
                  {"payer", {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}},
                  {"amount", {{"total", 1234}, {"payer_total", 1234}, {"currency", "CNY"}}}};
  if (trade_state != "SUCCESS" && trade_state != "REFUND") {
    tx.erase("transaction_id");
    tx.erase("success_time");
    tx.erase("payer");
  }
  return tx;
}

sdk::RefundRequest refund_request() {
  sdk::RefundRequest r;
  r.trade = trade_ref();
  r.refund_no = "re_0123456789abcdefghijklmn";
  r.amount = 1000;
  r.reason = "out of stock";
  return r;
}

std::string refund_answer(const char* status,
                          std::string out_refund_no = "re_0123456789abcdefghijklmn") {
  return sdk::json_dump(
      sdk::Json{{"refund_id", "50000000382019052709732678859"},
                {"out_refund_no", std::move(out_refund_no)},
                {"transaction_id", "4200001234202612050123456789"},
                {"out_trade_no", kOrderNo},
                {"channel", "ORIGINAL"},
                {"status", status},
                {"create_time", "2026-12-05T16:31:00+08:00"},
                {"amount", {{"total", 1234}, {"refund", 1000}, {"currency", "CNY"}}}});
}

class PluginTest : public ::testing::Test {
 protected:
  void SetUp() override { host.time.set(kNow); }
  void start(sdk::Json options = sdk::Json::object()) {
    const auto status = plugin.start(sdk::Options(std::move(options)), host);
    ASSERT_TRUE(status.ok()) << status.error().message;
  }
  sdk::OutboundRequest last_sent() const { return host.provider.sent().back(); }

  TestHost host;
  WechatPlugin plugin;
};

// ---- plugin surface ------------------------------------------------------------------------

TEST_F(PluginTest, Surface) {
  const auto specs = plugin.channel_specs();
  ASSERT_EQ(specs.size(), 5u);
  for (const auto& s : specs)
    EXPECT_EQ(s.default_expiry_seconds, 7200) << s.name;
  const auto caps = plugin.capabilities();
  EXPECT_TRUE(caps.close);
  EXPECT_TRUE(caps.refund);
  EXPECT_TRUE(caps.partial_refund);
  EXPECT_TRUE(caps.refund_query);
  start();
  EXPECT_EQ(plugin.merchant_app_id(), "");
}

TEST_F(PluginTest, CallsBeforeStartFailClosed) {
  EXPECT_EQ(plugin.query(trade_ref()).error().code, "not_started");
  EXPECT_EQ(plugin.create(create_request("wx")).error().code, "not_started");
}

TEST_F(PluginTest, StartLogsWhatTestModeFilledAndNoSecret) {
  start();
  const std::string log = host.log.dump();
  EXPECT_NE(log.find("test mode"), std::string::npos) << log;
  EXPECT_NE(log.find("api_v3_key"), std::string::npos) << log;
  EXPECT_EQ(log.find(sandbox_api_v3_key(platform_pair().public_key)), std::string::npos);
  EXPECT_EQ(log.find("PRIVATE KEY"), std::string::npos);
}

TEST_F(PluginTest, LiveModeRefusesToStartWithoutCredentials) {
  host.live = true;
  const auto st = plugin.start(sdk::Options(sdk::Json::object()), host);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().param, "mchid");
}

TEST_F(PluginTest, AFullyConfiguredTestModeMakesTheHostGenerateNoSandboxKeys) {
  start({{"merchant_private_key", stranger_pair().private_key},
         {"merchant_serial_no", "0ABC"},
         {"api_v3_key", "0123456789abcdef0123456789abcdef"},
         {"wechatpay_public_key", stranger_pair().public_key},
         {"wechatpay_public_key_id", "PUB_KEY_ID_42"}});
  EXPECT_EQ(host.sandbox_key_requests(), 0);
  host.provider.reply(signed_answer(200, R"({"prepay_id":"wx1"})", kNow, "PUB_KEY_ID_42",
                                    stranger_pair().private_key));
  EXPECT_TRUE(plugin.create(create_request("wx")).ok());
}

TEST_F(PluginTest, LiveModeStartsWithRealCredentialsAndAsksAboutTheSandbox) {
  host.live = true;
  start({{"mchid", "1900009191"},
         {"app_id", "wx8888888888888888"},
         {"merchant_private_key", stranger_pair().private_key},
         {"merchant_serial_no", "5157F09EFDC096DE15EBE81A47057A7232F1B8E1"},
         {"api_v3_key", "53D67FCB97E68F9998CBD17ED7A8D1E2"},
         {"wechatpay_public_key", stranger_pair().public_key},
         {"wechatpay_public_key_id", "PUB_KEY_ID_42"}});
  EXPECT_GT(host.sandbox_key_requests(), 0);  // to refuse copied sandbox keys
  host.provider.reply(signed_answer(200, R"({"prepay_id":"wx1"})", kNow, "PUB_KEY_ID_42",
                                    stranger_pair().private_key));
  ASSERT_TRUE(plugin.create(create_request("wx")).ok());
  EXPECT_EQ(last_sent().url, "https://api.mch.weixin.qq.com/v3/pay/transactions/app");
}

TEST_F(PluginTest, NotificationReplies) {
  start();
  const auto yes = plugin.notification_reply(true);
  EXPECT_EQ(yes.status, 200);
  EXPECT_EQ(yes.body, "");
  const auto no = plugin.notification_reply(false);
  EXPECT_EQ(no.status, 500);
  EXPECT_EQ(no.headers.get("Content-Type"), "application/json");
  const auto body = sdk::Json::parse(no.body);
  EXPECT_EQ(body, (sdk::Json{{"code", "FAIL"}, {"message", "失败"}}));
}

// ---- create --------------------------------------------------------------------------------

TEST_F(PluginTest, AppPrepaySignsTheExactBodyAndReturnsAppParameters) {
  start({{"connect_timeout_ms", 1500}, {"timeout_ms", 4000}});
  host.provider.reply(
      signed_answer(200, R"({"prepay_id":"wx201410272009395522657a690389285100"})"));
  auto r = plugin.create(create_request("wx"));
  ASSERT_TRUE(r.ok()) << r.error().message;

  ASSERT_EQ(host.provider.sent().size(), 1u);
  const auto& sent = last_sent();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url, std::string(kSandboxBase) + "/v3/pay/transactions/app");
  EXPECT_TRUE(merchant_signed(sent));
  EXPECT_EQ(sent.headers.get("Accept"), "application/json");
  EXPECT_EQ(sent.headers.get("Content-Type"), "application/json");
  EXPECT_EQ(sent.headers.get("User-Agent"), "payhost-wechat/1.0");
  EXPECT_EQ(sent.connect_timeout.count(), 1500);
  EXPECT_EQ(sent.timeout.count(), 4000);
  const auto body = sdk::Json::parse(sent.body);
  EXPECT_EQ(body["appid"], "wxd678efh567hg6787");
  EXPECT_EQ(body["mchid"], "1230000109");
  EXPECT_EQ(body["description"], "钱包充值");
  EXPECT_EQ(body["out_trade_no"], kOrderNo);
  EXPECT_EQ(body["time_expire"], "2026-12-05T18:30:00+08:00");
  EXPECT_EQ(body["attach"], "ch_0123456789abcdefghijklmn");
  EXPECT_EQ(body["notify_url"], "http://127.0.0.1:8080/notify/wechat");
  EXPECT_EQ(body["amount"], (sdk::Json{{"total", 1234}, {"currency", "CNY"}}));

  const sdk::Json& c = r->credential;
  std::vector<std::string> keys;
  for (const auto& [k, v] : c.items())
    keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"appId", "partnerId", "prepayId", "nonceStr",
                                            "timeStamp", "packageValue", "sign"}));
  EXPECT_EQ(c["partnerId"], "1230000109");
  EXPECT_EQ(c["prepayId"], "wx201410272009395522657a690389285100");
  EXPECT_EQ(c["timeStamp"], kNow);
  EXPECT_EQ(c["packageValue"], "Sign=WXPay");
  EXPECT_TRUE(verifies_with(merchant_pair().public_key,
                            "wxd678efh567hg6787\n" + std::to_string(kNow) + "\n" +
                                c["nonceStr"].get<std::string>() +
                                "\nwx201410272009395522657a690389285100\n",
                            c["sign"].get<std::string>()));
}

TEST_F(PluginTest, DefaultTimeoutsFromTheOptionTable) {
  start({{"connect_timeout_ms", 3000}, {"timeout_ms", 10000}});
  host.provider.reply(signed_answer(200, R"({"prepay_id":"wx1"})"));
  ASSERT_TRUE(plugin.create(create_request("wx")).ok());
  EXPECT_EQ(last_sent().connect_timeout.count(), 3000);
  EXPECT_EQ(last_sent().timeout.count(), 10000);
}

TEST_F(PluginTest, JsapiChannelsUseTheirOwnAppIds) {
  start({{"pub_app_id", "wxPUB0000000000002"}, {"lite_app_id", "wxLITE000000000003"}});
  for (const auto& [channel, app_id] : std::vector<std::pair<std::string, std::string>>{
           {"wx_pub", "wxPUB0000000000002"}, {"wx_lite", "wxLITE000000000003"}}) {
    host.provider.reply(signed_answer(200, R"({"prepay_id":"wx2026120516300012345"})"));
    auto r = plugin.create(create_request(channel));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(last_sent().url, std::string(kSandboxBase) + "/v3/pay/transactions/jsapi");
    EXPECT_TRUE(merchant_signed(last_sent()));
    const auto body = sdk::Json::parse(last_sent().body);
    EXPECT_EQ(body["appid"], app_id);
    EXPECT_EQ(body["payer"]["openid"], "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
    const sdk::Json& c = r->credential;
    EXPECT_EQ(c["appId"], app_id);
    EXPECT_EQ(c["timeStamp"], std::to_string(kNow));
    EXPECT_EQ(c["package"], "prepay_id=wx2026120516300012345");
    EXPECT_EQ(c["signType"], "RSA");
    EXPECT_TRUE(verifies_with(merchant_pair().public_key,
                              app_id + "\n" + std::to_string(kNow) + "\n" +
                                  c["nonceStr"].get<std::string>() +
                                  "\nprepay_id=wx2026120516300012345\n",
                              c["paySign"].get<std::string>()));
  }
}

TEST_F(PluginTest, WapReturnsTheH5UrlWithTheRedirect) {
  start({{"pub_app_id", "wxPUB0000000000002"}});
  const std::string h5 =
      "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/"
      "checkmweb?prepay_id=wx2026120516&package=1037687096";
  host.provider.reply(signed_answer(200, sdk::json_dump(sdk::Json{{"h5_url", h5}})));
  auto request = create_request("wx_wap");
  request.extra = {{"result_url", "https://shop.example.com/paid?o=1"}};
  auto r = plugin.create(request);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->credential, h5 + "&redirect_url=https%3A%2F%2Fshop.example.com%2Fpaid%3Fo%3D1");
  const auto body = sdk::Json::parse(last_sent().body);
  EXPECT_EQ(last_sent().url, std::string(kSandboxBase) + "/v3/pay/transactions/h5");
  EXPECT_EQ(body["appid"], "wxPUB0000000000002");
  EXPECT_EQ(body["scene_info"]["payer_client_ip"], "203.0.113.7");

  host.provider.reply(signed_answer(200, sdk::json_dump(sdk::Json{{"h5_url", h5}})));
  auto plain = plugin.create(create_request("wx_wap"));
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->credential, h5);
}

TEST_F(PluginTest, NativeReturnsTheCodeUrl) {
  start();
  host.provider.reply(signed_answer(200, R"({"code_url":"weixin://wxpay/bizpayurl?pr=p4lpSuK"})"));
  auto r = plugin.create(create_request("wx_pub_qr"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->credential, "weixin://wxpay/bizpayurl?pr=p4lpSuK");
  EXPECT_EQ(last_sent().url, std::string(kSandboxBase) + "/v3/pay/transactions/native");
}

TEST_F(PluginTest, ApiBaseOptionIsUsedAndItsPathSigned) {
  start({{"api_base", "http://127.0.0.1:9999/sim/"}});
  host.provider.reply(signed_answer(200, R"({"prepay_id":"wx1"})"));
  ASSERT_TRUE(plugin.create(create_request("wx")).ok());
  EXPECT_EQ(last_sent().url, "http://127.0.0.1:9999/sim/v3/pay/transactions/app");
  EXPECT_TRUE(merchant_signed(last_sent()));  // over "/sim/v3/pay/transactions/app"
}

TEST_F(PluginTest, PublicUrlIsAskedPerRequest) {
  start();
  host.base_url = "http://127.0.0.1:41234/";
  host.provider.reply(signed_answer(200, R"({"prepay_id":"wx1"})"));
  ASSERT_TRUE(plugin.create(create_request("wx")).ok());
  EXPECT_EQ(last_sent().url, "http://127.0.0.1:41234/sandbox/wechat/v3/pay/transactions/app");
}

TEST_F(PluginTest, AnswersNamedByThePublicKeyIdVerifyToo) {
  start();
  host.provider.reply(signed_answer(200, R"({"prepay_id":"wx1"})", kNow,
                                    sandbox_public_key_id(platform_pair().public_key)));
  EXPECT_TRUE(plugin.create(create_request("wx")).ok());
}

TEST_F(PluginTest, BadChargesAreRefusedBeforeAnythingIsSent) {
  start();
  auto r = create_request("wx");
  r.subject = std::string(128, 's');
  auto e = plugin.create(r);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind, ErrorKind::invalid_request);
  EXPECT_EQ(e.error().param, "subject");
  r = create_request("wx");
  r.order_no = "short";
  EXPECT_EQ(plugin.create(r).error().param, "order_no");
  r = create_request("wx_pub");
  r.extra = sdk::Json::object();
  EXPECT_EQ(plugin.create(r).error().param, "extra.open_id");
  r = create_request("alipay");
  EXPECT_EQ(plugin.create(r).error().param, "channel");
  EXPECT_TRUE(host.provider.sent().empty());
}

TEST_F(PluginTest, CreateAnswersThatProveNothingAreUnknownOutcomes) {
  start();
  const std::string ok = R"({"prepay_id":"wx1"})";
  host.provider.reply(unsigned_answer(200, ok));
  host.provider.reply(signed_answer(200, ok, kNow, platform_serial(), stranger_pair().private_key));
  host.provider.reply(signed_answer(200, ok, kNow - 300));
  host.provider.reply(signed_answer(500, error_body("SYSTEM_ERROR", "系统错误")));
  host.provider.reply(signed_answer(429, error_body("FREQUENCY_LIMITED", "频率超限")));
  host.provider.timeout();
  host.provider.reply(signed_answer(200, R"({"prepay":"wx1"})"));
  host.provider.reply(signed_answer(200, "not json"));
  for (int i = 0; i < 8; ++i) {
    auto r = plugin.create(create_request("wx"));
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.error().kind, ErrorKind::unavailable) << i << " " << r.error().message;
  }
  host.provider.reply(signed_answer(200, R"j({"h5_url":"javascript:alert(1)"})j"));
  EXPECT_EQ(plugin.create(create_request("wx_wap")).error().kind, ErrorKind::unavailable);
}

TEST_F(PluginTest, WechatRefusalsAreChannelErrorsWithItsCode) {
  start();
  host.provider.reply(signed_answer(400, error_body("PARAM_ERROR", "参数错误")));
  auto r = plugin.create(create_request("wx"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, ErrorKind::channel);
  EXPECT_EQ(r.error().code, "PARAM_ERROR");
  EXPECT_NE(r.error().message.find("参数错误"), std::string::npos);
}

TEST_F(PluginTest, ConcurrentCreatesShareTheKeysSafely) {
  start();
  host.provider.answer_with(
      [](const sdk::OutboundRequest& request) -> sdk::Result<sdk::OutboundResponse> {
        if (!merchant_signed(request)) return unsigned_answer(401, error_body("SIGN_ERROR", "x"));
        return signed_answer(200, R"({"prepay_id":"wx1"})");
      });
  std::atomic<int> succeeded{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 5; ++i) {
        if (plugin.create(create_request("wx")).ok()) ++succeeded;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(succeeded.load(), 20);
}

// ---- query ---------------------------------------------------------------------------------

TEST_F(PluginTest, QueryIsASignedGetWithTheMchid) {
  start();
  host.provider.reply(signed_answer(200, sdk::json_dump(transaction("SUCCESS"))));
  auto s = plugin.query(trade_ref());
  ASSERT_TRUE(s.ok()) << s.error().message;
  const auto& sent = last_sent();
  EXPECT_EQ(sent.method, "GET");
  EXPECT_EQ(sent.url, std::string(kSandboxBase) +
                          "/v3/pay/transactions/out-trade-no/20261205A001?mchid=1230000109");
  EXPECT_EQ(sent.body, "");
  EXPECT_FALSE(sent.headers.get("Content-Type").has_value());
  EXPECT_TRUE(merchant_signed(sent));

  EXPECT_EQ(s->outcome, Outcome::succeeded);
  EXPECT_EQ(s->order_no, kOrderNo);
  EXPECT_EQ(s->transaction_no, "4200001234202612050123456789");
  EXPECT_EQ(s->amount, 1234);
  EXPECT_EQ(s->time_paid, kNow - 30);
  EXPECT_EQ(s->payer_account, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
}

TEST_F(PluginTest, QueryMapsEveryTradeState) {
  start();
  const std::vector<std::pair<const char*, Outcome>> cases = {
      {"SUCCESS", Outcome::succeeded}, {"REFUND", Outcome::succeeded},
      {"NOTPAY", Outcome::pending},    {"USERPAYING", Outcome::pending},
      {"CLOSED", Outcome::closed},     {"REVOKED", Outcome::closed},
      {"PAYERROR", Outcome::failed},   {"SOMETHING_NEW", Outcome::unknown}};
  for (const auto& [state, outcome] : cases) {
    host.provider.reply(signed_answer(200, sdk::json_dump(transaction(state))));
    auto s = plugin.query(trade_ref());
    ASSERT_TRUE(s.ok()) << state << ": " << s.error().message;
    EXPECT_EQ(s->outcome, outcome) << state;
  }
  host.provider.reply(signed_answer(200, sdk::json_dump(transaction("PAYERROR"))));
  auto failed = plugin.query(trade_ref());
  EXPECT_EQ(failed->failure_code, "PAYERROR");
  EXPECT_EQ(failed->failure_msg, "银行卡余额不足");
}

TEST_F(PluginTest, QueryChecksWhoseTradeItIs) {
  start({{"pub_app_id", "wxPUB0000000000002"}});
  // A wx charge answered with the official account's app id: not this trade.
  host.provider.reply(
      signed_answer(200, sdk::json_dump(transaction("SUCCESS", "wxPUB0000000000002"))));
  auto s = plugin.query(trade_ref("wx"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind, ErrorKind::unavailable);
  EXPECT_EQ(s.error().code, "app_id_mismatch");
  host.provider.reply(
      signed_answer(200, sdk::json_dump(transaction("SUCCESS", "wxPUB0000000000002"))));
  EXPECT_TRUE(plugin.query(trade_ref("wx_pub_qr")).ok());

  auto tx = transaction("SUCCESS");
  tx["mchid"] = "1900000109";
  host.provider.reply(signed_answer(200, sdk::json_dump(tx)));
  EXPECT_EQ(plugin.query(trade_ref()).error().code, "mchid_mismatch");
  tx = transaction("SUCCESS");
  tx["out_trade_no"] = "20261205A002";
  host.provider.reply(signed_answer(200, sdk::json_dump(tx)));
  EXPECT_EQ(plugin.query(trade_ref()).error().code, "order_mismatch");
  tx = transaction("SUCCESS");
  tx["success_time"] = "yesterday";
  host.provider.reply(signed_answer(200, sdk::json_dump(tx)));
  EXPECT_EQ(plugin.query(trade_ref()).error().kind, ErrorKind::unavailable);
}

TEST_F(PluginTest, OrderNotExistIsPendingUntilPastTimeExpire) {
  start();
  const auto not_exist = [] {
    return signed_answer(404, error_body("ORDER_NOT_EXIST", "订单不存在"));
  };
  // Right after create: WeChat may not know it yet.
  host.provider.reply(not_exist());
  auto s = plugin.query(trade_ref());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->outcome, Outcome::pending);
  EXPECT_EQ(s->order_no, kOrderNo);

  auto trade = trade_ref();
  trade.time_expire = kNow - 299;  // within the margin
  host.provider.reply(not_exist());
  EXPECT_EQ(plugin.query(trade)->outcome, Outcome::pending);
  trade.time_expire = kNow - 300;
  host.provider.reply(not_exist());
  s = plugin.query(trade);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->outcome, Outcome::closed);
  EXPECT_EQ(s->failure_code, "ORDER_NOT_EXIST");

  // The same code without a valid signature says nothing.
  host.provider.reply(unsigned_answer(404, error_body("ORDER_NOT_EXIST", "订单不存在")));
  auto unverified = plugin.query(trade);
  ASSERT_FALSE(unverified.ok());
  EXPECT_NE(unverified.error().kind, ErrorKind::invalid_request);
}

TEST_F(PluginTest, QueryTimeoutsServerErrorsAndUnverifiableAnswersAreUnknown) {
  start();
  const std::string paid = sdk::json_dump(transaction("SUCCESS"));
  host.provider.timeout();
  host.provider.reply(signed_answer(500, error_body("SYSTEM_ERROR", "系统错误")));
  host.provider.reply(signed_answer(503, ""));
  host.provider.reply(unsigned_answer(200, paid));
  host.provider.reply(signed_answer(200, paid, kNow + 300));
  host.provider.reply(signed_answer(200, paid, kNow, "0123456789ABCDEF"));
  auto probe = signed_answer(200, paid);
  probe.headers.set("Wechatpay-Signature",
                    "WECHATPAY/SIGNTEST/" + sign_with(platform_pair().private_key, paid));
  host.provider.reply(probe);
  auto tampered = signed_answer(200, paid);
  tampered.body.replace(tampered.body.find("1234"), 4, "9999");
  host.provider.reply(tampered);
  for (int i = 0; i < 8; ++i) {
    auto s = plugin.query(trade_ref());
    ASSERT_FALSE(s.ok()) << i;
    EXPECT_EQ(s.error().kind, ErrorKind::unavailable) << i << ": " << s.error().message;
  }
}

// ---- close ---------------------------------------------------------------------------------

TEST_F(PluginTest, CloseIsAVerifiedNoContent) {
  start();
  host.provider.reply(signed_answer(204, ""));
  auto s = plugin.close(trade_ref());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->outcome, Outcome::closed);
  EXPECT_EQ(s->order_no, kOrderNo);
  const auto& sent = last_sent();
  EXPECT_EQ(sent.method, "POST");
  EXPECT_EQ(sent.url,
            std::string(kSandboxBase) + "/v3/pay/transactions/out-trade-no/20261205A001/close");
  EXPECT_EQ(sent.body, R"({"mchid":"1230000109"})");
  EXPECT_TRUE(merchant_signed(sent));
}

TEST_F(PluginTest, AForgedNoContentDoesNotClose) {
  start();
  auto forged = signed_answer(204, "");
  forged.headers.set("Wechatpay-Signature",
                     sign_with(platform_pair().private_key, "something else"));
  host.provider.reply(forged);
  host.provider.reply(unsigned_answer(204, ""));
  host.provider.reply(signed_answer(204, "", kNow, platform_serial(), stranger_pair().private_key));
  for (int i = 0; i < 3; ++i) {
    auto s = plugin.close(trade_ref());
    ASSERT_FALSE(s.ok()) << i;
    EXPECT_EQ(s.error().kind, ErrorKind::unavailable) << i;
  }
}

TEST_F(PluginTest, ClosingAPaidOrderReportsThePayment) {
  start();
  host.provider.reply(signed_answer(400, error_body("ORDERPAID", "订单已支付")));
  host.provider.reply(signed_answer(200, sdk::json_dump(transaction("SUCCESS"))));
  auto s = plugin.close(trade_ref());
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->outcome, Outcome::succeeded);
  EXPECT_EQ(s->transaction_no, "4200001234202612050123456789");
  EXPECT_EQ(s->amount, 1234);
  ASSERT_EQ(host.provider.sent().size(), 2u);
  EXPECT_EQ(host.provider.sent()[1].method, "GET");

  // Unverified, the same refusal proves nothing and triggers no query.
  const auto sent_before = host.provider.sent().size();
  host.provider.reply(unsigned_answer(400, error_body("ORDERPAID", "订单已支付")));
  auto unverified = plugin.close(trade_ref());
  ASSERT_FALSE(unverified.ok());
  EXPECT_EQ(host.provider.sent().size(), sent_before + 1);
}

TEST_F(PluginTest, ClosingAnUnknownOrderClosesIt) {
  start();
  host.provider.reply(signed_answer(404, error_body("ORDER_NOT_EXIST", "订单不存在")));
  auto s = plugin.close(trade_ref());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->outcome, Outcome::closed);
  host.provider.reply(signed_answer(500, error_body("SYSTEM_ERROR", "系统错误")));
  EXPECT_EQ(plugin.close(trade_ref()).error().kind, ErrorKind::unavailable);
  host.provider.timeout();
  EXPECT_EQ(plugin.close(trade_ref()).error().kind, ErrorKind::unavailable);
}

// ---- refunds -------------------------------------------------------------------------------

TEST_F(PluginTest, RefundSendsTheStableRefundNoAndMapsStatuses) {
  start();
  const std::vector<std::pair<const char*, Outcome>> cases = {{"SUCCESS", Outcome::succeeded},
                                                              {"PROCESSING", Outcome::pending},
                                                              {"CLOSED", Outcome::failed},
                                                              {"ABNORMAL", Outcome::failed}};
  for (const auto& [status, outcome] : cases) {
    host.provider.reply(signed_answer(200, refund_answer(status)));
    auto r = plugin.refund(refund_request());
    ASSERT_TRUE(r.ok()) << status << ": " << r.error().message;
    EXPECT_EQ(r->outcome, outcome) << status;
    EXPECT_EQ(r->provider_refund_no, "50000000382019052709732678859");
  }
  ASSERT_EQ(host.provider.sent().size(), 4u);
  for (const auto& sent : host.provider.sent()) {
    EXPECT_EQ(sent.url, std::string(kSandboxBase) + "/v3/refund/domestic/refunds");
    EXPECT_EQ(sent.body, host.provider.sent().front().body);  // every retry the same request
    EXPECT_TRUE(merchant_signed(sent));
  }
  const auto body = sdk::Json::parse(host.provider.sent().front().body);
  EXPECT_EQ(body["out_refund_no"], "re_0123456789abcdefghijklmn");
  EXPECT_EQ(body["out_trade_no"], kOrderNo);
  EXPECT_EQ(body["amount"], (sdk::Json{{"refund", 1000}, {"total", 1234}, {"currency", "CNY"}}));
}

TEST_F(PluginTest, RefundAnswersThatProveNothing) {
  start();
  host.provider.reply(signed_answer(200, refund_answer("SUCCESS", "re_someone_else")));
  host.provider.reply(unsigned_answer(200, refund_answer("SUCCESS")));
  host.provider.timeout();
  host.provider.reply(signed_answer(500, error_body("SYSTEM_ERROR", "系统错误")));
  for (int i = 0; i < 4; ++i) {
    auto r = plugin.refund(refund_request());
    ASSERT_FALSE(r.ok()) << i;
    EXPECT_EQ(r.error().kind, ErrorKind::unavailable) << i;
  }
  host.provider.reply(signed_answer(403, error_body("NOT_ENOUGH", "基本账户余额不足")));
  auto refused = plugin.refund(refund_request());
  EXPECT_EQ(refused.error().kind, ErrorKind::channel);
  EXPECT_EQ(refused.error().code, "NOT_ENOUGH");
  auto r = refund_request();
  r.amount = 5000;
  EXPECT_EQ(plugin.refund(r).error().param, "amount");
}

TEST_F(PluginTest, QueryRefundAsksByOutRefundNo) {
  start();
  host.provider.reply(signed_answer(200, refund_answer("SUCCESS")));
  auto r = plugin.query_refund(refund_request());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->outcome, Outcome::succeeded);
  EXPECT_EQ(last_sent().method, "GET");
  EXPECT_EQ(last_sent().url,
            std::string(kSandboxBase) + "/v3/refund/domestic/refunds/re_0123456789abcdefghijklmn");
  EXPECT_TRUE(merchant_signed(last_sent()));

  host.provider.reply(signed_answer(404, error_body("RESOURCE_NOT_EXISTS", "退款单不存在")));
  auto missing = plugin.query_refund(refund_request());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  host.provider.timeout();
  EXPECT_EQ(plugin.query_refund(refund_request()).error().kind, ErrorKind::unavailable);
}

// ---- notifications through the plugin --------------------------------------------------------

sdk::HttpRequest sandbox_notification(const sdk::Json& tx, std::string serial = platform_serial()) {
  testing::Envelope envelope;
  envelope.key = sandbox_api_v3_key(platform_pair().public_key);
  sdk::HttpRequest r;
  r.method = "POST";
  r.body = testing::sealed_notification_body(sdk::json_dump(tx), envelope);
  r.headers = wechat_signed_headers(r.body, kNow, serial);
  return r;
}

TEST_F(PluginTest, NotificationsSettleWithTheSandboxKeys) {
  start();
  auto s = plugin.verify_notification(sandbox_notification(transaction("SUCCESS")));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->outcome, Outcome::succeeded);
  EXPECT_EQ(s->order_no, kOrderNo);
  EXPECT_EQ(s->transaction_no, "4200001234202612050123456789");
  EXPECT_EQ(s->amount, 1234);
  EXPECT_EQ(s->app_id, "");
  auto by_key_id = plugin.verify_notification(sandbox_notification(
      transaction("SUCCESS"), sandbox_public_key_id(platform_pair().public_key)));
  EXPECT_TRUE(by_key_id.ok());
}

TEST_F(PluginTest, NotificationRefusalsCarryTheirCodes) {
  start({{"pub_app_id", "wxPUB0000000000002"}});
  auto tx = transaction("SUCCESS");
  tx["mchid"] = "1900000109";
  EXPECT_EQ(plugin.verify_notification(sandbox_notification(tx)).error().code, "mchid_mismatch");
  tx = transaction("SUCCESS", "wxPUB0000000000002");  // an APP trade under the pub app id
  EXPECT_EQ(plugin.verify_notification(sandbox_notification(tx)).error().code, "app_id_mismatch");
  host.time.set(kNow + 300);
  EXPECT_EQ(plugin.verify_notification(sandbox_notification(transaction("SUCCESS"))).error().code,
            "stale_timestamp");
  host.time.set(kNow);
  sdk::HttpRequest garbage;
  garbage.body = "{\"resource\":";
  EXPECT_EQ(plugin.verify_notification(garbage).error().code, "missing_header");
  // The host records and logs refusals; the plugin adds no line anyone could flood.
  EXPECT_EQ(host.log.dump().find("mchid_mismatch"), std::string::npos);
}

}  // namespace
}  // namespace payhost::wechat
