#include "test_hooks.hpp"

#include "acp_form.hpp"
#include "credential_check.hpp"
#include "notification.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::sandbox_unionpay {
namespace {

using sdk::Json;

sdk::HttpResponse refusal(int status, const std::string& message) {
  return sdk::HttpResponse::json(status, Json{{"error", message}});
}

}  // namespace

sdk::HttpResponse handle_notify_tampered(UnionpaySim& sim, const sdk::HttpRequest& request) {
  const Json body = request.body.size() <= kMaxFormBytes ? sdk::parse_json(request.body)
                                                         : Json(Json::value_t::discarded);
  if (!body.is_object()) return refusal(400, "the body must be a JSON object");
  const auto charge_id = body.find("charge_id");
  if (charge_id == body.end() || !charge_id->is_string()) {
    return refusal(400, "charge_id (a string) is required");
  }
  const auto name = body.find("tamper");
  std::optional<Tamper> tamper;
  if (name == body.end() || !name->is_string() ||
      !(tamper = tamper_from_string(name->get<std::string>()))) {
    return refusal(400, std::string("tamper must be one of ") + tamper_names());
  }
  auto charge = sim.host.charges().get(charge_id->get<std::string>());
  if (!charge.ok()) return refusal(404, "no charge " + charge_id->get<std::string>());
  if (!is_unionpay_channel(charge->channel)) {
    return refusal(400, "charge " + charge->id + " is not a UnionPay charge");
  }
  auto trade = sim.store.find(sim.options.mer_id, charge->order_no);
  if (!trade.ok()) return refusal(503, "the simulated UnionPay could not read its trade");
  if (!trade->has_value()) return refusal(404, "UnionPay has no trade for " + charge->order_no);

  const auto notification =
      tampered_notification_body(sim, **trade, *tamper, sim.host.clock().now());
  if (!notification) return refusal(500, "building the notification failed");
  const Delivery delivery = sim.notifier.send_once((*trade)->back_url, *notification);
  Json answer = Json{{"status", delivery.status}, {"answer", delivery.answer}};
  if (!delivery.error.empty()) answer["error"] = delivery.error;
  return sdk::HttpResponse::json(200, answer);
}

}  // namespace payhost::sandbox_unionpay
