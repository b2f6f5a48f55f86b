#include "payhost/sdk/product.hpp"

#include "barrier.hpp"

namespace payhost::sdk {

HttpResponse ProductPlugin::auth_failure(const Error& error) const {
  const int status = error.kind == ErrorKind::forbidden ? 403 : 401;
  return HttpResponse::json(status, Json{{"message", error.message}});
}

Status ProductPlugin::on_charge_succeeded(SettlementContext& context) noexcept {
  return detail::barrier<Status>("on_charge_succeeded",
                                 [&] { return do_on_charge_succeeded(context); });
}

Status ProductPlugin::on_charge_failed(SettlementContext& context) noexcept {
  return detail::barrier<Status>("on_charge_failed", [&] { return do_on_charge_failed(context); });
}

const char* to_string(CashierAction action) noexcept {
  switch (action) {
    case CashierAction::pay:
      return "pay";
    case CashierAction::fail:
      return "fail";
    case CashierAction::close:
      return "close";
    case CashierAction::expire:
      return "expire";
  }
  return "unknown";
}

RouteHandler guarded(RouteHandler handler) {
  return [handler = std::move(handler)](const HttpRequest& request) -> HttpResponse {
    try {
      return handler(request);
    } catch (...) {
      return HttpResponse::json(500, Json{{"message", "internal error"}});
    }
  };
}

}  // namespace payhost::sdk
