// The channel plugin end to end against a fake host: what it sends to UnionPay (signed
// with the merchant .pfx), how it reads (and distrusts) the answers, what it makes of
// notifications. The fake "UnionPay" signs with the test PKI's signing certificate.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "beijing_time.hpp"
#include "payhost/sdk/json.hpp"
#include "test_support.hpp"
#include "unionpay_plugin.hpp"

namespace payhost::unionpay {
namespace {

using sdk::ErrorKind;
using sdk::Outcome;
using testing::kMerId;
using testing::kNow;
using testing::Pairs;
using testing::pki;
using testing::raw_answer;
using testing::unionpay_signed;
using testing::value_of;

constexpr const char* kOrderNo = "20261205083000abcdefghij";
constexpr const char* kTn = "512212051630000000001";
constexpr const char* kQueryId = "512212051631000000042";
constexpr const char* kSandboxBase = "http://127.0.0.1:8080/sandbox/unionpay";

sdk::CreateRequest create_request(std::string channel) {
  sdk::CreateRequest r;
  r.channel = std::move(channel);
  r.charge_id = "ch_0123456789abcdefghijklmn";
  r.order_no = kOrderNo;
  r.amount = 1234;
  r.subject = "钱包充值";
  r.created = kNow - 30;
  r.time_expire = kNow - 30 + 3600;
  r.notify_url = "http://127.0.0.1:8080/notify/unionpay";
  if (r.channel == "upacp_wap" || r.channel == "upacp_pc") {
    r.extra = {{"result_url", "https://shop.example/paid"}};
  }
  return r;
}

sdk::TradeRef trade_ref() {
  sdk::TradeRef t;
  t.channel = "upacp";
  t.charge_id = "ch_0123456789abcdefghijklmn";
  t.order_no = kOrderNo;
  t.amount = 1234;
  t.created = kNow - 30;
  t.time_expire = kNow - 30 + 3600;
  return t;
}

Pairs app_answer(std::string resp_code = "00", std::string order = kOrderNo) {
  Pairs p = {{"version", "5.1.0"},
             {"encoding", "UTF-8"},
             {"bizType", "000201"},
             {"txnTime", format_txn_time(kNow - 30)},
             {"txnType", "01"},
             {"txnSubType", "01"},
             {"accessType", "0"},
             {"merId", kMerId},
             {"orderId", std::move(order)},
             {"respCode", resp_code},
             {"respMsg", resp_code == "00" ? "成功[0000000]" : "失败"},
             {"signMethod", "01"}};
  if (resp_code == "00") p.emplace_back("tn", kTn);
  return p;
}

Pairs notification(std::string amount = "1234") {
  return {{"accessType", "0"},
          {"bizType", "000201"},
          {"currencyCode", "156"},
          {"encoding", "UTF-8"},
          {"merId", kMerId},
          {"orderId", kOrderNo},
          {"queryId", kQueryId},
          {"reqReserved", "ch_0123456789abcdefghijklmn"},
          {"respCode", "00"},
          {"respMsg", "成功[0000000]"},
          {"settleAmt", amount},
          {"settleCurrencyCode", "156"},
          {"settleDate", "1205"},
          {"signMethod", "01"},
          {"traceNo", "123456"},
          {"traceTime", "1205163100"},
          {"txnAmt", amount},
          {"txnSubType", "01"},
          {"txnTime", format_txn_time(kNow - 30)},
          {"txnType", "01"},
          {"version", "5.1.0"}};
}

Pairs query_answer(std::string orig_code) {
  Pairs p = notification();
  for (auto& [k, v] : p) {
    if (k == "bizType") v = "000000";
  }
  p.emplace_back("origRespCode", orig_code);
  p.emplace_back("origRespMsg", orig_code == "00" ? "成功[0000000]" : "交易失败");
  return p;
}

Pairs with(Pairs p, const std::string& name, const std::string& value) {
  bool found = false;
  for (auto& [k, v] : p) {
    if (k == name) {
      v = value;
      found = true;
    }
  }
  if (!found) p.emplace_back(name, value);
  return p;
}

Pairs without(Pairs p, const std::string& name) {
  std::erase_if(p, [&](const auto& f) { return f.first == name; });
  return p;
}

sdk::HttpRequest post(std::string body) {
  sdk::HttpRequest r;
  r.method = "POST";
  r.path = "/notify/unionpay";
  r.headers.add("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
  r.body = std::move(body);
  return r;
}

class UnionpayPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_dir = host.data_dir();
    testing::write_sandbox_files(data_dir);
    auto st = plugin.start(sdk::Options(sdk::Json::object()), host);
    ASSERT_TRUE(st) << st.error().message;
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(data_dir, ec);
  }

