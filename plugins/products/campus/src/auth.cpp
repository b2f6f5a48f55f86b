#include "payhost/sdk/crypto.hpp"
#include "request_body.hpp"
#include "service.hpp"

namespace payhost::campus {

sdk::Status Service::check_caller(const sdk::HttpRequest& request) const {
  switch (settings_.auth) {
    case AuthMode::none:
      return {};
    case AuthMode::api_key: {
      const std::string key = request.header("X-Api-Key").value_or("");
      if (!sdk::crypto::constant_time_equals(key, settings_.api_key)) {
        return sdk::make_error(sdk::ErrorKind::unauthorized, "bad_api_key", "API密钥错误");
      }
      return {};
    }
    case AuthMode::jwt:
      if (!request.principal) {
        return sdk::make_error(sdk::ErrorKind::unauthorized, "unauthenticated",
                               "未登录或登录已过期,请重新登录");
      }
      return {};
  }
  return {};
}

sdk::Status Service::may_act_for(const sdk::HttpRequest& request,
                                 const std::string& user_id) const {
  if (settings_.auth != AuthMode::jwt) return {};
  if (request.principal && (request.principal->admin || request.principal->user_id == user_id)) {
    return {};
  }
  return sdk::make_error(sdk::ErrorKind::forbidden, "forbidden", "无权操作该用户: " + user_id,
                         "userID");
}

Date Service::today() const {
  return date_from_unix(host_.clock().now(), settings_.utc_offset_minutes);
}

std::optional<ActivePackage> active_package(const std::vector<Subscription>& subscriptions,
                                            const Catalogue& catalogue, const Date& today) {
  std::optional<ActivePackage> best;
  for (const auto& s : subscriptions) {
    const Package* p = catalogue.find(s.item_id);
    if (!p || p->type != s.type || !is_active(s.end, today)) continue;
    if (!best || p->price > best->package->price ||
        (p->price == best->package->price && s.end > best->subscription.end)) {
      best = ActivePackage{p, s};
    }
  }
  return best;
}

}  // namespace payhost::campus
