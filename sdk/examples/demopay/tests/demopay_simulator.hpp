// DemoPay's side of the wire for tests: it checks the plugin's request signatures and signs
// its answers and notifications with code of its own (only the SDK's HMAC primitive is
// shared), keeps the payments and refunds it was asked for, and is the provider double the
// conformance suite drives.
#pragma once

#include <map>
#include <string>

#include <payhost/sdk/crypto.hpp>
#include <payhost/sdk/encoding.hpp>
#include <payhost/sdk/testing/conformance.hpp>

namespace demopay::testing {

namespace sdk = payhost::sdk;

inline constexpr const char* kMerchantId = "mch_7Yb2Qk0Xc1";
inline constexpr const char* kSecret = "dp_sk_test_9c1f0a77e2b84d6a8f03b5e1";

class DemoPaySimulator final : public sdk::testing::ProviderDouble {
 public:
  explicit DemoPaySimulator(std::string secret = kSecret) : secret_(std::move(secret)) {}

  void prepare(sdk::testing::FakeHost& host) override { host_ = &host; }

  sdk::OutboundResponse answer(const sdk::OutboundRequest& request) override {
    const std::string path = path_of(request.url);
    if (!signed_by_merchant(request, path)) return reply(401, {{"error", "bad_signature"}});
    const sdk::Json body = sdk::Json::parse(request.body, nullptr, false);
    const std::string payments = "/sandbox/demopay/v1/payments";
    const std::string refunds = "/sandbox/demopay/v1/refunds";
    if (request.method == "POST" && path == payments) {
      const std::string order = body.value("order_no", "");
      Payment& p = payments_[order];
      p.amount = body.value("amount", 0);
      p.id = "pay_" + order;
      sdk::Json out = payment(order);
      if (body.value("method", "") == "qr") {
        out["qr_code"] = "https://qr.demopay.example/" + p.id;
      } else {
        out["pay_url"] = "https://pay.demopay.example/checkout/" + p.id;
      }
      return reply(200, out);
    }
    if (path.starts_with(payments + "/")) {
      std::string order = path.substr(payments.size() + 1);
      const bool close = order.ends_with("/close");
      if (close) order.resize(order.size() - 6);
      if (payments_.count(order) == 0) return reply(404, {{"error", "payment_not_found"}});
      if (close) payments_[order].status = "closed";
      return reply(200, payment(order));
    }
    if (request.method == "POST" && path == refunds) {
      const std::string refund_no = body.value("refund_no", "");
      refunds_[refund_no] = body.value("amount", 0);
      return reply(200, refund(refund_no, "pending"));
    }
    if (path.starts_with(refunds + "/")) {
      const std::string refund_no = path.substr(refunds.size() + 1);
      if (refunds_.count(refund_no) == 0) return reply(404, {{"error", "refund_not_found"}});
      return reply(200, refund(refund_no, "succeeded"));
    }
    return reply(404, {{"error", "no_such_route"}});
  }

  sdk::HttpRequest notification(const sdk::testing::PaidTrade& trade) override {
    const std::string body = event(trade);
    return post(body, signature(secret_, body));
  }
  sdk::HttpRequest forged_notification(const sdk::testing::PaidTrade& trade) override {
    const std::string body = event(trade);
    return post(body, signature("dp_sk_test_someone_else", body));
  }
  sdk::HttpRequest tampered_notification(const sdk::testing::PaidTrade& trade,
                                         sdk::Fen amount) override {
    const std::string body = event(trade);
    sdk::testing::PaidTrade changed = trade;
    changed.amount = amount;
    return post(event(changed), signature(secret_, body));
  }
  sdk::HttpResponse expected_reply(bool accepted) override {
    return accepted ? sdk::HttpResponse::text(200, "OK") : sdk::HttpResponse::text(400, "RETRY");
  }

 private:
  struct Payment {
    std::string id;
    sdk::Fen amount = 0;
    std::string status = "pending";
  };

  static std::string path_of(const std::string& url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? "/" : url.substr(slash);
  }

  static std::string field(const std::string& header, const std::string& name) {
    const auto at = header.find(name + "=");
    if (at == std::string::npos) return {};
    const auto end = header.find(',', at);
    const auto from = at + name.size() + 1;
    return header.substr(from, end == std::string::npos ? std::string::npos : end - from);
  }

  bool signed_by_merchant(const sdk::OutboundRequest& request, const std::string& path) const {
    const auto auth = request.headers.get("Authorization");
    if (!auth || !auth->starts_with("DEMOPAY-HMAC-SHA256 ")) return false;
    if (field(*auth, "merchant") != kMerchantId) return false;
    const std::string message = request.method + "\n" + path + "\n" + field(*auth, "timestamp") +
                                "\n" + field(*auth, "nonce") + "\n" + request.body;
    return sdk::hex_lower(sdk::crypto::hmac_sha256(secret_, message)) == field(*auth, "signature");
  }

  std::string signature(const std::string& secret, const std::string& body) const {
    const std::string t = std::to_string(host_->time.now());
    return "t=" + t + ",v1=" + sdk::hex_lower(sdk::crypto::hmac_sha256(secret, t + "." + body));
  }

  sdk::OutboundResponse reply(int status, const sdk::Json& body) const {
    sdk::OutboundResponse r;
    r.status = status;
    r.body = body.dump();
    r.headers.add("Content-Type", "application/json");
    r.headers.add("X-Demopay-Signature", signature(secret_, r.body));
    return r;
  }

  sdk::Json payment(const std::string& order) {
    const Payment& p = payments_[order];
    return {{"payment_id", p.id}, {"order_no", order}, {"amount", p.amount}, {"status", p.status}};
  }

  sdk::Json refund(const std::string& refund_no, const char* status) {
    return {{"refund_id", "rf_" + refund_no},
            {"refund_no", refund_no},
            {"amount", refunds_[refund_no]},
            {"status", status}};
  }

  std::string event(const sdk::testing::PaidTrade& trade) const {
    return sdk::Json{{"id", "evt_" + trade.transaction_no},
                     {"type", "payment.succeeded"},
                     {"merchant_id", trade.app_id.empty() ? kMerchantId : trade.app_id},
                     {"data",
                      {{"payment_id", trade.transaction_no},
                       {"order_no", trade.order_no},
                       {"amount", trade.amount},
                       {"paid_at", trade.time_paid}}}}
        .dump();
  }

  static sdk::HttpRequest post(std::string body, std::string signature) {
    sdk::HttpRequest r;
    r.method = "POST";
    r.path = "/notify/demopay";
    r.headers.add("Content-Type", "application/json");
    r.headers.add("X-Demopay-Signature", std::move(signature));
    r.body = std::move(body);
    return r;
  }

  std::string secret_;
  sdk::testing::FakeHost* host_ = nullptr;
  std::map<std::string, Payment> payments_;
  std::map<std::string, sdk::Fen> refunds_;
};

}  // namespace demopay::testing