  void answer(const Pairs& fields) {
    host.provider.reply(200, raw_answer(unionpay_signed(fields)));
  }
  Pairs sent(std::size_t i = 0) {
    return testing::parse_request_form(host.provider.sent().at(i).body);
  }
  std::string refusal_code(const std::string& body) {
    auto s = plugin.verify_notification(post(body));
    if (s) return "accepted";
    EXPECT_EQ(s.error().kind, ErrorKind::invalid_request) << s.error().code;
    return s.error().code;
  }
  std::string signed_form(const Pairs& fields) { return sdk::form_encode(unionpay_signed(fields)); }

  std::filesystem::path data_dir;
  testing::TestHost host;
  UnionpayPlugin plugin;
};

TEST_F(UnionpayPluginTest, DeclaresNoCloseAndChecksMerIdItself) {
  const auto c = plugin.capabilities();
  EXPECT_FALSE(c.close);
  EXPECT_TRUE(c.refund);
  EXPECT_TRUE(c.partial_refund);
  EXPECT_TRUE(c.refund_query);
  EXPECT_EQ(plugin.merchant_app_id(), "");
}

TEST_F(UnionpayPluginTest, AppCreateSendsASignedConsumeAndHandsBackTheTn) {
  answer(app_answer());
  auto created = plugin.create(create_request("upacp"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(sdk::json_dump(created->credential),
            std::string(R"({"tn":")") + kTn + R"(","mode":"01"})");

  ASSERT_EQ(host.provider.sent().size(), 1u);
  const auto request = host.provider.sent()[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, std::string(kSandboxBase) + "/gateway/api/appTransReq.do");
  EXPECT_EQ(request.headers.get("Content-Type").value_or(""),
            "application/x-www-form-urlencoded; charset=UTF-8");
  EXPECT_EQ(request.timeout, std::chrono::milliseconds(10000));
  EXPECT_EQ(request.connect_timeout, std::chrono::milliseconds(3000));
  const Pairs fields = sent();
  EXPECT_TRUE(testing::verifies_with(pki().merchant_key.public_pem, fields));
  EXPECT_EQ(value_of(fields, "certId"), "69903319369");
  EXPECT_EQ(value_of(fields, "merId"), kMerId);
  EXPECT_EQ(value_of(fields, "orderId"), kOrderNo);
  EXPECT_EQ(value_of(fields, "txnTime"), "20261205162930");
  EXPECT_EQ(value_of(fields, "payTimeout"), "20261205172930");
  EXPECT_EQ(value_of(fields, "txnAmt"), "1234");
  EXPECT_EQ(value_of(fields, "channelType"), "08");
  EXPECT_EQ(value_of(fields, "backUrl"), "http://127.0.0.1:8080/notify/unionpay");
  EXPECT_EQ(value_of(fields, "orderDesc"), "钱包充值");
  EXPECT_EQ(value_of(fields, "frontUrl"), "<absent>");
  EXPECT_EQ(fields.back().first, "signature");
}

TEST_F(UnionpayPluginTest, ApplePayCredentialCarriesTheAppleMerchantId) {
  answer(app_answer());
  auto created = plugin.create(create_request("applepay_upacp"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(sdk::json_dump(created->credential),
            std::string(R"({"tn":")") + kTn +
                R"(","mode":"01","merchant_id":"merchant.com.payhost.sandbox"})");
}

TEST_F(UnionpayPluginTest, BrowserChannelsHandBackTheSignedFormAndSendNothing) {
  for (const char* channel : {"upacp_wap", "upacp_pc"}) {
    auto created = plugin.create(create_request(channel));
    ASSERT_TRUE(created) << created.error().message;
    const sdk::Json& c = created->credential;
    EXPECT_EQ(c.at("channel_url"), std::string(kSandboxBase) + "/gateway/api/frontTransReq.do");
    Pairs fields;
    for (auto it = c.begin(); it != c.end(); ++it) {
      if (it.key() != "channel_url") fields.emplace_back(it.key(), it.value().get<std::string>());
    }
    EXPECT_TRUE(testing::verifies_with(pki().merchant_key.public_pem, fields)) << channel;
    EXPECT_EQ(value_of(fields, "frontUrl"), "https://shop.example/paid");
    EXPECT_EQ(value_of(fields, "channelType"), std::string(channel) == "upacp_pc" ? "07" : "08");
    EXPECT_EQ(fields.front().first, "version");
    EXPECT_EQ(fields.back().first, "signature");
    EXPECT_EQ(std::prev(c.end()).key(), "channel_url");
  }
  EXPECT_TRUE(host.provider.sent().empty());
}

TEST_F(UnionpayPluginTest, CreateOutcomesThatAreNotATn) {
  struct Case {
    const char* what;
    std::function<void()> script;
    ErrorKind kind;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"in progress", [&] { answer(app_answer("03")); }, ErrorKind::unavailable, "unionpay_03"},
      {"refused", [&] { answer(app_answer("12")); }, ErrorKind::channel, "unionpay_12"},
      {"unsigned", [&] { host.provider.reply(200, raw_answer(app_answer())); },
       ErrorKind::unavailable, "missing_certificate"},
      {"foreign signer",
       [&] { host.provider.reply(200, raw_answer(unionpay_signed(app_answer(), pki().foreign))); },
       ErrorKind::unavailable, "foreign_certificate"},
      {"outside the chain",
       [&] { host.provider.reply(200, raw_answer(unionpay_signed(app_answer(), pki().outsider))); },
       ErrorKind::unavailable, "untrusted_certificate"},
      {"tampered tn",
       [&] {
         host.provider.reply(200, raw_answer(with(unionpay_signed(app_answer()), "tn", "1")));
       },
       ErrorKind::unavailable, "bad_signature"},
      {"refusal signed by another key",
       [&] {
         host.provider.reply(200, raw_answer(unionpay_signed(app_answer("12"), pki().sign,
                                                             pki().merchant_key.private_pem)));
       },
       ErrorKind::unavailable, "bad_signature"},
      {"HTTP 502", [&] { host.provider.reply(502, "bad gateway"); }, ErrorKind::unavailable,
       "unionpay_http_502"},
      {"timeout", [&] { host.provider.timeout(); }, ErrorKind::unavailable, "timeout"},
      {"no tn", [&] { answer(without(app_answer(), "tn")); }, ErrorKind::unavailable, "no_tn"},
      {"another order", [&] { answer(app_answer("00", "20261205083000zzzzzzzzzz")); },
       ErrorKind::unavailable, "order_mismatch"},
      {"html", [&] { host.provider.reply(200, "<html>error</html>"); }, ErrorKind::unavailable,
       "malformed_message"},
      {"repeated respCode",
       [&] {
         host.provider.reply(200, raw_answer(unionpay_signed(app_answer())) + "&respCode=00");
       },
       ErrorKind::unavailable, "duplicate_field"},
  };
  for (const auto& c : cases) {
    c.script();
    auto created = plugin.create(create_request("upacp"));
    ASSERT_FALSE(created) << c.what;
    EXPECT_EQ(created.error().kind, c.kind) << c.what << ": " << created.error().message;
    EXPECT_EQ(created.error().code, c.code) << c.what << ": " << created.error().message;
  }
}

TEST_F(UnionpayPluginTest, CreateChecksBeforeSending) {
  auto r = create_request("upacp");
  r.order_no = "order-with-dash";
  EXPECT_EQ(plugin.create(r).error().param, "order_no");
  auto wap = create_request("upacp_wap");
  wap.extra = sdk::Json::object();
  EXPECT_EQ(plugin.create(wap).error().param, "extra.result_url");
  EXPECT_EQ(plugin.create(create_request("wx")).error().code, "unknown_channel");
  EXPECT_TRUE(host.provider.sent().empty());
}

TEST_F(UnionpayPluginTest, AcceptsAPaymentNotification) {
  auto status = plugin.verify_notification(post(signed_form(notification())));
  ASSERT_TRUE(status) << status.error().code << ": " << status.error().message;
  EXPECT_EQ(status->outcome, Outcome::succeeded);
  EXPECT_EQ(status->order_no, kOrderNo);
  EXPECT_EQ(status->transaction_no, kQueryId);
  EXPECT_EQ(status->amount, 1234);
  EXPECT_EQ(status->app_id, "");
  EXPECT_EQ(status->time_paid, kNow + 60);  // traceTime 1205163100 Beijing

  const auto yes = plugin.notification_reply(true);
  EXPECT_EQ(yes.status, 200);
  EXPECT_EQ(yes.body, "ok");
  const auto no = plugin.notification_reply(false);
  EXPECT_EQ(no.status, 500);
  EXPECT_EQ(no.body, "fail");
}

TEST_F(UnionpayPluginTest, ReportsTheAmountAsSigned) {
  auto a6 = plugin.verify_notification(
      post(signed_form(with(notification("100000000"), "respCode", "A6"))));
  ASSERT_TRUE(a6) << a6.error().message;
  EXPECT_EQ(a6->amount, 100000000);
  auto no_trace =
      plugin.verify_notification(post(signed_form(without(notification(), "traceTime"))));
  ASSERT_TRUE(no_trace);
  EXPECT_EQ(no_trace->time_paid, kNow - 30);  // txnTime when traceTime is absent
  EXPECT_EQ(refusal_code(signed_form(notification("01234"))), "invalid_amount");
  EXPECT_EQ(refusal_code(signed_form(notification("0"))), "invalid_amount");
  EXPECT_EQ(refusal_code(signed_form(notification("12.34"))), "invalid_amount");
  EXPECT_EQ(refusal_code(signed_form(notification("-1"))), "invalid_amount");
  EXPECT_EQ(refusal_code(signed_form(without(notification(), "txnAmt"))), "invalid_amount");
}

TEST_F(UnionpayPluginTest, RefusesEveryBadNotificationWithoutThrowing) {
  const Pairs good = notification();
  const std::string signed_body = signed_form(good);
  std::string truncated_cert = pki().sign.crlf();
  truncated_cert.resize(truncated_cert.size() / 2);
  Pairs with_truncated = good;
  with_truncated.emplace_back("signPubKeyCert", truncated_cert);
  with_truncated.emplace_back("signature",
                              testing::sign_pairs(pki().sign_key.private_pem, with_truncated));

  const std::vector<std::pair<std::string, std::string>> cases = {
      {sdk::form_encode(unionpay_signed(good, pki().foreign)), "foreign_certificate"},
      {sdk::form_encode(unionpay_signed(good, pki().outsider)), "untrusted_certificate"},
      {sdk::form_encode(unionpay_signed(good, pki().direct)), "untrusted_certificate"},
      {sdk::form_encode(unionpay_signed(good, pki().expired)), "certificate_expired"},
      {sdk::form_encode(with(unionpay_signed(good), "txnAmt", "1")), "bad_signature"},
      {sdk::form_encode(with(unionpay_signed(good), "orderId", "20261205083000zzzzzzzzzz")),
       "bad_signature"},
      {sdk::form_encode(without(unionpay_signed(good), "signature")), "missing_signature"},
      {sdk::form_encode(with(unionpay_signed(good), "signature", "not base64!")),
       "malformed_signature"},
      {sdk::form_encode(without(unionpay_signed(good), "signPubKeyCert")), "missing_certificate"},
      {sdk::form_encode(with_truncated), "malformed_certificate"},
      {signed_form(with(good, "respCode", "01")), "payment_not_successful"},
      {signed_form(with(good, "merId", "898111111111111")), "mer_id_mismatch"},
      {signed_form(without(good, "merId")), "mer_id_mismatch"},
      {signed_form(with(good, "txnType", "04")), "not_a_payment"},
      {signed_form(with(good, "signMethod", "02")), "unsupported_sign_method"},
      {signed_form(with(good, "version", "5.0.0")), "unsupported_version"},
      {signed_form(with(good, "txnTime", "2026120516293")), "invalid_txn_time"},
      {signed_form(with(good, "traceTime", "1305163100")), "invalid_trace_time"},
      {signed_form(without(good, "queryId")), "invalid_query_id"},
      {signed_form(with(good, "orderId", "short")), "invalid_order_id"},
      {signed_form(with(good, "currencyCode", "840")), "currency_mismatch"},
      {signed_body + "&txnAmt=1", "duplicate_field"},
      {"txnAmt=1&" + signed_body, "duplicate_field"},
      {signed_body + "&pad=" + std::string(70 * 1024, 'x'), "body_too_large"},
      {signed_form(with(good, "respMsg", std::string(17 * 1024, 'x'))), "value_too_large"},
      {signed_body + "&respMsg2=%FF%FE", "invalid_utf8"},
      {signed_body + "&note=a%00b", "control_character"},
      {signed_body + "&note=%ZZ", "malformed_escape"},
      {"not a form", "malformed_message"},
      {"", "malformed_message"},
      {R"({"respCode":"00"})", "malformed_message"},
      {signed_body + "&a%26b=1", "invalid_field_name"},
      {signed_body + "&extra=x%26txnAmt%3D1", "ambiguous_value"},
  };
  for (const auto& [body, code] : cases) {
    EXPECT_EQ(refusal_code(body), code) << body.substr(0, 120);
  }
  EXPECT_EQ(refusal_code(signed_body), "accepted");
}

TEST_F(UnionpayPluginTest, QuerySendsTheTxnTimeCreateSent) {
  answer(app_answer());
  ASSERT_TRUE(plugin.create(create_request("upacp")));
  answer(query_answer("00"));
  auto status = plugin.query(trade_ref());
  ASSERT_TRUE(status) << status.error().message;
  const Pairs consume = sent(0);
  const Pairs query = sent(1);
  EXPECT_EQ(host.provider.sent()[1].url, std::string(kSandboxBase) + "/gateway/api/queryTrans.do");
  EXPECT_EQ(value_of(query, "txnTime"), value_of(consume, "txnTime"));
  EXPECT_EQ(value_of(query, "orderId"), kOrderNo);
  EXPECT_EQ(value_of(query, "txnType"), "00");
  EXPECT_EQ(value_of(query, "bizType"), "000000");
  EXPECT_TRUE(testing::verifies_with(pki().merchant_key.public_pem, query));
  EXPECT_EQ(status->outcome, Outcome::succeeded);
  EXPECT_EQ(status->transaction_no, kQueryId);
  EXPECT_EQ(status->amount, 1234);
}

TEST_F(UnionpayPluginTest, QueryOutcomes) {
  answer(query_answer("03"));
  EXPECT_EQ(plugin.query(trade_ref())->outcome, Outcome::pending);
  answer(query_answer("01"));
  auto failed = plugin.query(trade_ref());
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->outcome, Outcome::failed);
  EXPECT_EQ(failed->failure_code, "unionpay_01");
  EXPECT_EQ(failed->failure_msg, "交易失败");

  const Pairs unknown = {{"version", "5.1.0"},
                         {"respCode", "34"},
                         {"respMsg", "查无此交易"},
                         {"merId", kMerId},
                         {"orderId", kOrderNo}};
  answer(unknown);
  EXPECT_EQ(plugin.query(trade_ref())->outcome, Outcome::pending);
  host.time.set(trade_ref().time_expire + 299);
  answer(unknown);
  EXPECT_EQ(plugin.query(trade_ref())->outcome, Outcome::pending);
  host.time.set(trade_ref().time_expire + 300);
  answer(unknown);
  auto closed = plugin.query(trade_ref());
  ASSERT_TRUE(closed);
  EXPECT_EQ(closed->outcome, Outcome::closed);
  EXPECT_EQ(closed->failure_code, "unionpay_34");
  host.time.set(kNow);

  answer(with(query_answer("00"), "respCode", "05"));
  EXPECT_EQ(plugin.query(trade_ref()).error().kind, ErrorKind::unavailable);
  answer(with(query_answer("00"), "respCode", "10"));
  EXPECT_EQ(plugin.query(trade_ref()).error().kind, ErrorKind::channel);
  answer(with(query_answer("00"), "orderId", "20261205083000zzzzzzzzzz"));
  EXPECT_EQ(plugin.query(trade_ref()).error().code, "order_mismatch");
  answer(with(query_answer("00"), "merId", "898111111111111"));
  EXPECT_EQ(plugin.query(trade_ref()).error().kind, ErrorKind::unavailable);
  answer(with(query_answer("00"), "txnAmt", "01"));
  EXPECT_EQ(plugin.query(trade_ref()).error().kind, ErrorKind::unavailable);
  host.provider.reply(200, raw_answer(query_answer("00")));
  EXPECT_EQ(plugin.query(trade_ref()).error().kind, ErrorKind::unavailable);
  host.provider.timeout();
  EXPECT_EQ(plugin.query(trade_ref()).error().kind, ErrorKind::unavailable);
}

TEST_F(UnionpayPluginTest, RefundsWithTheSameOrderIdAndTxnTimeOnEveryTry) {
  sdk::RefundRequest r;
  r.trade = trade_ref();
  r.trade.transaction_no = kQueryId;
  r.refund_no = "20261205083500R0001";
  r.amount = 234;
  const Pairs accepted = {{"version", "5.1.0"},     {"respCode", "00"},
                          {"respMsg", "成功"},      {"merId", kMerId},
                          {"orderId", r.refund_no}, {"queryId", "512212051635000000077"}};
  answer(accepted);
  auto first = plugin.refund(r);
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->outcome, Outcome::pending);
  EXPECT_EQ(first->provider_refund_no, "512212051635000000077");
  host.time.advance(std::chrono::seconds(120));
  answer(accepted);
  ASSERT_TRUE(plugin.refund(r));
  const Pairs one = sent(0);
  const Pairs two = sent(1);
  EXPECT_EQ(host.provider.sent()[0].url,
            std::string(kSandboxBase) + "/gateway/api/backTransReq.do");
  EXPECT_EQ(value_of(one, "txnType"), "04");
  EXPECT_EQ(value_of(one, "origQryId"), kQueryId);
  EXPECT_EQ(value_of(one, "orderId"), "20261205083500R0001");
  EXPECT_EQ(value_of(one, "txnTime"), "20261205163500");
  EXPECT_EQ(value_of(one, "txnAmt"), "234");
  EXPECT_EQ(value_of(one, "backUrl"), "http://127.0.0.1:8080/notify/unionpay");
  EXPECT_EQ(value_of(two, "orderId"), value_of(one, "orderId"));
  EXPECT_EQ(value_of(two, "txnTime"), value_of(one, "txnTime"));
  EXPECT_TRUE(testing::verifies_with(pki().merchant_key.public_pem, one));

  answer(with(accepted, "respCode", "11"));
  EXPECT_EQ(plugin.refund(r).error().kind, ErrorKind::channel);
  answer(with(accepted, "respCode", "04"));
  EXPECT_EQ(plugin.refund(r).error().kind, ErrorKind::unavailable);

  const std::size_t before = host.provider.sent().size();
  auto bad = r;
  bad.refund_no = "refund-1";
  EXPECT_EQ(plugin.refund(bad).error().param, "refund_no");
  EXPECT_EQ(host.provider.sent().size(), before);
}

TEST_F(UnionpayPluginTest, QueriesARefund) {
  sdk::RefundRequest r;
  r.trade = trade_ref();
  r.trade.transaction_no = kQueryId;
  r.refund_no = "20261205083500R0001";
  r.amount = 234;
  Pairs done = {{"version", "5.1.0"},
                {"respCode", "00"},
                {"merId", kMerId},
                {"orderId", r.refund_no},
                {"txnType", "04"},
                {"origRespCode", "00"},
                {"queryId", "512212051635000000077"}};
  answer(done);
  auto result = plugin.query_refund(r);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->outcome, Outcome::succeeded);
  EXPECT_EQ(value_of(sent(0), "orderId"), r.refund_no);
  EXPECT_EQ(value_of(sent(0), "txnTime"), "20261205163500");
  answer(with(done, "origRespCode", "05"));
  EXPECT_EQ(plugin.query_refund(r)->outcome, Outcome::pending);
  answer(with(done, "origRespCode", "31"));
  EXPECT_EQ(plugin.query_refund(r)->outcome, Outcome::failed);
  answer(with(done, "respCode", "34"));
  EXPECT_EQ(plugin.query_refund(r).error().kind, ErrorKind::not_found);
  answer(with(done, "txnType", "01"));
  EXPECT_EQ(plugin.query_refund(r).error().kind, ErrorKind::unavailable);
}

TEST_F(UnionpayPluginTest, ManyNotificationsAtOnce) {
  const std::string body = signed_form(notification());
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 25; ++j) {
        if (plugin.verify_notification(post(body))) ++ok;
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(ok.load(), 200);
}

TEST(UnionpayPluginLazy, LoadsTheSimulatorsFilesWhenTheyAppear) {
  testing::TestHost host;
  const std::filesystem::path data_dir = host.data_dir();
  UnionpayPlugin plugin;
  ASSERT_TRUE(plugin.start(sdk::Options(sdk::Json::object()), host));
  auto early = plugin.create(create_request("upacp_pc"));
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "sandbox_not_ready");
  EXPECT_NE(early.error().message.find("enable the sandbox_unionpay plugin"), std::string::npos);
  const std::string body = sdk::form_encode(unionpay_signed(notification()));
  EXPECT_EQ(plugin.verify_notification(post(body)).error().code, "sandbox_not_ready");

