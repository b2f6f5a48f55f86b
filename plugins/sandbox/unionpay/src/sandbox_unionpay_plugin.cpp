#include "sandbox_unionpay_plugin.hpp"

#include "gateway_api.hpp"
#include "test_hooks.hpp"

namespace payhost::sandbox_unionpay {
namespace {

constexpr const char* kPrefix = "/sandbox/unionpay";

}  // namespace

std::vector<sdk::OptionSpec> SandboxUnionpayPlugin::option_specs() const {
  return sandbox_unionpay::option_specs();
}

std::vector<sdk::Migration> SandboxUnionpayPlugin::migrations() const {
  return TradeStore::migrations();
}

sdk::Status SandboxUnionpayPlugin::do_validate(const sdk::Options& options) const {
  auto parsed = read_options(options);
  if (!parsed.ok()) return parsed.error();
  return {};
}

sdk::Status SandboxUnionpayPlugin::do_start(const sdk::Options& options, sdk::Host& host) {
  // A simulator that answers "paid" must never be reachable where money is real.
  if (host.livemode()) {
    return sdk::make_error(sdk::ErrorKind::invalid_request, "sandbox_in_livemode",
                           "sandbox_unionpay must not run in live mode");
  }
  auto parsed = read_options(options);
  if (!parsed.ok()) return parsed.error();
  auto pki = ensure_pki(host, parsed->mer_id);
  if (!pki.ok()) return pki.error();
  const std::string directory = pki->directory, cert_id = pki->merchant_cert_id;
  sim_ = std::make_unique<UnionpaySim>(host, std::move(parsed.value()), std::move(pki.value()));
  simulator_ = std::make_unique<UnionpaySimulator>(*sim_);
  host.logger().info(std::string("sandbox_unionpay: simulated UnionPay ACP 5.1.0 at ") + kPrefix +
                     "/gateway/api for merId " + sim_->options.mer_id + " (certId " + cert_id +
                     "); certificates and merchant.pfx in " + directory);
  return {};
}

void SandboxUnionpayPlugin::do_stop() {
  // The objects stay until the plugin is destroyed: a request may still be finishing.
  if (sim_) sim_->notifier.stop();
}

std::vector<sdk::Route> SandboxUnionpayPlugin::routes() {
  using Handler = sdk::HttpResponse (*)(UnionpaySim&, const sdk::HttpRequest&);
  // Handlers look the simulator up per request: routes may be collected before start.
  const auto with_sim = [this](Handler handler) {
    return sdk::guarded([this, handler](const sdk::HttpRequest& request) {
      if (!sim_) return sdk::HttpResponse::text(503, "sandbox_unionpay not started");
      return handler(*sim_, request);
    });
  };
  const auto route = [](std::string path, sdk::RouteHandler handler) {
    sdk::Route r;
    r.method = "POST";
    r.path = kPrefix + path;
    r.auth = sdk::AuthPolicy::none;  // the merchant signs with its certificate, not a token
    r.handler = std::move(handler);
    // The channel plugin calls these from API-pool requests; serving them from the same
    // pool could deadlock it under load.
    r.service_pool = true;
    return r;
  };
  return {
      route("/gateway/api/appTransReq.do", with_sim(&handle_app_trans)),
      route("/gateway/api/frontTransReq.do", with_sim(&handle_front_trans)),
      route("/gateway/api/backTransReq.do", with_sim(&handle_back_trans)),
      route("/gateway/api/queryTrans.do", with_sim(&handle_query_trans)),
      route("/notify-tampered", with_sim(&handle_notify_tampered)),
  };
}

}  // namespace payhost::sandbox_unionpay
