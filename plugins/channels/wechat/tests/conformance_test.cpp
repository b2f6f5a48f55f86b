// The WeChat Pay plugin against the SDK's channel conformance suite. The provider double
// plays WeChat Pay's APIv3 with code of its own: answers and notifications signed over
// "timestamp\nnonce\nbody\n" with the platform key, resources sealed with AES-256-GCM.
#include <gtest/gtest.h>

#include <map>
#include <stdexcept>
#include <string>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/testing/conformance.hpp"
#include "test_support.hpp"
#include "wechat_plugin.hpp"

namespace payhost::wechat {
namespace {

using sdk::Json;

constexpr const char* kMchid = "1900000109";
constexpr const char* kAppId = "wxd678efh567hg6787";
constexpr const char* kApiV3Key = "Cf0nformanceApiV3Key0123456789ab";  // 32 bytes
constexpr const char* kPublicKeyId = "PUB_KEY_ID_0119000001092026120600000000";

class WechatDouble final : public sdk::testing::ProviderDouble {
 public:
  void prepare(sdk::testing::FakeHost& host) override { host_ = &host; }

  sdk::OutboundResponse answer(const sdk::OutboundRequest& request) override {
    const std::string path = path_of(request.url);
    const Json body = Json::parse(request.body, nullptr, false);
    int status = 200;
    Json out;
    if (path.starts_with("/v3/pay/transactions/") &&
        path.find("/out-trade-no/") == std::string::npos) {
      const std::string order = body.is_object() ? body.value("out_trade_no", "") : "";
      if (path.ends_with("/native")) {
        out = {{"code_url", "weixin://wxpay/bizpayurl?pr=" + order}};
      } else if (path.ends_with("/h5")) {
        out = {{"h5_url",
                "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=wx" + order}};
      } else {
        out = {{"prepay_id", "wx201410272009395522657a690389285100"}};
      }
    } else if (path.ends_with("/close")) {
      status = 204;
    } else if (path.starts_with("/v3/pay/transactions/out-trade-no/")) {
      std::string order = path.substr(std::string("/v3/pay/transactions/out-trade-no/").size());
      out = {{"appid", kAppId},
             {"mchid", kMchid},
             {"out_trade_no", order},
             {"trade_state", "NOTPAY"},
             {"trade_state_desc", "订单未支付"},
             {"amount", {{"currency", "CNY"}}}};
    } else if (path == "/v3/refund/domestic/refunds") {
      const std::string refund_no = body.value("out_refund_no", "");
      refund_orders_[refund_no] = body.value("out_trade_no", "");
      out = refund(refund_no, refund_orders_[refund_no], "PROCESSING",
                   body.contains("amount") ? body["amount"].value("refund", 0) : 0);
    } else if (path.starts_with("/v3/refund/domestic/refunds/")) {
      const std::string refund_no = path.substr(std::string("/v3/refund/domestic/refunds/").size());
      if (refund_orders_.count(refund_no) == 0) {
        status = 404;
        out = {{"code", "RESOURCE_NOT_EXISTS"}, {"message", "退款单不存在"}};
      } else {
        out = refund(refund_no, refund_orders_[refund_no], "SUCCESS", 1234);
      }
    } else {
      status = 404;
      out = {{"code", "NOT_FOUND"}, {"message", "no such API"}};
    }
    sdk::OutboundResponse r;
    r.status = status;
    r.body = out.is_null() ? "" : out.dump();
    r.headers = signed_headers(r.body, testing::platform_pair().private_key);
    r.headers.add("Content-Type", "application/json");
    return r;
  }

  sdk::HttpRequest notification(const sdk::testing::PaidTrade& trade) override {
    const std::string body = envelope(trade);
    return post(body, signed_headers(body, testing::platform_pair().private_key));
  }
  sdk::HttpRequest forged_notification(const sdk::testing::PaidTrade& trade) override {
    const std::string body = envelope(trade);
    return post(body, signed_headers(body, testing::stranger_pair().private_key));
  }
  sdk::HttpRequest tampered_notification(const sdk::testing::PaidTrade& trade,
                                         sdk::Fen amount) override {
    const auto genuine = notification(trade);
    sdk::testing::PaidTrade changed = trade;
    changed.amount = amount;
    return post(envelope(changed), genuine.headers);
  }
  sdk::HttpResponse expected_reply(bool accepted) override {
    // APIv3: 200 or 204 stops the retries; a failure answers 4xx/5xx with code and message.
    if (accepted) return sdk::HttpResponse{};
    return sdk::HttpResponse::text(500, R"({"code":"FAIL","message":"失败"})", "application/json");
  }

