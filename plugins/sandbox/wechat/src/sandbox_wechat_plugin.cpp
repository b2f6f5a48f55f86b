#include "sandbox_wechat_plugin.hpp"

#include "api_gate.hpp"
#include "identity.hpp"
#include "pay_api.hpp"
#include "refund_api.hpp"
#include "test_hooks.hpp"

namespace payhost::sandbox_wechat {
namespace {

sdk::Error start_error(std::string code, std::string message) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, std::move(code), std::move(message));
}

constexpr const char* kPrefix = "/sandbox/wechat";

}  // namespace

std::vector<sdk::OptionSpec> SandboxWechatPlugin::option_specs() const {
  return sandbox_wechat::option_specs();
}

std::vector<sdk::Migration> SandboxWechatPlugin::migrations() const {
  return TradeStore::migrations();
}

sdk::Status SandboxWechatPlugin::do_validate(const sdk::Options& options) const {
  auto parsed = read_options(options);
  if (!parsed.ok()) return parsed.error();
  return {};
}

sdk::Status SandboxWechatPlugin::do_start(const sdk::Options& options, sdk::Host& host) {
  // A simulator that answers "paid" must never be reachable where money is real.
  if (host.livemode()) {
    return start_error("sandbox_in_livemode", "sandbox_wechat must not run in live mode");
  }
  auto parsed = read_options(options);
  if (!parsed.ok()) return parsed.error();

  auto merchant = host.sandbox_keypair("wechat-merchant");
  if (!merchant.ok()) return merchant.error();
  auto platform = host.sandbox_keypair("wechat-platform");
  if (!platform.ok()) return platform.error();
  auto merchant_public = RsaKey::public_from_pem(merchant->public_key);
  if (!merchant_public.ok()) {
    return start_error("sandbox_bad_key",
                       "wechat-merchant public key: " + merchant_public.error().message);
  }
  auto platform_private = RsaKey::private_from_pem(platform->private_key);
  if (!platform_private.ok()) {
    return start_error("sandbox_bad_key",
                       "wechat-platform private key: " + platform_private.error().message);
  }
  auto signer = std::make_shared<PlatformSigner>();
  signer->private_key = std::move(platform_private.value());
  signer->serial = parsed->serial_style == SerialStyle::public_key
                       ? public_key_id(platform->public_key)
                       : certificate_serial(platform->public_key);
  const std::string serial = signer->serial;
  sim_ = std::make_unique<WechatSim>(
      host, std::move(parsed.value()), std::move(merchant_public.value()),
      certificate_serial(merchant->public_key), std::move(signer), apiv3_key(platform->public_key));
  simulator_ = std::make_unique<WechatSimulator>(*sim_);
  host.logger().info(std::string("sandbox_wechat: simulated WeChat Pay v3 at ") + kPrefix +
                     "/v3 for mchid " + sim_->options.mchid + ", answers signed as " + serial);
  return {};
}

void SandboxWechatPlugin::do_stop() {
  // The objects stay until the plugin is destroyed: a request may still be finishing.
  if (sim_) sim_->notifier.stop();
}

std::vector<sdk::Route> SandboxWechatPlugin::routes() {
  using Handler = sdk::HttpResponse (*)(WechatSim&, const sdk::HttpRequest&);
  // Handlers look the simulator up per request: routes may be collected before start.
  const auto with_sim = [this](auto handler) {
    return sdk::guarded([this, handler](const sdk::HttpRequest& request) {
      if (!sim_) {
        return sdk::HttpResponse::json(
            503, sdk::Json{{"code", "SYSTEM_ERROR"}, {"message", "sandbox_wechat not started"}});
      }
      return handler(*sim_, request);
    });
  };
  const auto prepay = [&with_sim](PrepayKind kind) {
    return with_sim([kind](WechatSim& sim, const sdk::HttpRequest& request) {
      return handle_prepay(sim, request, kind);
    });
  };
  const auto route = [](std::string method, std::string path, sdk::RouteHandler handler) {
    sdk::Route r;
    r.method = std::move(method);
    r.path = kPrefix + path;
    r.auth = sdk::AuthPolicy::none;  // the merchant signs with its own key, not a payhost token
    r.handler = std::move(handler);
    // The channel plugin calls these from API-pool requests; serving them from the same
    // pool could deadlock it under load.
    r.service_pool = true;
    return r;
  };
  return {
      route("POST", "/v3/pay/transactions/app", prepay(PrepayKind::app)),
      route("POST", "/v3/pay/transactions/h5", prepay(PrepayKind::h5)),
      route("POST", "/v3/pay/transactions/jsapi", prepay(PrepayKind::jsapi)),
      route("POST", "/v3/pay/transactions/native", prepay(PrepayKind::native)),
      route("GET", "/v3/pay/transactions/out-trade-no/{out_trade_no}",
            with_sim(Handler(&handle_query))),
      route("POST", "/v3/pay/transactions/out-trade-no/{out_trade_no}/close",
            with_sim(Handler(&handle_close))),
      route("POST", "/v3/refund/domestic/refunds", with_sim(Handler(&handle_refund))),
      route("GET", "/v3/refund/domestic/refunds/{out_refund_no}",
            with_sim(Handler(&handle_refund_query))),
      route("POST", "/notify-probe", with_sim(Handler(&handle_notify_probe))),
      route("POST", "/notify-tampered", with_sim(Handler(&handle_notify_tampered))),
  };
}

}  // namespace payhost::sandbox_wechat