  testing::write_sandbox_files(data_dir);
  auto later = plugin.create(create_request("upacp_pc"));
  ASSERT_TRUE(later) << later.error().message;
  EXPECT_EQ(later->credential.at("certId"), "69903319369");
  std::filesystem::remove_all(data_dir);
}

TEST(UnionpayPluginLive, TalksToTheProductionGatewayInLiveMode) {
  const auto dir = testing::fresh_dir("live");
  testing::write_file(dir / "merchant.pfx",
                      testing::make_pfx(pki().merchant_key, pki().merchant, "s3cret-pfx-pass"));
  testing::write_file(dir / "root.cer", pki().root.pem);
  testing::write_file(dir / "middle.cer", pki().middle.pem);
  testing::TestHost host;
  host.live = true;
  UnionpayPlugin plugin;
  const sdk::Json options = {{"mer_id", "898111111111111"},
                             {"sign_cert_pfx", (dir / "merchant.pfx").string()},
                             {"sign_cert_password", "s3cret-pfx-pass"},
                             {"root_cert", (dir / "root.cer").string()},
                             {"middle_cert", (dir / "middle.cer").string()}};
  auto st = plugin.start(sdk::Options(options), host);
  ASSERT_TRUE(st) << st.error().message;
  EXPECT_EQ(host.log.dump().find("s3cret-pfx-pass"), std::string::npos);
  host.provider.reply(200,
                      raw_answer(unionpay_signed(with(app_answer(), "merId", "898111111111111"))));
  auto created = plugin.create(create_request("upacp"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_EQ(created->credential.at("mode"), "00");
  EXPECT_EQ(host.provider.sent().at(0).url, "https://gateway.95516.com/gateway/api/appTransReq.do");
  // No apple_merchant_id configured: applepay_upacp is refused before anything is sent.
  auto apple = plugin.create(create_request("applepay_upacp"));
  ASSERT_FALSE(apple);
  EXPECT_EQ(apple.error().param, "apple_merchant_id");
  EXPECT_EQ(host.provider.sent().size(), 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace payhost::unionpay
