#include "context.hpp"

#include <algorithm>

#include "format.hpp"
#include "input.hpp"
#include "messages.hpp"

namespace payhost::wallet {
namespace {

sdk::HttpResponse not_started() {
  return message_response(503, msg::kInternalError);
}

}  // namespace

std::vector<std::string> WalletContext::recharge_types() const {
  const std::vector<std::string> enabled = host.charges().enabled_channels();
  std::vector<std::string> out;
  for (const std::string& type : config.recharge_types) {
    if (std::find(enabled.begin(), enabled.end(), type) != enabled.end()) out.push_back(type);
  }
  return out;
}

const std::string& WalletContext::wallet_info_prefix() const {
  std::call_once(info_once_, [this] {
    std::string text = sdk::json_dump(sdk::Json{{"labels", config.labels},
                                                {"ratio", config.ratio},
                                                {"rule", config.rule},
                                                {"cash", config.cash_types},
                                                {"case_min_amount", config.case_min_amount},
                                                {"recharge_type", recharge_types()},
                                                {"balance", 0}});
    // Everything but the trailing `0}`: the balance and the brace are appended per request.
    text.resize(text.size() - 2);
    info_prefix_ = std::move(text);
  });
  return info_prefix_;
}

sdk::HttpResponse unauthenticated() {
  return message_response(401, msg::kUnauthenticated);
}

sdk::HttpResponse internal_error(WalletContext& ctx, std::string_view what,
                                 const sdk::Error& error) {
  ctx.host.logger().error("wallet: " + std::string(what) + " failed: " + error.code + ": " +
                          error.message);
  return message_response(500, msg::kInternalError);
}

sdk::Route user_route(const ContextSlot& slot, std::string method, std::string path,
                      UserHandler handler, bool idempotent) {
  sdk::Route route;
  route.method = std::move(method);
  route.path = std::move(path);
  route.auth = sdk::AuthPolicy::user;
  route.idempotent = idempotent;
  route.handler = sdk::guarded(
      [&slot, handler = std::move(handler)](const sdk::HttpRequest& request) -> sdk::HttpResponse {
        if (!slot) return not_started();
        const auto user = caller_id(request);
        if (!user) return unauthenticated();
        return handler(*slot, request, *user);
      });
  return route;
}

sdk::Route admin_route(const ContextSlot& slot, std::string method, std::string path,
                       AdminHandler handler) {
  sdk::Route route;
  route.method = std::move(method);
  route.path = std::move(path);
  route.auth = sdk::AuthPolicy::admin;
  route.handler = sdk::guarded(
      [&slot, handler = std::move(handler)](const sdk::HttpRequest& request) -> sdk::HttpResponse {
        if (!slot) return not_started();
        // The host has checked already; this only keeps a misrouted call from acting.
        if (!request.principal) return unauthenticated();
        if (!request.principal->admin) return message_response(403, msg::kAdminOnly);
        return handler(*slot, request);
      });
  return route;
}

}  // namespace payhost::wallet
