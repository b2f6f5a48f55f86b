// The pure request builders: system parameters, biz_content, credentials and Beijing time.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "beijing_time.hpp"
#include "payhost/sdk/http.hpp"
#include "requests.hpp"
#include "test_support.hpp"

namespace payhost::alipay {
namespace {

sdk::CreateRequest sample_request(std::string channel, sdk::Fen amount = 1) {
  sdk::CreateRequest r;
  r.channel = std::move(channel);
  r.charge_id = "ch_000000000000000000000001";
  r.order_no = "20231221A001";
  r.amount = amount;
  r.subject = "Test & \"quotes\" / 测试";
  r.body = "body text";
  r.created = 1703141270;
  r.time_expire = 1703141270 + 86400;
  r.notify_url = "https://pay.example.com/notify/alipay";
  return r;
}

sdk::Json biz_of(const std::string& biz_content) {
  return sdk::Json::parse(biz_content);
}

// ---- Beijing time --------------------------------------------------------------------------

TEST(BeijingTime, FormatsUtcPlusEight) {
  EXPECT_EQ(format_beijing(0), "1970-01-01 08:00:00");
  EXPECT_EQ(format_beijing(1703141270), "2023-12-21 14:47:50");
  EXPECT_EQ(format_beijing(1703141270 + 86400), "2023-12-22 14:47:50");
  EXPECT_EQ(format_beijing(1709222399), "2024-02-29 23:59:59");  // a leap day
  EXPECT_EQ(format_beijing(1709222400), "2024-03-01 00:00:00");
  EXPECT_EQ(format_beijing(-28801), "1969-12-31 23:59:59");
  EXPECT_EQ(format_beijing(4102444799), "2100-01-01 07:59:59");
  EXPECT_EQ(format_beijing(-30610205939), "1000-01-01 13:01:01");
  EXPECT_EQ(format_beijing(-31000000000), "0987-08-26 00:53:20");  // four-digit years, padded
  EXPECT_EQ(format_beijing(253402271999), "9999-12-31 23:59:59");
  EXPECT_EQ(format_beijing(253402272000), "10000-01-01 00:00:00");
}

TEST(BeijingTime, ParsesStrictlyAndRoundTrips) {
  EXPECT_EQ(parse_beijing("2023-12-21 14:48:36"), 1703141316);
  EXPECT_EQ(parse_beijing("2019-08-15 15:56:24"), 1565855784);
  EXPECT_EQ(parse_beijing("2024-02-29 12:00:00"), 1709179200);
  for (std::int64_t t : {0LL, 1703141270LL, 1709222399LL, 4102444800LL}) {
    EXPECT_EQ(parse_beijing(format_beijing(t)), t);
  }
  for (const char* bad : {"", "2023-12-21", "2023-12-21T14:48:36", "2023-12-21 14:48:36Z",
                          "2023-02-29 00:00:00", "2023-13-01 00:00:00", "2023-00-10 00:00:00",
                          "2023-12-32 00:00:00", "2023-12-21 24:00:00", "2023-12-21 14:60:00",
                          "2023-12-21 14:48:60", "2023-1a-21 14:48:36", "+023-12-21 14:48:36"}) {
    EXPECT_FALSE(parse_beijing(bad).has_value()) << bad;
  }
}

TEST(BeijingTime, DoesNotDependOnTheMachineTimeZone) {
  const char* old = std::getenv("TZ");
  const std::string saved = old ? old : "";
  setenv("TZ", "America/Los_Angeles", 1);
  tzset();
  EXPECT_EQ(format_beijing(1703141270), "2023-12-21 14:47:50");
  EXPECT_EQ(parse_beijing("2023-12-21 14:48:36"), 1703141316);
  if (old) {
    setenv("TZ", saved.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

// ---- biz_content -------------------------------------------------------------------------

TEST(BizContent, AmountsAreYuanWithTwoDecimals) {
  const auto info = *channel_info("alipay");
  EXPECT_EQ(biz_of(pay_biz_content(sample_request("alipay", 1), info))["total_amount"], "0.01");
  EXPECT_EQ(biz_of(pay_biz_content(sample_request("alipay", 100), info))["total_amount"], "1.00");
  EXPECT_EQ(biz_of(pay_biz_content(sample_request("alipay", 12345), info))["total_amount"],
            "123.45");
}

TEST(BizContent, TimeExpireIsPassedInBeijingTime) {
  const auto info = *channel_info("alipay_qr");
  const auto biz = biz_of(pay_biz_content(sample_request("alipay_qr"), info));
  EXPECT_EQ(biz["time_expire"], "2023-12-22 14:47:50");
  auto no_expiry = sample_request("alipay_qr");
  no_expiry.time_expire = 0;
  EXPECT_FALSE(biz_of(pay_biz_content(no_expiry, info)).contains("time_expire"));
}

TEST(BizContent, ProductCodesPerChannel) {
  const std::pair<const char*, const char*> cases[] = {
      {"alipay", "QUICK_MSECURITY_PAY"},
      {"alipay_wap", "QUICK_WAP_WAY"},
      {"alipay_pc_direct", "FAST_INSTANT_TRADE_PAY"},
  };
  for (const auto& [channel, code] : cases) {
    const auto info = *channel_info(channel);
    const auto biz = biz_of(pay_biz_content(sample_request(channel), info));
    EXPECT_EQ(biz["product_code"], code) << channel;
    EXPECT_EQ(biz["out_trade_no"], "20231221A001");
    EXPECT_EQ(biz["subject"], "Test & \"quotes\" / 测试");
    EXPECT_EQ(biz["body"], "body text");
  }
  EXPECT_FALSE(biz_of(pay_biz_content(sample_request("alipay_qr"), *channel_info("alipay_qr")))
                   .contains("product_code"));
  EXPECT_EQ(channel_info("alipay_qr")->method, "alipay.trade.precreate");
  EXPECT_FALSE(channel_info("wx").has_value());
}

TEST(BizContent, QuitUrlOnlyForWap) {
  EXPECT_EQ(biz_of(pay_biz_content(sample_request("alipay_wap"), *channel_info("alipay_wap"),
                                   "https://shop.example.com/cancel"))["quit_url"],
            "https://shop.example.com/cancel");
  EXPECT_FALSE(biz_of(pay_biz_content(sample_request("alipay_pc_direct"),
                                      *channel_info("alipay_pc_direct"), "https://x"))
                   .contains("quit_url"));
}

TEST(BizContent, KeepsUtf8AndSlashesUnescaped) {
  const std::string biz = pay_biz_content(sample_request("alipay"), *channel_info("alipay"));
  EXPECT_NE(biz.find("测试"), std::string::npos);
  EXPECT_NE(biz.find(" / "), std::string::npos);
}

TEST(BizContent, IsCompactJsonWithItsMembersInAFixedOrder) {
  EXPECT_EQ(pay_biz_content(sample_request("alipay_wap", 250), *channel_info("alipay_wap"),
                            "https://shop.example.com/cancel"),
            R"({"out_trade_no":"20231221A001","total_amount":"2.50",)"
            R"("subject":"Test & \"quotes\" / 测试","body":"body text",)"
            R"("product_code":"QUICK_WAP_WAY","time_expire":"2023-12-22 14:47:50",)"
            R"("quit_url":"https://shop.example.com/cancel"})");
  auto odd = sample_request("alipay_qr");
  odd.subject = "tab\there \xff";
  odd.body.clear();
  EXPECT_EQ(pay_biz_content(odd, *channel_info("alipay_qr")),
            "{\"out_trade_no\":\"20231221A001\",\"total_amount\":\"0.01\","
            "\"subject\":\"tab\\there \xef\xbf\xbd\",\"time_expire\":\"2023-12-22 14:47:50\"}");
}

TEST(BizContent, QueryCloseRefund) {
  EXPECT_EQ(query_biz_content("A1"), R"({"out_trade_no":"A1"})");
  EXPECT_EQ(close_biz_content("A1"), R"({"out_trade_no":"A1"})");
  sdk::RefundRequest r;
  r.trade.order_no = "A1";
  r.refund_no = "re_123";
  r.amount = 50;
  r.reason = "customer asked";
  EXPECT_EQ(refund_biz_content(r),
            R"({"out_trade_no":"A1","refund_amount":"0.50","out_request_no":"re_123",)"
            R"("refund_reason":"customer asked"})");
  r.reason.clear();
  EXPECT_FALSE(biz_of(refund_biz_content(r)).contains("refund_reason"));
}

// ---- system parameters and credentials -----------------------------------------------------

Params signed_sample(std::string_view method, std::string return_url = {}) {
  SystemParams p;
  p.app_id = "9021000000000001";
  p.method = std::string(method);
  p.timestamp = "2023-12-21 14:47:50";
  p.notify_url = "https://pay.example.com/notify/alipay";
  p.return_url = std::move(return_url);
  p.biz_content = R"({"out_trade_no":"A1","total_amount":"0.01","subject":"a b"})";
  auto key = load_private_key(testing::merchant_pair().private_key);
  auto s = sign_request(*key, system_params(p));
  EXPECT_TRUE(s.ok());
  return s.ok() ? *s : Params{};
}

bool verifies(const Params& params) {
  Params unsigned_params;
  std::string sign;
  for (const auto& [k, v] : params) {
    if (k == "sign") {
      sign = v;
    } else {
      unsigned_params.emplace_back(k, v);
    }
  }
  auto key = load_public_key(testing::merchant_pair().public_key);
  return rsa2_verify(*key, request_sign_content(unsigned_params), sign);
}

TEST(SystemParams, CommonParametersAndNoEmptyOnes) {
  SystemParams p;
  p.app_id = "9021000000000001";
  p.method = "alipay.trade.query";
  p.timestamp = "2023-12-21 14:47:50";
  p.biz_content = "{}";
  const Params params = system_params(p);
  std::map<std::string, std::string> m(params.begin(), params.end());
  EXPECT_EQ(m["format"], "JSON");
  EXPECT_EQ(m["charset"], "utf-8");
  EXPECT_EQ(m["sign_type"], "RSA2");
  EXPECT_EQ(m["version"], "1.0");
  EXPECT_EQ(m["timestamp"], "2023-12-21 14:47:50");
  EXPECT_FALSE(m.contains("notify_url"));
  EXPECT_FALSE(m.contains("return_url"));
}

TEST(Credentials, AppOrderInfoIsSignedAndPercentEncoded) {
  const Params params = signed_sample("alipay.trade.app.pay");
  const sdk::Json credential = app_credential(params);
  ASSERT_TRUE(credential.is_object());
  ASSERT_EQ(credential.size(), 1u);
  const std::string order_info = credential["orderInfo"];
  EXPECT_EQ(order_info.find(' '), std::string::npos);
  EXPECT_EQ(order_info.find('{'), std::string::npos);
  EXPECT_NE(order_info.find("timestamp=2023-12-21%2014%3A47%3A50"), std::string::npos);
  // Decoding once gives back exactly what was signed.
  const auto decoded = sdk::parse_form(order_info);
  EXPECT_EQ(Params(decoded.begin(), decoded.end()), params);
  EXPECT_TRUE(verifies(Params(decoded.begin(), decoded.end())));
}

TEST(Credentials, FormFieldsAreRawPlusChannelUrl) {
  const Params params = signed_sample("alipay.trade.wap.pay", "https://shop.example.com/done");
  const sdk::Json credential = form_credential(params, "https://openapi.alipay.com/gateway.do");
  EXPECT_EQ(credential["channel_url"], "https://openapi.alipay.com/gateway.do");
  EXPECT_EQ(credential["timestamp"], "2023-12-21 14:47:50");  // not percent-encoded
  EXPECT_EQ(credential["return_url"], "https://shop.example.com/done");
  EXPECT_EQ(credential["method"], "alipay.trade.wap.pay");
  EXPECT_EQ(credential["sign_type"], "RSA2");
  ASSERT_TRUE(credential["sign"].is_string());
  // What pingpp-js does with it: every field but channel_url becomes a query parameter.
  Params back;
  for (const auto& [k, v] : credential.items()) {
    if (k != "channel_url") back.emplace_back(k, v.get<std::string>());
  }
  EXPECT_TRUE(verifies(back));
}

}  // namespace
}  // namespace payhost::alipay
