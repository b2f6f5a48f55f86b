// Beijing time on the wire, the checks made before anything is sent, the fields of each
// call, and the credentials' exact shapes.
#include <gtest/gtest.h>

#include "beijing_time.hpp"
#include "payhost/sdk/json.hpp"
#include "requests.hpp"
#include "test_support.hpp"

namespace payhost::unionpay {
namespace {

using testing::kNow;

sdk::CreateRequest create_request(std::string channel) {
  sdk::CreateRequest r;
  r.channel = std::move(channel);
  r.charge_id = "ch_0123456789abcdefghijklmn";
  r.order_no = "20261205083000abcdefghij";
  r.amount = 1234;
  r.subject = "钱包充值";
  r.created = kNow;
  r.time_expire = kNow + 3600;
  r.notify_url = "http://127.0.0.1:8080/notify/unionpay";
  if (r.channel == "upacp_wap" || r.channel == "upacp_pc") {
    r.extra = {{"result_url", "https://shop.example/paid?order=1"}};
  }
  return r;
}

std::string check_code(const sdk::CreateRequest& r) {
  auto st = check_create(r, *channel_info(r.channel));
  return st ? "ok" : st.error().code + "@" + st.error().param;
}

TEST(UnionpayTime, FormatsAndParsesBeijingTime) {
  EXPECT_EQ(format_txn_time(kNow), "20261205163000");
  EXPECT_EQ(format_txn_time(0), "19700101080000");
  EXPECT_EQ(format_txn_time(1798761599), "20270101075959");  // 2026-12-31T23:59:59Z
  EXPECT_EQ(parse_txn_time("20261205163000"), kNow);
  EXPECT_EQ(parse_txn_time("20280229120000"), parse_txn_time("20280301120000").value() - 86400);
  for (const char* bad : {"2026120516300", "202612051630000", "20261305163000", "20261232163000",
                          "20270229000000", "20261205243000", "20261205166000", "2026-12-0516300",
                          "19991231235959", "", "2026120516300a"}) {
    EXPECT_FALSE(parse_txn_time(bad)) << bad;
  }
  EXPECT_EQ(parse_utc_stamp("20261205083000"), kNow);
}

TEST(UnionpayTime, TraceTimeTakesTheYearClosestToTheTrade) {
  const std::int64_t sent = parse_txn_time("20261231235930").value();
  EXPECT_EQ(parse_trace_time("0101000010", sent), parse_txn_time("20270101000010"));
  EXPECT_EQ(parse_trace_time("1231235940", sent), parse_txn_time("20261231235940"));
  const std::int64_t new_year = parse_txn_time("20270101000005").value();
  EXPECT_EQ(parse_trace_time("1231235959", new_year), parse_txn_time("20261231235959"));
  EXPECT_FALSE(parse_trace_time("1301000000", sent));
  EXPECT_FALSE(parse_trace_time("010100001", sent));
  EXPECT_FALSE(parse_trace_time("01010000a0", sent));
}

TEST(UnionpayRequests, OffersFourChannelsThatExpireInAnHour) {
  const auto specs = channel_specs();
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].name, "applepay_upacp");
  EXPECT_EQ(specs[1].name, "upacp");
  EXPECT_EQ(specs[2].name, "upacp_wap");
  EXPECT_EQ(specs[3].name, "upacp_pc");
  for (const auto& s : specs) {
    EXPECT_EQ(s.default_expiry_seconds, 3600) << s.name;
    const bool browser = s.name == "upacp_wap" || s.name == "upacp_pc";
    EXPECT_EQ(s.required_extra,
              browser ? std::vector<std::string>{"result_url"} : std::vector<std::string>{})
        << s.name;
  }
  EXPECT_FALSE(channel_info("alipay"));
}

