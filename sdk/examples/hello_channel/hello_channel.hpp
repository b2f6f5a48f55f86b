// The smallest useful channel plugin: signs nothing, pays nothing. A starting point for
// third parties and the proof (in CI) that the installed SDK builds loadable plugins and that
// the installed testing kit tests them.
#pragma once

#include <payhost/sdk/sdk.hpp>

namespace hello {

using namespace payhost;

class HelloChannel final : public sdk::ChannelPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override {
    return {sdk::option::string("greeting", "what the credential says").with_default("hello")};
  }
  std::vector<sdk::ChannelSpec> channel_specs() const override {
    return {{"hello", "says hello", 3600, {}, {}}};
  }
  std::string merchant_app_id() const override { return "hello-merchant"; }

 protected:
  sdk::Status do_start(const sdk::Options& options, sdk::Host&) override {
    greeting_ = options.get_string("greeting");
    return {};
  }
  sdk::Result<sdk::CreateResult> do_create(const sdk::CreateRequest& r) override {
    return sdk::CreateResult{sdk::Json{{"greeting", greeting_}, {"order_no", r.order_no}}};
  }
  sdk::Result<sdk::TradeStatus> do_verify_notification(const sdk::HttpRequest&) override {
    return sdk::make_error(sdk::ErrorKind::invalid_request, "unsupported", "hello sends none");
  }
  sdk::HttpResponse do_notification_reply(bool accepted) const override {
    return sdk::HttpResponse::text(accepted ? 200 : 400, accepted ? "ok" : "no");
  }
  sdk::Result<sdk::TradeStatus> do_query(const sdk::TradeRef& trade) override {
    sdk::TradeStatus s;
    s.order_no = trade.order_no;
    s.outcome = sdk::Outcome::pending;
    return s;
  }

 private:
  std::string greeting_;
};

}  // namespace hello