 private:
  static std::string path_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    std::string path = slash == std::string::npos ? "/" : url.substr(slash);
    const auto marker = path.find("/v3/");
    path = marker == std::string::npos ? path : path.substr(marker);
    return path.substr(0, path.find('?'));
  }

  static Json refund(const std::string& refund_no, const std::string& order_no, const char* status,
                     sdk::Fen amount) {
    return {{"refund_id", "50000000382019052709732678859"},
            {"out_refund_no", refund_no},
            {"transaction_id", "1217752501201407033233368018"},
            {"out_trade_no", order_no},
            {"channel", "ORIGINAL"},
            {"user_received_account", "招商银行信用卡0403"},
            {"create_time", "2026-12-06T10:00:00+08:00"},
            {"status", status},
            {"amount",
             {{"refund", amount},
              {"total", 1234},
              {"payer_total", 1234},
              {"payer_refund", amount},
              {"currency", "CNY"}}}};
  }

  sdk::Headers signed_headers(const std::string& body, const std::string& private_pem) const {
    const std::string ts = std::to_string(host_->time.now());
    const std::string nonce = "c0nformanceN0nce" + std::to_string(++nonces_);
    sdk::Headers h;
    h.add("Wechatpay-Timestamp", ts);
    h.add("Wechatpay-Nonce", nonce);
    h.add("Wechatpay-Signature",
          testing::sign_with(private_pem, ts + "\n" + nonce + "\n" + body + "\n"));
    h.add("Wechatpay-Serial", kPublicKeyId);
    h.add("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
    h.add("Request-ID", "08F78BB5AF0610D302839A5E03A1D3A807");
    return h;
  }

  std::string envelope(const sdk::testing::PaidTrade& trade) const {
    const Json tx = {{"appid", trade.app_id.empty() ? kAppId : trade.app_id},
                     {"mchid", kMchid},
                     {"out_trade_no", trade.order_no},
                     {"transaction_id", trade.transaction_no},
                     {"trade_type", "APP"},
                     {"trade_state", "SUCCESS"},
                     {"trade_state_desc", "支付成功"},
                     {"bank_type", "OTHERS"},
                     {"success_time", "2026-12-06T10:00:04+08:00"},
                     {"payer", {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}},
                     {"amount",
                      {{"total", trade.amount},
                       {"payer_total", trade.amount},
                       {"currency", "CNY"},
                       {"payer_currency", "CNY"}}}};
    testing::Envelope envelope;
    envelope.key = kApiV3Key;
    return testing::sealed_notification_body(tx.dump(), envelope);
  }

  static sdk::HttpRequest post(std::string body, sdk::Headers headers) {
    sdk::HttpRequest r;
    r.method = "POST";
    r.path = "/notify/wechat";
    r.headers = std::move(headers);
    r.headers.set("Content-Type", "application/json");
    r.body = std::move(body);
    return r;
  }

  sdk::testing::FakeHost* host_ = nullptr;
  mutable int nonces_ = 0;
  std::map<std::string, std::string> refund_orders_;  // out_refund_no -> out_trade_no
};

sdk::testing::ChannelUnderTest wechat() {
  return {.make_plugin = [] { return std::make_unique<WechatPlugin>(); },
          .make_provider = [] { return std::make_unique<WechatDouble>(); },
          .options = {{"mchid", kMchid},
                      {"app_id", kAppId},
                      {"merchant_private_key", testing::merchant_pair().private_key},
                      {"merchant_serial_no", "3775B6A45ACD588826D15E583A95F5DD12345678"},
                      {"api_v3_key", kApiV3Key},
                      {"wechatpay_public_key", testing::platform_pair().public_key},
                      {"wechatpay_public_key_id", kPublicKeyId}},
          .secrets = {"merchant_private_key", "api_v3_key"},
          .extra = {{"wx_pub", {{"open_id", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}},
                    {"wx_pub_qr", {{"product_id", "conformance-1"}}},
                    {"wx_lite", {{"open_id", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}}},
          .plugin_name = "wechat"};
}

PAYHOST_CHANNEL_CONFORMANCE(Wechat, wechat());

}  // namespace
}  // namespace payhost::wechat
