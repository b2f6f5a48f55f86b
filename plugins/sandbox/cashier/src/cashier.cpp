#include "cashier.hpp"

#include <optional>
#include <string>
#include <variant>

#include "json_answers.hpp"
#include "pages.hpp"
#include "payhost/sdk/encoding.hpp"
#include "refusal.hpp"
#include "web_url.hpp"

namespace payhost::cashier {
namespace {

// Longer than any charge id the host makes ("ch_" + 24), short enough to bound what a
// path segment can make us look up or echo.
constexpr std::size_t kMaxChargeIdLength = 64;

bool plausible_charge_id(const std::string& id) {
  if (id.empty() || id.size() > kMaxChargeIdLength) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

struct Found {
  sdk::Charge charge;
  sdk::Simulator* simulator = nullptr;
};

// The charge and the simulator of its channel, or why the cashier cannot go on.
std::variant<Found, Refusal> find(sdk::Host& host, const std::string& charge_id) {
  if (!plausible_charge_id(charge_id)) {
    return Refusal{404, "no_charge", "没有这笔支付 No such charge",
                   "that is not a charge id payhost would make"};
  }
  auto charge = host.charges().get(charge_id);
  if (!charge.ok()) {
    if (charge.error().kind == sdk::ErrorKind::not_found) {
      return Refusal{404, "no_charge", "没有这笔支付 No such charge",
                     "payhost has no charge " + charge_id};
    }
    // The detail (driver or SQL text) goes to the log, never onto the page.
    host.logger().error("sandbox cashier: loading charge " + charge_id + ": " +
                        charge.error().message);
    return Refusal{503, "cashier_storage", "暂时无法读取 Cannot load the charge",
                   "payhost could not read the charge; its log says why"};
  }
  Found found{std::move(charge.value()), nullptr};
  if (found.charge.livemode) {
    return Refusal{400, "live_charge", "真实支付 A live-mode charge",
                   "charge " + charge_id +
                       " is a live-mode charge; the sandbox cashier "
                       "acts on test-mode charges only"};
  }
  found.simulator = host.simulator_for(found.charge.channel);
  if (!found.simulator) {
    return Refusal{
        400, "no_simulator", "没有模拟器 No simulator",
        "no simulator for channel " + found.charge.channel + ": enable its sandbox plugin"};
  }
  return found;
}

// The page's absolute URL, which a phone opens from the code of a wap/pc channel; "" when
// the host's public URL is not one a phone could open.
std::string page_url(sdk::Host& host, const std::string& charge_id) {
  std::string base = host.public_url();
  while (!base.empty() && base.back() == '/')
    base.pop_back();
  std::string url = base + sdk::kCashierPathPrefix + sdk::url_encode(charge_id);
  return is_absolute_web_url(url) ? url : std::string();
}

// The charge as payhost reports it after an action. Providers notify only some outcomes
// (none notifies a close), so payhost is asked to query the provider, as a merchant's
// result page would; the page then shows what the merchant would see.
std::optional<sdk::Charge> charge_after(sdk::Host& host, const std::string& charge_id) {
  auto retrieved = host.charges().retrieve(charge_id);
  if (retrieved.ok()) return std::move(retrieved.value());
  host.logger().warn("sandbox cashier: retrieving " + charge_id + ": " + retrieved.error().message);
  return std::nullopt;
}

}  // namespace

sdk::HttpResponse show_charge(sdk::Host& host, const sdk::HttpRequest& request) {
  auto found = find(host, request.path_param("charge_id"));
  if (auto* refusal = std::get_if<Refusal>(&found)) return refusal_page(*refusal);
  const Found& f = std::get<Found>(found);
  const auto view = f.simulator->inspect(f.charge);
  if (!view.ok()) return refusal_page(simulator_refusal(view.error()));
  return charge_page(f.charge, view.value(), page_url(host, f.charge.id));
}

sdk::HttpResponse act_on_charge(sdk::Host& host, const sdk::HttpRequest& request,
                                sdk::CashierAction action) {
  const bool json = wants_json(request);
  const std::string charge_id = request.path_param("charge_id");
  const auto refuse = [&](const Refusal& r) {
    if (json) return refusal_json(action, r);
    // A link back only to a charge that exists.
    return action_refusal_page(r, action, r.code == "no_charge" ? std::string() : charge_id);
  };
  auto found = find(host, charge_id);
  if (auto* refusal = std::get_if<Refusal>(&found)) return refuse(*refusal);
  const Found& f = std::get<Found>(found);
  // The simulator decides what its trade allows: paying a paid trade, for one, sends the
  // notification again, which is how testers check that duplicates settle once.
  const auto result = f.simulator->act(f.charge, action);
  if (!result.ok()) return refuse(simulator_refusal(result.error()));
  host.logger().info(std::string("sandbox cashier: ") + sdk::to_string(action) + " on " +
                     f.charge.id + " (" + f.charge.channel + "): " + result->trade_status);
  // JSON answers report what the provider did, as they always have; a script asks payhost
  // itself (GET /v1/charges/{id}) when it wants the charge.
  if (json) return result_json(action, result.value());
  return result_page(f.charge, action, result.value(), charge_after(host, f.charge.id));
}

}  // namespace payhost::cashier