TEST(UnionpayRequests, ChecksACreateBeforeSendingIt) {
  EXPECT_EQ(check_code(create_request("upacp")), "ok");
  EXPECT_EQ(check_code(create_request("upacp_pc")), "ok");
  auto r = create_request("upacp");
  r.order_no = "2026-12-05-abc";
  EXPECT_EQ(check_code(r), "invalid_order_no@order_no");
  r.order_no = "abc_1234";
  EXPECT_EQ(check_code(r), "invalid_order_no@order_no");
  r.order_no = "1234567";
  EXPECT_EQ(check_code(r), "invalid_order_no@order_no");
  r.order_no = std::string(41, '1');
  EXPECT_EQ(check_code(r), "invalid_order_no@order_no");
  r.order_no = std::string(40, '1');
  EXPECT_EQ(check_code(r), "ok");
  r.amount = 0;
  EXPECT_EQ(check_code(r), "invalid_amount@amount");
  r.amount = 1'000'000'000'000;
  EXPECT_EQ(check_code(r), "invalid_amount@amount");
  r.amount = 1;
  r.currency = "usd";
  EXPECT_EQ(check_code(r), "invalid_currency@currency");
  r.currency = "cny";
  r.subject = "礼包{限量";
  EXPECT_EQ(check_code(r), "invalid_subject@subject");
  r.subject = "礼包[限量]";
  EXPECT_EQ(check_code(r), "ok");

  auto wap = create_request("upacp_wap");
  wap.extra = sdk::Json::object();
  EXPECT_EQ(check_code(wap), "missing_extra@extra.result_url");
  wap.extra = {{"result_url", 42}};
  EXPECT_EQ(check_code(wap), "invalid_extra@extra.result_url");
  wap.extra = {{"result_url", "ftp://shop.example/"}};
  EXPECT_EQ(check_code(wap), "invalid_extra@extra.result_url");
  wap.extra = {{"result_url", "https://shop.example/a&b=1"}};
  EXPECT_EQ(check_code(wap), "invalid_extra@extra.result_url");
}

TEST(UnionpayRequests, ConsumeFieldsForTheApp) {
  const Merchant m{testing::kMerId, "http://127.0.0.1:8080/notify/unionpay"};
  const Fields f = consume_fields(create_request("upacp"), *channel_info("upacp"), m);
  const Fields expected = {{"version", "5.1.0"},
                           {"encoding", "UTF-8"},
                           {"signMethod", "01"},
                           {"txnType", "01"},
                           {"txnSubType", "01"},
                           {"bizType", "000201"},
                           {"channelType", "08"},
                           {"accessType", "0"},
                           {"merId", "777290058167151"},
                           {"orderId", "20261205083000abcdefghij"},
                           {"txnTime", "20261205163000"},
                           {"txnAmt", "1234"},
                           {"currencyCode", "156"},
                           {"backUrl", "http://127.0.0.1:8080/notify/unionpay"},
                           {"payTimeout", "20261205173000"},
                           {"orderDesc", "钱包充值"},
                           {"reqReserved", "ch_0123456789abcdefghijklmn"}};
  EXPECT_EQ(f, expected);
}

TEST(UnionpayRequests, ConsumeFieldsForBrowsers) {
  const Merchant m{testing::kMerId, "http://127.0.0.1:8080/notify/unionpay"};
  const Fields pc = consume_fields(create_request("upacp_pc"), *channel_info("upacp_pc"), m);
  EXPECT_EQ(field_or_empty(pc, "channelType"), "07");
  EXPECT_EQ(field_or_empty(pc, "frontUrl"), "https://shop.example/paid?order=1");
  const Fields wap = consume_fields(create_request("upacp_wap"), *channel_info("upacp_wap"), m);
  EXPECT_EQ(field_or_empty(wap, "channelType"), "08");
  EXPECT_EQ(field_or_empty(wap, "frontUrl"), "https://shop.example/paid?order=1");
  const Fields app = consume_fields(create_request("upacp"), *channel_info("upacp"), m);
  EXPECT_FALSE(field(app, "frontUrl"));
}

