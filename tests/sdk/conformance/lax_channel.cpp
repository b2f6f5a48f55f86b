// A channel plugin with the defects the conformance suite exists to catch, one per check:
// conformance_catches_test runs this binary and expects exactly those checks to fail.
#include <payhost/sdk/testing/conformance.hpp>

namespace lax {
namespace {

namespace sdk = payhost::sdk;

class LaxChannel final : public sdk::ChannelPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override {
    // Defect: the secret is not declared secret.
    return {sdk::option::string("merchant", "merchant id").as_required(),
            sdk::option::string("api_secret", "the API secret")};
  }
  std::vector<sdk::ChannelSpec> channel_specs() const override {
    return {{"lax", "a lax channel", 3600, {}, {}}};
  }
  sdk::Capabilities capabilities() const override {
    sdk::Capabilities c;
    c.close = true;  // Defect: declared, never implemented.
    return c;
  }
  std::string merchant_app_id() const override { return "lax-merchant"; }

 protected:
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override {
    host_ = &host;
    // Defect: the secret goes to the log.
    host.logger().info("lax: started with secret " + options.get_string("api_secret"));
    return {};
  }
  sdk::Result<sdk::CreateResult> do_create(const sdk::CreateRequest& r) override {
    return sdk::CreateResult{sdk::Json{{"order_no", r.order_no}}};
  }
  sdk::Result<sdk::TradeStatus> do_verify_notification(const sdk::HttpRequest& r) override {
    // Defect: no signature check, and anything that is not JSON is taken as an empty trade.
    const sdk::Json body = sdk::parse_json(r.body);
    sdk::TradeStatus s;
    s.outcome = sdk::Outcome::succeeded;
    s.app_id = "lax-merchant";
    if (body.is_object()) {
      s.order_no = body.value("order_no", "");
      s.transaction_no = body.value("transaction_no", "");
      s.amount = body.value("amount", sdk::Fen{0});
    }
    return s;
  }
  sdk::HttpResponse do_notification_reply(bool accepted) const override {
    return sdk::HttpResponse::text(200, accepted ? "success" : "fail");  // Defect: not "OK"
  }
  sdk::Result<sdk::TradeStatus> do_query(const sdk::TradeRef& trade) override {
    sdk::OutboundRequest request;
    request.url = "http://lax.example/query/" + trade.order_no;
    auto answer = host_->http().send(request);
    sdk::TradeStatus s;
    s.order_no = trade.order_no;
    // Defect: no answer is taken as a failed trade.
    s.outcome = answer && answer->status == 200 ? sdk::Outcome::pending : sdk::Outcome::failed;
    return s;
  }

 private:
  sdk::Host* host_ = nullptr;
};

class LaxProvider final : public sdk::testing::ProviderDouble {
 public:
  sdk::OutboundResponse answer(const sdk::OutboundRequest&) override {
    return {200, {}, R"({"status":"pending"})"};
  }
  sdk::HttpRequest notification(const sdk::testing::PaidTrade& t) override {
    return post(body(t), "good");
  }
  sdk::HttpRequest forged_notification(const sdk::testing::PaidTrade& t) override {
    return post(body(t), "forged");
  }
  sdk::HttpRequest tampered_notification(const sdk::testing::PaidTrade& t,
                                         sdk::Fen amount) override {
    sdk::testing::PaidTrade changed = t;
    changed.amount = amount;
    return post(body(changed), "good");
  }
  sdk::HttpResponse expected_reply(bool accepted) override {
    return sdk::HttpResponse::text(accepted ? 200 : 400, accepted ? "OK" : "RETRY");
  }

 private:
  static std::string body(const sdk::testing::PaidTrade& t) {
    return sdk::Json{
        {"order_no", t.order_no}, {"transaction_no", t.transaction_no}, {"amount", t.amount}}
        .dump();
  }
  static sdk::HttpRequest post(std::string body, std::string signature) {
    sdk::HttpRequest r;
    r.method = "POST";
    r.headers.add("X-Lax-Signature", std::move(signature));
    r.body = std::move(body);
    return r;
  }
};

PAYHOST_CHANNEL_CONFORMANCE(Lax,
                            sdk::testing::ChannelUnderTest{
                                .make_plugin = [] { return std::make_unique<LaxChannel>(); },
                                .make_provider = [] { return std::make_unique<LaxProvider>(); },
                                .options = {{"merchant", "m1"},
                                            {"api_secret", "lax-secret-0123456789"}},
                                .secrets = {"api_secret"},
                                .extra = {},
                                .plugin_name = "lax"});

}  // namespace
}  // namespace lax
