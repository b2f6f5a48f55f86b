// Which recharges show a transaction_no before they are paid: UnionPay's app channels, with
// the tn their credential carries (the ThinkSNS+ seed's applepay_upacp example).
#include <gtest/gtest.h>

#include "payment_token.hpp"

namespace payhost::wallet {
namespace {

using sdk::Json;

TEST(PaymentToken, UnionPayAppChannelsKeepTheirTn) {
  const Json seed = Json::parse(
      R"({"tn":"201706071515122891443","mode":"00","merchant_id":"Your app merchant id"})");
  EXPECT_EQ(payment_token("applepay_upacp", seed), "201706071515122891443");
  EXPECT_EQ(payment_token("upacp", Json{{"tn", "201706071515122891444"}, {"mode", "01"}}),
            "201706071515122891444");
}

TEST(PaymentToken, OtherChannelsHaveNone) {
  const Json with_tn = {{"tn", "201706071515122891443"}};
  for (const char* channel : {"alipay", "wx", "upacp_wap", "upacp_pc", "testpay", ""}) {
    EXPECT_EQ(payment_token(channel, with_tn), "") << channel;
  }
  // A web channel's credential is the signed form; its orderId is not a payment token.
  EXPECT_EQ(payment_token("upacp_wap", Json{{"orderId", "20261205A"}, {"channel_url", "x"}}), "");
}

TEST(PaymentToken, AnUnusableTnIsNotKept) {
  for (const Json& credential :
       {Json::object(), Json(nullptr), Json("201706071515122891443"), Json{{"tn", 201706071515}},
        Json{{"tn", ""}}, Json{{"tn", "2017 0607"}}, Json{{"tn", "<b>1</b>"}},
        Json{{"tn", std::string(65, '1')}}}) {
    EXPECT_EQ(payment_token("applepay_upacp", credential), "") << credential.dump();
  }
  EXPECT_EQ(payment_token("upacp", Json{{"tn", std::string(64, '1')}}), std::string(64, '1'));
}

}  // namespace
}  // namespace payhost::wallet