TEST(UnionpayRequests, QueryFields) {
  const Fields expected = {{"version", "5.1.0"},    {"encoding", "UTF-8"},
                           {"signMethod", "01"},    {"txnType", "00"},
                           {"txnSubType", "00"},    {"bizType", "000000"},
                           {"accessType", "0"},     {"merId", "777290058167151"},
                           {"orderId", "ORDER123"}, {"txnTime", "20261205163000"}};
  EXPECT_EQ(query_fields(testing::kMerId, "ORDER123", "20261205163000"), expected);
}

TEST(UnionpayRequests, RefundTimeComesFromTheRefundNo) {
  EXPECT_EQ(refund_txn_time("20261205083000R1").value(), "20261205163000");
  EXPECT_EQ(refund_txn_time("20261205083000R1").value(),
            refund_txn_time("20261205083000R1").value());
  for (const char* bad :
       {"R20261205083000", "20261205083000", "20261305083000R1", "2026120508300_R1", "short", ""}) {
    auto t = refund_txn_time(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().param, "refund_no");
  }
  EXPECT_FALSE(refund_txn_time("20261205083000" + std::string(27, 'x')));  // 41 characters
}

TEST(UnionpayRequests, RefundChecksAndFields) {
  sdk::RefundRequest r;
  r.trade.channel = "upacp_pc";
  r.trade.order_no = "20261205083000abcdefghij";
  r.trade.amount = 1234;
  r.trade.transaction_no = "512209110416475616528";
  r.refund_no = "20261205090000REFUND01";
  r.amount = 234;
  EXPECT_TRUE(check_refund(r));
  const Merchant m{testing::kMerId, "https://pay.example/notify/unionpay"};
  const Fields f = refund_fields(r, "20261205170000", m);
  const Fields expected = {{"version", "5.1.0"},
                           {"encoding", "UTF-8"},
                           {"signMethod", "01"},
                           {"txnType", "04"},
                           {"txnSubType", "00"},
                           {"bizType", "000201"},
                           {"channelType", "07"},
                           {"accessType", "0"},
                           {"merId", "777290058167151"},
                           {"orderId", "20261205090000REFUND01"},
                           {"origQryId", "512209110416475616528"},
                           {"txnTime", "20261205170000"},
                           {"txnAmt", "234"},
                           {"currencyCode", "156"},
                           {"backUrl", "https://pay.example/notify/unionpay"}};
  EXPECT_EQ(f, expected);

  auto over = r;
  over.amount = 1235;
  EXPECT_EQ(check_refund(over).error().param, "amount");
  auto unpaid = r;
  unpaid.trade.transaction_no.clear();
  EXPECT_EQ(check_refund(unpaid).error().param, "transaction_no");
  auto bad_no = r;
  bad_no.refund_no = "re_123";
  EXPECT_EQ(check_refund(bad_no).error().param, "refund_no");
}

TEST(UnionpayRequests, CredentialShapes) {
  EXPECT_EQ(sdk::json_dump(app_credential("512212050000000000001", false, "merchant.com.x")),
            R"({"tn":"512212050000000000001","mode":"01","merchant_id":"merchant.com.x"})");
  EXPECT_EQ(sdk::json_dump(app_credential("512212050000000000001", true, "")),
            R"({"tn":"512212050000000000001","mode":"00"})");
  const Fields signed_fields = {{"version", "5.1.0"}, {"certId", "1"}, {"signature", "c2ln"}};
  EXPECT_EQ(
      sdk::json_dump(form_credential(signed_fields, "https://gw/gateway/api/frontTransReq.do")),
      R"({"version":"5.1.0","certId":"1","signature":"c2ln",)"
      R"("channel_url":"https://gw/gateway/api/frontTransReq.do"})");
}

}  // namespace
}  // namespace payhost::unionpay
