// The Alipay plugin against the SDK's channel conformance suite. The provider double below
// plays Alipay's OpenAPI gateway and notifications with signing code of its own (sorted
// key=value pairs, RSA-SHA256), not the plugin's.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>
#include <vector>

#include "alipay_plugin.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/testing/conformance.hpp"
#include "test_support.hpp"

namespace payhost::alipay {
namespace {

using sdk::Json;
using Pairs = std::vector<std::pair<std::string, std::string>>;

constexpr const char* kAppId = "2021000000000099";
constexpr const char* kSellerId = "2088000000000001";

std::string sign(const std::string& private_pem, const std::string& text) {
  auto key = sdk::crypto::PrivateKey::parse(private_pem);
  auto raw = key ? sdk::crypto::rsa_sha256_sign(*key, text) : sdk::Result<std::string>(key.error());
  if (!raw) throw std::runtime_error("signing failed");
  return sdk::base64_encode(*raw);
}

bool verifies(const std::string& public_pem, const std::string& text, const std::string& b64) {
  auto key = sdk::crypto::PublicKey::parse(public_pem);
  auto raw = sdk::base64_decode(b64);
  return key && raw && sdk::crypto::rsa_sha256_verify(*key, text, *raw);
}

// Alipay's string to sign: non-empty pairs but the excluded ones, sorted by key, k=v joined by &.
std::string signing_string(Pairs pairs, const std::vector<std::string>& excluded) {
  std::sort(pairs.begin(), pairs.end());
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (v.empty() || std::find(excluded.begin(), excluded.end(), k) != excluded.end()) continue;
    out += (out.empty() ? "" : "&") + k + "=" + v;
  }
  return out;
}

std::string yuan(sdk::Fen fen) {
  const std::string cents = std::to_string(fen % 100);
  return std::to_string(fen / 100) + "." + (cents.size() < 2 ? "0" : "") + cents;
}

class AlipayDouble final : public sdk::testing::ProviderDouble {
 public:
  sdk::OutboundResponse answer(const sdk::OutboundRequest& request) override {
    const auto form = sdk::parse_form(request.body);
    std::map<std::string, std::string> f(form.begin(), form.end());
    const std::string method = f["method"];
    Json node = {{"code", "10000"}, {"msg", "Success"}};
    if (!verifies(testing::merchant_pair().public_key, signing_string(form, {"sign"}), f["sign"])) {
      node = {
          {"code", "40002"}, {"msg", "Invalid Arguments"}, {"sub_code", "isv.invalid-signature"}};
    } else {
      const Json biz = Json::parse(f["biz_content"], nullptr, false);
      const std::string order = biz.value("out_trade_no", "");
      if (method == "alipay.trade.precreate") {
        node["out_trade_no"] = order;
        node["qr_code"] = "https://qr.alipay.com/bax00000" + order;
      } else if (method == "alipay.trade.query") {
        node["out_trade_no"] = order;
        node["trade_no"] = "2026120622001400000000" + order.substr(4);
        node["trade_status"] = "WAIT_BUYER_PAY";
        node["total_amount"] = "12.34";
      } else if (method == "alipay.trade.close") {
        node["out_trade_no"] = order;
      } else if (method == "alipay.trade.refund") {
        node["out_trade_no"] = order;
        node["fund_change"] = "Y";
        node["refund_fee"] = biz.value("refund_amount", "0.00");
      } else if (method == "alipay.trade.fastpay.refund.query") {
        node["out_trade_no"] = order;
        node["out_request_no"] = biz.value("out_request_no", "");
        node["refund_status"] = "REFUND_SUCCESS";
        node["refund_amount"] = "12.34";
      } else {
        node = {{"code", "40004"}, {"msg", "Business Failed"}, {"sub_code", "isv.invalid-method"}};
      }
    }
    std::string name = method;
    std::replace(name.begin(), name.end(), '.', '_');
    const std::string node_text = node.dump();
    sdk::OutboundResponse r;
    r.status = 200;
    r.headers.add("Content-Type", "text/html;charset=utf-8");
    r.body = "{\"" + name + "_response\":" + node_text + ",\"sign\":\"" +
             sign(testing::platform_pair().private_key, node_text) + "\"}";
    return r;
  }

  sdk::HttpRequest notification(const sdk::testing::PaidTrade& trade) override {
    return post(signed_pairs(trade, testing::platform_pair().private_key));
  }
  sdk::HttpRequest forged_notification(const sdk::testing::PaidTrade& trade) override {
    // Signed with the merchant's own key: a key that is not Alipay's.
    return post(signed_pairs(trade, testing::merchant_pair().private_key));
  }
  sdk::HttpRequest tampered_notification(const sdk::testing::PaidTrade& trade,
                                         sdk::Fen amount) override {
    Pairs pairs = signed_pairs(trade, testing::platform_pair().private_key);
    for (auto& [k, v] : pairs)
      if (k == "total_amount" || k == "receipt_amount") v = yuan(amount);
    return post(pairs);
  }
  sdk::HttpResponse expected_reply(bool accepted) override {
    // Alipay stops retrying on "success"; anything else is retried over 25 hours.
    return sdk::HttpResponse::text(200, accepted ? "success" : "failure");
  }

 private:
  static Pairs signed_pairs(const sdk::testing::PaidTrade& trade, const std::string& key) {
    Pairs pairs = {{"notify_type", "trade_status_sync"},
                   {"notify_id", "2026120600222000000000" + trade.order_no.substr(4)},
                   {"notify_time", "2026-12-06 10:00:05"},
                   {"app_id", trade.app_id},
                   {"charset", "utf-8"},
                   {"version", "1.0"},
                   {"trade_no", trade.transaction_no},
                   {"out_trade_no", trade.order_no},
                   {"seller_id", kSellerId},
                   {"trade_status", "TRADE_SUCCESS"},
                   {"total_amount", yuan(trade.amount)},
                   {"receipt_amount", yuan(trade.amount)},
                   // A '&' in a value makes the signed string ambiguous: the plugin refuses
                   // those, and the host keeps '&' out of every subject it creates.
                   {"subject", "Conformance 测试 = fun"},
                   {"gmt_payment", "2026-12-06 10:00:04"}};
    const std::string signature = sign(key, signing_string(pairs, {"sign", "sign_type"}));
    pairs.emplace_back("sign_type", "RSA2");
    pairs.emplace_back("sign", signature);
    return pairs;
  }
  static sdk::HttpRequest post(const Pairs& pairs) {
    sdk::HttpRequest r;
    r.method = "POST";
    r.path = "/notify/alipay";
    r.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
    r.body = sdk::form_encode(pairs);
    return r;
  }
};

sdk::testing::ChannelUnderTest alipay() {
  return {.make_plugin = [] { return std::make_unique<AlipayPlugin>(); },
          .make_provider = [] { return std::make_unique<AlipayDouble>(); },
          .options = {{"app_id", kAppId},
                      {"app_private_key", testing::merchant_pair().private_key},
                      {"alipay_public_key", testing::platform_pair().public_key},
                      {"seller_id", kSellerId}},
          .secrets = {"app_private_key"},
          .extra = {{"alipay_wap", {{"success_url", "https://m.example.com/paid"}}},
                    {"alipay_pc_direct", {{"success_url", "https://www.example.com/paid"}}}},
          .plugin_name = "alipay"};
}

PAYHOST_CHANNEL_CONFORMANCE(Alipay, alipay());

}  // namespace
}  // namespace payhost::alipay
