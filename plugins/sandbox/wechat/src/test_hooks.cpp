#include "test_hooks.hpp"

#include "api_requests.hpp"
#include "credential_check.hpp"
#include "notification.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::sandbox_wechat {
namespace {

using sdk::Json;

sdk::HttpResponse refusal(int status, const std::string& message) {
  return sdk::HttpResponse::json(status, Json{{"error", message}});
}

sdk::HttpResponse send_tampered(WechatSim& sim, const sdk::HttpRequest& request,
                                std::optional<Tamper> forced) {
  const Json body = request.body.size() <= kMaxBodyBytes ? sdk::parse_json(request.body)
                                                         : Json(Json::value_t::discarded);
  if (!body.is_object()) return refusal(400, "the body must be a JSON object");
  const auto charge_id = body.find("charge_id");
  if (charge_id == body.end() || !charge_id->is_string()) {
    return refusal(400, "charge_id (a string) is required");
  }
  std::optional<Tamper> tamper = forced;
  if (!tamper) {
    const auto name = body.find("tamper");
    if (name == body.end() || !name->is_string() ||
        !(tamper = tamper_from_string(name->get<std::string>()))) {
      return refusal(400,
                     "tamper must be one of signature, amount, mchid, appid, gcm_tag, "
                     "timestamp, serial, unknown_order, probe");
    }
  }
  auto charge = sim.host.charges().get(charge_id->get<std::string>());
  if (!charge.ok()) return refusal(404, "no charge " + charge_id->get<std::string>());
  if (trade_type_for_channel(charge->channel) == nullptr) {
    return refusal(400, "charge " + charge->id + " is not a WeChat Pay charge");
  }
  auto trade = sim.store.find(sim.options.mchid, TradeKey{charge->order_no, {}});
  if (!trade.ok()) return refusal(503, "the simulated WeChat Pay could not read its trade");
  if (!trade->has_value()) return refusal(404, "WeChat Pay has no trade for " + charge->order_no);

  const auto notification =
      tampered_notification(**trade, *tamper, *sim.signer, sim.apiv3_key, sim.host.clock().now());
  if (!notification) return refusal(500, "building the notification failed");
  const Delivery delivery =
      sim.notifier.send_once((*trade)->notify_url, notification->body, notification->headers);
  Json answer = Json{{"status", delivery.status}, {"answer", delivery.answer}};
  if (!delivery.error.empty()) answer["error"] = delivery.error;
  return sdk::HttpResponse::json(200, answer);
}

}  // namespace

sdk::HttpResponse handle_notify_tampered(WechatSim& sim, const sdk::HttpRequest& request) {
  return send_tampered(sim, request, std::nullopt);
}

sdk::HttpResponse handle_notify_probe(WechatSim& sim, const sdk::HttpRequest& request) {
  return send_tampered(sim, request, Tamper::probe);
}

}  // namespace payhost::sandbox_wechat
