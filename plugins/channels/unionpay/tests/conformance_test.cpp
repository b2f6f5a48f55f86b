// The UnionPay plugin against the SDK's channel conformance suite. The provider double plays
// UnionPay's ACP gateway with the test PKI and the signing code of test_support.hpp (written
// apart from the plugin's): answers and notifications signed over the sorted pairs' SHA-256
// with the UnionPay signing certificate, which chains to the configured root.
#include <gtest/gtest.h>

#include <cstdio>
#include <set>
#include <string>

#include "payhost/sdk/beijing_time.hpp"
#include "payhost/sdk/testing/conformance.hpp"
#include "test_support.hpp"
#include "unionpay_plugin.hpp"

namespace payhost::unionpay {
namespace {

using testing::kMerId;
using testing::Pairs;
using testing::pki;

// UnionPay's txnTime: the Beijing wall clock as yyyyMMddHHmmss.
std::string txn_time(std::int64_t t) {
  const auto w = sdk::beijing::wall_clock(t);
  char out[24];
  std::snprintf(out, sizeof out, "%04d%02u%02u%02u%02u%02u", w.year, w.month, w.day, w.hour,
                w.minute, w.second);
  return out;
}

std::string get(const Pairs& fields, const std::string& name) {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  return {};
}

class UnionpayDouble final : public sdk::testing::ProviderDouble {
 public:
  void prepare(sdk::testing::FakeHost& host) override { host.time.set(testing::kNow); }

  sdk::OutboundResponse answer(const sdk::OutboundRequest& request) override {
    const Pairs in = testing::parse_request_form(request.body);
    Pairs out;
    for (const char* echoed : {"version", "encoding", "bizType", "txnTime", "txnType", "txnSubType",
                               "accessType", "merId", "orderId", "signMethod"}) {
      out.emplace_back(echoed, get(in, echoed));
    }
    const std::string order = get(in, "orderId");
    const bool signed_by_merchant = testing::verifies_with(pki().merchant_key.public_pem, in);
    if (!signed_by_merchant) {
      out.emplace_back("respCode", "11");
      out.emplace_back("respMsg", "验证签名失败");
    } else if (request.url.ends_with("/gateway/api/appTransReq.do")) {
      out.emplace_back("respCode", "00");
      out.emplace_back("respMsg", "成功[0000000]");
      out.emplace_back("tn", "512212061000000000" + order.substr(order.size() - 3));
    } else if (request.url.ends_with("/gateway/api/backTransReq.do")) {
      refunds_.insert(order);
      out.emplace_back("respCode", "00");
      out.emplace_back("respMsg", "成功[0000000]");
      out.emplace_back("queryId", "612212061000000000" + order.substr(order.size() - 3));
    } else if (request.url.ends_with("/gateway/api/queryTrans.do")) {
      if (refunds_.count(order) != 0) {
        out = {{"version", "5.1.0"},
               {"encoding", "UTF-8"},
               {"bizType", "000201"},
               {"txnType", "04"},
               {"txnSubType", "00"},
               {"accessType", "0"},
               {"merId", kMerId},
               {"orderId", order},
               {"txnTime", get(in, "txnTime")},
               {"signMethod", "01"},
               {"respCode", "00"},
               {"respMsg", "成功[0000000]"},
               {"origRespCode", "00"},
               {"origRespMsg", "成功[0000000]"},
               {"queryId", "612212061000000000" + order.substr(order.size() - 3)},
               {"txnAmt", "1234"}};
      } else {
        out.emplace_back("respCode", "34");
        out.emplace_back("respMsg", "查无此交易[2600000]");
      }
    } else {
      out.emplace_back("respCode", "10");
      out.emplace_back("respMsg", "报文格式错误");
    }
    sdk::OutboundResponse r;
    r.status = 200;
    r.headers.add("Content-Type", "text/plain;charset=UTF-8");
    r.body = testing::raw_answer(testing::unionpay_signed(out));
    return r;
  }

  sdk::HttpRequest notification(const sdk::testing::PaidTrade& trade) override {
    return post(testing::unionpay_signed(fields(trade)));
  }
  sdk::HttpRequest forged_notification(const sdk::testing::PaidTrade& trade) override {
    return post(
        testing::unionpay_signed(fields(trade), pki().sign, pki().outsider_key.private_pem));
  }
  sdk::HttpRequest tampered_notification(const sdk::testing::PaidTrade& trade,
                                         sdk::Fen amount) override {
    Pairs signed_fields = testing::unionpay_signed(fields(trade));
    for (auto& [k, v] : signed_fields)
      if (k == "txnAmt" || k == "settleAmt") v = std::to_string(amount);
    return post(signed_fields);
  }
  sdk::HttpResponse expected_reply(bool accepted) override {
    // UnionPay stops on HTTP 200 and re-sends anything else.
    return accepted ? sdk::HttpResponse::text(200, "ok") : sdk::HttpResponse::text(500, "fail");
  }

 private:
  static Pairs fields(const sdk::testing::PaidTrade& trade) {
    const std::string amount = std::to_string(trade.amount);
    return {{"accessType", "0"},
            {"bizType", "000201"},
            {"currencyCode", "156"},
            {"encoding", "UTF-8"},
            {"merId", trade.app_id.empty() ? kMerId : trade.app_id},
            {"orderId", trade.order_no},
            {"queryId", trade.transaction_no},
            {"respCode", "00"},
            {"respMsg", "成功[0000000]"},
            {"settleAmt", amount},
            {"settleCurrencyCode", "156"},
            {"settleDate", "1206"},
            {"signMethod", "01"},
            {"traceNo", "123456"},
            {"traceTime", "1206100004"},
            {"txnAmt", amount},
            {"txnSubType", "01"},
            {"txnTime", txn_time(trade.time_paid - 30)},
            {"txnType", "01"},
            {"version", "5.1.0"}};
  }
  static sdk::HttpRequest post(const Pairs& pairs) {
    sdk::HttpRequest r;
    r.method = "POST";
    r.path = "/notify/unionpay";
    r.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
    r.body = sdk::form_encode(pairs);
    return r;
  }

  std::set<std::string> refunds_;
};

sdk::testing::ChannelUnderTest unionpay() {
  return {.make_plugin = [] { return std::make_unique<UnionpayPlugin>(); },
          .make_provider = [] { return std::make_unique<UnionpayDouble>(); },
          .options = {{"mer_id", kMerId},
                      {"sign_private_key", pki().merchant_key.private_pem},
                      {"sign_cert", pki().merchant.pem},
                      {"root_cert", pki().root.pem},
                      {"middle_cert", pki().middle.pem}},
          .secrets = {"sign_private_key"},
          .extra = {{"upacp_wap", {{"result_url", "https://shop.example/paid"}}},
                    {"upacp_pc", {{"result_url", "https://shop.example/paid"}}}},
          .plugin_name = "unionpay"};
}

PAYHOST_CHANNEL_CONFORMANCE(Unionpay, unionpay());

}  // namespace
}  // namespace payhost::unionpay
