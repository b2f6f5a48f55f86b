#include "cashier_plugin.hpp"

#include "cashier.hpp"

namespace payhost::cashier {

sdk::Status CashierPlugin::do_start(const sdk::Options&, sdk::Host& host) {
  // A page that answers "paid" must never be reachable where money is real.
  if (host.livemode()) {
    return sdk::make_error(sdk::ErrorKind::invalid_request, "sandbox_in_livemode",
                           "the sandbox cashier must not run in live mode");
  }
  host_.store(&host);
  host.logger().info(std::string("sandbox: cashier at ") + sdk::kCashierPathPrefix +
                     "{charge_id}; it pays through the simulator plugin of each channel");
  return {};
}

std::vector<sdk::Route> CashierPlugin::routes() {
  const auto route = [this](std::string method, std::string path,
                            std::function<sdk::HttpResponse(sdk::Host&, const sdk::HttpRequest&)>
                                handler) {
    sdk::Route r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.auth = sdk::AuthPolicy::none;  // browsers and test scripts carry no payhost token
    // Handlers look the host up per request: routes may be collected before start.
    r.handler = sdk::guarded([this, handler = std::move(handler)](const sdk::HttpRequest& request) {
      sdk::Host* host = host_.load();
      if (!host) {
        return sdk::HttpResponse::json(503, sdk::Json{{"message", "sandbox cashier not started"}});
      }
      return handler(*host, request);
    });
    // A pay sends the notification back into payhost and waits for its answer: served
    // from the API pool, that wait could starve the pool that must answer it.
    r.service_pool = true;
    return r;
  };
  const auto action = [](sdk::CashierAction a) {
    return [a](sdk::Host& host, const sdk::HttpRequest& request) {
      return act_on_charge(host, request, a);
    };
  };
  const std::string base = std::string(sdk::kCashierPathPrefix) + "{charge_id}";
  return {
      route("GET", base, &show_charge),
      route("POST", base + "/pay", action(sdk::CashierAction::pay)),
      route("POST", base + "/fail", action(sdk::CashierAction::fail)),
      route("POST", base + "/close", action(sdk::CashierAction::close)),
      route("POST", base + "/expire", action(sdk::CashierAction::expire)),
  };
}

}  // namespace payhost::cashier
