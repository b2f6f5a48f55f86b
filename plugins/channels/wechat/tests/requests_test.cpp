// The pure request side: RFC 3339 times, the checks a charge passes before anything is
// sent, request bodies and paths byte for byte, and each channel's credential.
#include <gtest/gtest.h>

#include "payhost/sdk/encoding.hpp"
#include "requests.hpp"
#include "rfc3339.hpp"
#include "signing.hpp"
#include "test_support.hpp"
#include "transaction.hpp"

namespace payhost::wechat {
namespace {

using sdk::Outcome;
using testing::merchant_pair;
using testing::verifies_with;

// ---- RFC 3339 ------------------------------------------------------------------------------

TEST(Rfc3339, FormatsBeijingTimeWhateverTheMachineZone) {
  EXPECT_EQ(format_rfc3339_beijing(1796459400), "2026-12-05T16:30:00+08:00");
  EXPECT_EQ(format_rfc3339_beijing(0), "1970-01-01T08:00:00+08:00");
  // Across a UTC day and a leap day: 2024-02-29T23:59:59Z.
  EXPECT_EQ(format_rfc3339_beijing(1709251199), "2024-03-01T07:59:59+08:00");
}

TEST(Rfc3339, ParsesAnyOffsetAndFractions) {
  EXPECT_EQ(parse_rfc3339("2026-12-05T16:30:00+08:00"), 1796459400);
  EXPECT_EQ(parse_rfc3339("2026-12-05T08:30:00Z"), 1796459400);
  EXPECT_EQ(parse_rfc3339("2026-12-05T03:00:00-05:30"), 1796459400);
  EXPECT_EQ(parse_rfc3339("2018-06-08T10:34:56.123+08:00"), 1528425296);
  EXPECT_EQ(parse_rfc3339("2024-02-29T23:59:59Z"), 1709251199);
  for (std::int64_t t : {0LL, 951782400LL, 1709251199LL, 1796459400LL, 4102444799LL}) {
    EXPECT_EQ(parse_rfc3339(format_rfc3339_beijing(t)), t) << t;
  }
}

TEST(Rfc3339, RefusesAnythingElse) {
  for (const char* bad :
       {"", "2026-12-05 16:30:00+08:00", "2026-12-05T16:30:00", "2026-12-05T16:30:00+0800",
        "2026-12-05T16:30+08:00", "2026-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
        "2026-12-32T00:00:00Z", "2026-12-05T24:00:00Z", "2026-12-05T16:60:00Z",
        "2016-12-31T23:59:60Z", "1969-12-31T23:59:59Z", "2026-12-05T16:30:00.Z",
        "2026-12-05T16:30:00.1234567890Z", "2026-12-05T16:30:00Z ", "+2026-12-05T16:30:00Z",
        "2026-12-05T16:30:00+24:00", "2026-1a-05T16:30:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

// ---- channels ------------------------------------------------------------------------------

TEST(Channels, FiveChannelsOfTwoHours) {
  const auto specs = channel_specs();
  ASSERT_EQ(specs.size(), 5u);
  const std::vector<std::string> names = {"wx", "wx_wap", "wx_pub", "wx_pub_qr", "wx_lite"};
  for (std::size_t i = 0; i < specs.size(); ++i) {
    EXPECT_EQ(specs[i].name, names[i]);
    EXPECT_EQ(specs[i].default_expiry_seconds, 7200);
    EXPECT_FALSE(specs[i].description.empty());
    ASSERT_TRUE(channel_info(names[i]).has_value());
  }
  EXPECT_TRUE(specs[0].required_extra.empty());
  EXPECT_EQ(specs[1].optional_extra, std::vector<std::string>{"result_url"});
  EXPECT_EQ(specs[2].required_extra, std::vector<std::string>{"open_id"});
  EXPECT_EQ(specs[3].required_extra, std::vector<std::string>{"product_id"});
  EXPECT_EQ(specs[4].required_extra, std::vector<std::string>{"open_id"});
  EXPECT_EQ(channel_info("wx")->prepay_path, "/v3/pay/transactions/app");
  EXPECT_EQ(channel_info("wx_wap")->prepay_path, "/v3/pay/transactions/h5");
  EXPECT_EQ(channel_info("wx_pub")->prepay_path, "/v3/pay/transactions/jsapi");
  EXPECT_EQ(channel_info("wx_pub_qr")->prepay_path, "/v3/pay/transactions/native");
  EXPECT_EQ(channel_info("wx_lite")->prepay_path, "/v3/pay/transactions/jsapi");
  EXPECT_FALSE(channel_info("alipay").has_value());
}

sdk::CreateRequest create_request(std::string channel) {
  sdk::CreateRequest r;
  r.channel = std::move(channel);
  r.charge_id = "ch_0123456789abcdefghijklmn";
  r.order_no = "20261205A001";
  r.amount = 1234;
  r.subject = "钱包充值";
  r.body = "Wallet top-up";
  r.client_ip = "203.0.113.7";
  r.created = 1796459400;
  r.time_expire = 1796459400 + 7200;
  r.notify_url = "https://pay.example.com/notify/wechat";
  if (r.channel == "wx_pub" || r.channel == "wx_lite") {
    r.extra = {{"open_id", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}};
  }
  if (r.channel == "wx_pub_qr") r.extra = {{"product_id", "sku-42"}};
  return r;
}

std::string refusal(const sdk::CreateRequest& r) {
  const auto st = check_create(r, *channel_info(r.channel));
  return st.ok() ? std::string("ok") : st.error().param + ":" + st.error().code;
}

TEST(CheckCreate, AcceptsEveryChannelsTypicalCharge) {
  for (const char* c : {"wx", "wx_wap", "wx_pub", "wx_pub_qr", "wx_lite"}) {
    EXPECT_EQ(refusal(create_request(c)), "ok") << c;
  }
}

TEST(CheckCreate, DescriptionIsAtMost127BytesNotCharacters) {
  auto r = create_request("wx");
  r.subject = std::string(127, 'a');
  EXPECT_EQ(refusal(r), "ok");
  r.subject = std::string(128, 'a');
  EXPECT_EQ(refusal(r), "subject:invalid_subject");
  r.subject.clear();
  for (int i = 0; i < 43; ++i)
    r.subject += "充";  // 43 characters, 129 bytes
  EXPECT_EQ(refusal(r), "subject:invalid_subject");
  r.subject = "";
  EXPECT_EQ(refusal(r), "subject:invalid_subject");
}

TEST(CheckCreate, OrderNoIs6To32OfWechatsAlphabet) {
  auto r = create_request("wx");
  for (const char* ok : {"abc123", "A_b|c*d-e", "12345678901234567890123456789012"}) {
    r.order_no = ok;
    EXPECT_EQ(refusal(r), "ok") << ok;
  }
  for (const char* bad : {"abc12", "123456789012345678901234567890123", "order no", "order/1",
                          "订单123456", "order.123", "order%2F1"}) {
    r.order_no = bad;
    EXPECT_EQ(refusal(r), "order_no:invalid_order_no") << bad;
  }
}

TEST(CheckCreate, AmountAndCurrency) {
  auto r = create_request("wx");
  r.amount = 0;
  EXPECT_EQ(refusal(r), "amount:invalid_amount");
  r = create_request("wx");
  r.currency = "usd";
  EXPECT_EQ(refusal(r), "currency:invalid_currency");
}

TEST(CheckCreate, OpenIdIsPrintableAsciiWithoutSpaces) {
  auto r = create_request("wx_pub");
  r.extra = sdk::Json::object();
  EXPECT_EQ(refusal(r), "extra.open_id:missing_extra");
  r.extra = {{"open_id", 42}};
  EXPECT_EQ(refusal(r), "extra.open_id:invalid_extra");
  r.extra = {{"open_id", "o with space"}};
  EXPECT_EQ(refusal(r), "extra.open_id:invalid_extra");
  r.extra = {{"open_id", "o\u00e9"}};
  EXPECT_EQ(refusal(r), "extra.open_id:invalid_extra");
  r.extra = {{"open_id", std::string(129, 'o')}};
  EXPECT_EQ(refusal(r), "extra.open_id:invalid_extra");
  r.extra = {{"open_id", std::string(128, 'o')}};
  EXPECT_EQ(refusal(r), "ok");
  r.channel = "wx_lite";
  r.extra = sdk::Json::object();
  EXPECT_EQ(refusal(r), "extra.open_id:missing_extra");
}

TEST(CheckCreate, ProductIdIs1To32Of_AlnumUnderscoreDash) {
  auto r = create_request("wx_pub_qr");
  r.extra = sdk::Json::object();
  EXPECT_EQ(refusal(r), "extra.product_id:missing_extra");
  for (const char* bad : {"sku 42", "sku/42", "sku.42", "123456789012345678901234567890123"}) {
    r.extra = {{"product_id", bad}};
    EXPECT_EQ(refusal(r), "extra.product_id:invalid_extra") << bad;
  }
  r.extra = {{"product_id", "A-z_09"}};
  EXPECT_EQ(refusal(r), "ok");
}

TEST(CheckCreate, WapNeedsTheBuyersIpAndAnAbsoluteResultUrl) {
  auto r = create_request("wx_wap");
  r.client_ip = "";
  EXPECT_EQ(refusal(r), "client_ip:invalid_client_ip");
  r.client_ip = "203.0.113.7; DROP";
  EXPECT_EQ(refusal(r), "client_ip:invalid_client_ip");
  r.client_ip = "2001:db8::1";
  EXPECT_EQ(refusal(r), "ok");
  for (const char* bad : {"/relative", "javascript:alert(1)", "ftp://example.com/x", "https://",
                          "https://exa mple.com/", "https://example.com/\"x"}) {
    r.extra = {{"result_url", bad}};
    EXPECT_EQ(refusal(r), "extra.result_url:invalid_extra") << bad;
  }
  r.extra = {{"result_url", "https://shop.example.com/paid?order=1&x=%20"}};
  EXPECT_EQ(refusal(r), "ok");
}

// ---- bodies and paths ----------------------------------------------------------------------

TEST(PrepayBody, AppFieldsInOrderWithTimeExpireInBeijingTime) {
  const auto r = create_request("wx");
  EXPECT_EQ(prepay_body(r, *channel_info("wx"), "wxd678efh567hg6787", "1230000109",
                        "https://pay.example.com/notify/wechat"),
            R"({"appid":"wxd678efh567hg6787","mchid":"1230000109","description":"钱包充值",)"
            R"("out_trade_no":"20261205A001","time_expire":"2026-12-05T18:30:00+08:00",)"
            R"("attach":"ch_0123456789abcdefghijklmn",)"
            R"("notify_url":"https://pay.example.com/notify/wechat",)"
            R"("amount":{"total":1234,"currency":"CNY"}})");
}

TEST(PrepayBody, JsapiAddsThePayerAndH5TheScene) {
  const auto pub = sdk::Json::parse(
      prepay_body(create_request("wx_pub"), *channel_info("wx_pub"), "wxPUB", "1230000109", "n"));
  EXPECT_EQ(pub["payer"], (sdk::Json{{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}));
  EXPECT_FALSE(pub.contains("scene_info"));
  const auto lite = sdk::Json::parse(
      prepay_body(create_request("wx_lite"), *channel_info("wx_lite"), "wxLITE", "1", "n"));
  EXPECT_EQ(lite["payer"]["openid"], "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
  EXPECT_EQ(lite["appid"], "wxLITE");
  const auto h5 = sdk::Json::parse(
      prepay_body(create_request("wx_wap"), *channel_info("wx_wap"), "wxPUB", "1", "n"));
  EXPECT_EQ(h5["scene_info"],
            (sdk::Json{{"payer_client_ip", "203.0.113.7"}, {"h5_info", {{"type", "Wap"}}}}));
  EXPECT_FALSE(h5.contains("payer"));
  // Native has no product_id field in API v3: it stays in the charge's extra.
  const std::string native =
      prepay_body(create_request("wx_pub_qr"), *channel_info("wx_pub_qr"), "wxPUB", "1", "n");
  EXPECT_EQ(native.find("product_id"), std::string::npos);
  EXPECT_EQ(native.find("payer"), std::string::npos);
}

TEST(PrepayBody, NoTimeExpireWhenTheChargeHasNone) {
  auto r = create_request("wx");
  r.time_expire = 0;
  EXPECT_EQ(prepay_body(r, *channel_info("wx"), "a", "1", "n").find("time_expire"),
            std::string::npos);
}

TEST(Paths, SegmentsArePercentEncoded) {
  EXPECT_EQ(query_path("20261205A001", "1230000109"),
            "/v3/pay/transactions/out-trade-no/20261205A001?mchid=1230000109");
  EXPECT_EQ(query_path("a|b*c-d_e", "1230000109"),
            "/v3/pay/transactions/out-trade-no/a%7Cb%2Ac-d_e?mchid=1230000109");
  EXPECT_EQ(close_path("a|b/../x"), "/v3/pay/transactions/out-trade-no/a%7Cb%2F..%2Fx/close");
  EXPECT_EQ(close_body("1230000109"), R"({"mchid":"1230000109"})");
  EXPECT_EQ(refund_query_path("rf@1|2"), "/v3/refund/domestic/refunds/rf%401%7C2");
}

sdk::RefundRequest refund_request() {
  sdk::RefundRequest r;
  r.trade.channel = "wx";
  r.trade.order_no = "20261205A001";
  r.trade.amount = 1234;
  r.refund_no = "re_0123456789abcdefghijklmn";
  r.amount = 1000;
  r.reason = "商品已售完";
  return r;
}

TEST(Refunds, BodyCarriesBothAmountsAndTheStableRefundNo) {
  EXPECT_EQ(refund_body(refund_request()),
            R"({"out_trade_no":"20261205A001","out_refund_no":"re_0123456789abcdefghijklmn",)"
            R"("reason":"商品已售完","amount":{"refund":1000,"total":1234,"currency":"CNY"}})");
  auto r = refund_request();
  r.reason.clear();
  EXPECT_EQ(refund_body(r).find("reason"), std::string::npos);
}

TEST(Refunds, ChecksBeforeSending) {
  auto code = [](const sdk::RefundRequest& r) {
    const auto st = check_refund(r);
    return st.ok() ? std::string("ok") : st.error().param;
  };
  EXPECT_EQ(code(refund_request()), "ok");
  auto r = refund_request();
  r.amount = 0;
  EXPECT_EQ(code(r), "amount");
  r = refund_request();
  r.amount = 1235;
  EXPECT_EQ(code(r), "amount");
  r = refund_request();
  r.refund_no = "";
  EXPECT_EQ(code(r), "refund_no");
  r.refund_no = std::string(65, 'r');
  EXPECT_EQ(code(r), "refund_no");
  r.refund_no = "re 1";
  EXPECT_EQ(code(r), "refund_no");
  r = refund_request();
  r.reason = std::string(81, 'x');
  EXPECT_EQ(code(r), "reason");
}

TEST(Refunds, StatusesMapToOutcomes) {
  EXPECT_EQ(outcome_from_refund_status("SUCCESS"), Outcome::succeeded);
  EXPECT_EQ(outcome_from_refund_status("PROCESSING"), Outcome::pending);
  EXPECT_EQ(outcome_from_refund_status("CLOSED"), Outcome::failed);
  EXPECT_EQ(outcome_from_refund_status("ABNORMAL"), Outcome::failed);
  EXPECT_EQ(outcome_from_refund_status("success"), Outcome::unknown);
}

TEST(TradeStates, MapToOutcomes) {
  EXPECT_EQ(outcome_from_trade_state("SUCCESS"), Outcome::succeeded);
  EXPECT_EQ(outcome_from_trade_state("REFUND"), Outcome::succeeded);
  EXPECT_EQ(outcome_from_trade_state("NOTPAY"), Outcome::pending);
  EXPECT_EQ(outcome_from_trade_state("USERPAYING"), Outcome::pending);
  EXPECT_EQ(outcome_from_trade_state("CLOSED"), Outcome::closed);
  EXPECT_EQ(outcome_from_trade_state("REVOKED"), Outcome::closed);
  EXPECT_EQ(outcome_from_trade_state("PAYERROR"), Outcome::failed);
  EXPECT_EQ(outcome_from_trade_state("ACCEPT"), Outcome::unknown);
  EXPECT_EQ(outcome_from_trade_state(""), Outcome::unknown);
}

TEST(ShortText, CutsOnACharacterBoundaryAndDropsControls) {
  EXPECT_EQ(short_text("a\nb\x01"), "a b ");
  std::string long_text;
  for (int i = 0; i < 100; ++i)
    long_text += "失";  // 3 bytes each
  const std::string cut = short_text(long_text);
  EXPECT_EQ(cut.size(), 198u);  // 66 whole characters, not 200 bytes
  EXPECT_EQ(cut, long_text.substr(0, 198));
}

// ---- credentials ---------------------------------------------------------------------------

sdk::crypto::PrivateKey merchant_key() {
  return *sdk::crypto::PrivateKey::parse(merchant_pair().private_key);
}

TEST(Credentials, AppFieldsTypesOrderAndSignature) {
  auto c = app_credential(merchant_key(), "wxd678efh567hg6787", "1230000109",
                          "wx201410272009395522657a690389285100", 1796459400,
                          "593BEC0C930BF1AFEB40B4A08C8FB242");
  ASSERT_TRUE(c.ok());
  std::vector<std::string> keys;
  for (const auto& [k, v] : c->items())
    keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"appId", "partnerId", "prepayId", "nonceStr",
                                            "timeStamp", "packageValue", "sign"}));
  EXPECT_EQ((*c)["appId"], "wxd678efh567hg6787");
  EXPECT_EQ((*c)["partnerId"], "1230000109");
  EXPECT_EQ((*c)["prepayId"], "wx201410272009395522657a690389285100");
  EXPECT_EQ((*c)["nonceStr"], "593BEC0C930BF1AFEB40B4A08C8FB242");
  EXPECT_TRUE((*c)["timeStamp"].is_number_integer());
  EXPECT_EQ((*c)["timeStamp"], 1796459400);
  EXPECT_EQ((*c)["packageValue"], "Sign=WXPay");
  EXPECT_TRUE(verifies_with(merchant_pair().public_key,
                            "wxd678efh567hg6787\n1796459400\n593BEC0C930BF1AFEB40B4A08C8FB242\n"
                            "wx201410272009395522657a690389285100\n",
                            (*c)["sign"].get<std::string>()));
}

TEST(Credentials, JsapiFieldsTypesOrderAndSignature) {
  auto c = jsapi_credential(merchant_key(), "wxPUB0000000000002", "wx2026120516300012345",
                            1796459400, "N0nce");
  ASSERT_TRUE(c.ok());
  // Field order and types are the contract: compare the bytes, the signature aside.
  const sdk::Json expected = {{"appId", "wxPUB0000000000002"},
                              {"timeStamp", "1796459400"},
                              {"nonceStr", "N0nce"},
                              {"package", "prepay_id=wx2026120516300012345"},
                              {"signType", "RSA"},
                              {"paySign", (*c)["paySign"]}};
  EXPECT_EQ(sdk::json_dump(*c), sdk::json_dump(expected));
  EXPECT_TRUE((*c)["timeStamp"].is_string());
  EXPECT_EQ(c->size(), 6u);
  EXPECT_TRUE(
      verifies_with(merchant_pair().public_key,
                    "wxPUB0000000000002\n1796459400\nN0nce\nprepay_id=wx2026120516300012345\n",
                    (*c)["paySign"].get<std::string>()));
}

TEST(Credentials, WapAppendsTheEncodedRedirect) {
  const std::string h5 =
      "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/"
      "checkmweb?prepay_id=wx20261205&package=1037687096";
  EXPECT_EQ(wap_credential(h5, ""), h5);
  EXPECT_EQ(wap_credential(h5, "https://shop.example.com/paid?order=1&x=y"),
            h5 + "&redirect_url=https%3A%2F%2Fshop.example.com%2Fpaid%3Forder%3D1%26x%3Dy");
}

}  // namespace
}  // namespace payhost::wechat
