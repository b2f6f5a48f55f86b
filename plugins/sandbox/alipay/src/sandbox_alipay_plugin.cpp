#include "sandbox_alipay_plugin.hpp"

#include "alipay_gateway.hpp"
#include "tamper_hook.hpp"

namespace payhost::sandbox_alipay {
namespace {

sdk::Error start_error(std::string code, std::string message) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, std::move(code), std::move(message));
}

}  // namespace

std::vector<sdk::OptionSpec> SandboxAlipayPlugin::option_specs() const {
  return sandbox_alipay::option_specs();
}

std::vector<sdk::Migration> SandboxAlipayPlugin::migrations() const {
  return TradeStore::migrations();
}

sdk::Status SandboxAlipayPlugin::do_start(const sdk::Options& options, sdk::Host& host) {
  // A simulator that answers "paid" must never be reachable where money is real.
  if (host.livemode()) {
    return start_error("sandbox_in_livemode",
                       "the simulated Alipay (sandbox_alipay) must not run in live mode");
  }
  auto parsed = read_options(options);
  if (!parsed.ok()) return parsed.error();

  auto merchant = host.sandbox_keypair("alipay-merchant");
  if (!merchant.ok()) return merchant.error();
  auto platform = host.sandbox_keypair("alipay-platform");
  if (!platform.ok()) return platform.error();
  auto merchant_public = rsa::Key::public_from_pem(merchant->public_key);
  if (!merchant_public.ok()) {
    return start_error("sandbox_bad_key",
                       "alipay-merchant public key: " + merchant_public.error().message);
  }
  auto platform_private = rsa::Key::private_from_pem(platform->private_key);
  if (!platform_private.ok()) {
    return start_error("sandbox_bad_key",
                       "alipay-platform private key: " + platform_private.error().message);
  }
  alipay_ = std::make_unique<AlipaySim>(host, std::move(parsed.value()),
                                        std::move(merchant_public.value()),
                                        std::move(platform_private.value()));
  simulator_ = std::make_unique<AlipaySimulator>(*alipay_);
  host.logger().info(
      "sandbox_alipay: simulated Alipay gateway at /sandbox/alipay/gateway.do for app_id " +
      alipay_->options.alipay_app_id);
  return {};
}

void SandboxAlipayPlugin::do_stop() {
  if (alipay_) alipay_->notifier.stop();
}

std::vector<sdk::Route> SandboxAlipayPlugin::routes() {
  // Handlers look the simulator up per request: routes may be collected before start.
  const auto with_alipay = [this](
                               sdk::HttpResponse (*handler)(AlipaySim&, const sdk::HttpRequest&)) {
    return sdk::guarded([this, handler](const sdk::HttpRequest& request) {
      if (!alipay_) {
        return sdk::HttpResponse::json(503, sdk::Json{{"message", "sandbox_alipay not started"}});
      }
      return handler(*alipay_, request);
    });
  };
  const auto route = [](std::string method, std::string path, sdk::RouteHandler handler) {
    sdk::Route r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.auth = sdk::AuthPolicy::none;  // providers and browsers carry no payhost token
    r.handler = std::move(handler);
    // Channel plugins call these from API-pool requests; serving them from the same
    // pool could deadlock it under load.
    r.service_pool = true;
    return r;
  };
  return {
      route("GET", "/sandbox/alipay/gateway.do", with_alipay(&handle_gateway)),
      route("POST", "/sandbox/alipay/gateway.do", with_alipay(&handle_gateway)),
      route("POST", "/sandbox/alipay/notify-tampered", with_alipay(&notify_tampered)),
  };
}

}  // namespace payhost::sandbox_alipay
