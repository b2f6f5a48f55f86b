#include "tamper_hook.hpp"

#include "charge_check.hpp"
#include "payhost/sdk/encoding.hpp"
#include "random_ids.hpp"

namespace payhost::sandbox_alipay {
namespace {

using sdk::Json;

int status_of(const sdk::Error& error) {
  switch (error.kind) {
    case sdk::ErrorKind::not_found:
      return 404;
    case sdk::ErrorKind::conflict:
      return 409;
    case sdk::ErrorKind::unavailable:
    case sdk::ErrorKind::retry:
      return 503;
    case sdk::ErrorKind::internal:
      return 500;
    default:
      return 400;
  }
}

sdk::HttpResponse refusal(const sdk::Error& error) {
  return sdk::HttpResponse::json(status_of(error),
                                 Json{{"error", error.code}, {"detail", error.message}});
}

}  // namespace

sdk::HttpResponse notify_tampered(AlipaySim& sim, const sdk::HttpRequest& request) {
  const Json input = sdk::parse_json(request.body);
  if (input.is_discarded() || !input.is_object() || !input.contains("charge_id") ||
      !input["charge_id"].is_string() || !input.contains("tamper") ||
      !input["tamper"].is_string()) {
    return sdk::HttpResponse::json(
        400, Json{{"error",
                   "want {\"charge_id\":\"...\",\"tamper\":\"amount|app_id|signature|"
                   "unknown_order\"}"}});
  }
  const auto tamper = alipay::tamper_from_string(input["tamper"].get<std::string>());
  if (!tamper) {
    return sdk::HttpResponse::json(
        400, Json{{"error", "tamper must be amount, app_id, signature or unknown_order"}});
  }
  const std::string charge_id = input["charge_id"].get<std::string>();
  auto charge = sim.host.charges().get(charge_id);
  if (!charge.ok()) {
    if (charge.error().kind == sdk::ErrorKind::not_found) {
      return sdk::HttpResponse::json(
          404, Json{{"error", "no_charge"}, {"detail", "payhost has no charge " + charge_id}});
    }
    return refusal(storage_error(sim, "loading the charge", charge.error()));
  }
  auto checked = check_charge(sim, charge.value());
  if (!checked.ok()) return refusal(checked.error());
  auto ensured = ensure_trade(sim, checked.value());
  if (!ensured.ok()) return refusal(ensured.error());
  const Trade& t = ensured.value();
  if (t.notify_url.empty()) {
    return sdk::HttpResponse::json(409, Json{{"error", "the trade has no notify_url"}});
  }

  // Claims the trade was paid without paying it: the trade itself stays as it is.
  alipay::NotifyTrade n = notify_trade(sim, t);
  n.trade_status = kTradeSuccess;
  if (n.gmt_payment == 0) n.gmt_payment = n.notify_time;
  if (n.buyer_id.empty()) n.buyer_id = make_buyer_id();
  if (n.buyer_logon_id.empty()) n.buyer_logon_id = buyer_logon_id();
  alipay::tamper_before_signing(n, *tamper);
  auto fields = alipay::notification_fields(n);
  if (!alipay::sign_notification(fields, sim.platform_private_key)) {
    return sdk::HttpResponse::json(500, Json{{"error", "signing failed"}});
  }
  if (*tamper == alipay::Tamper::signature) {
    for (auto& [k, v] : fields) {
      if (k == "sign") v = alipay::corrupt_signature(v);
    }
  }
  const Delivery d = sim.notifier.send_once(t.notify_url, sdk::form_encode(fields));
  Json out = Json{{"status", d.status}, {"answer", d.answer}};
  if (!d.error.empty()) out["error"] = d.error;
  return sdk::HttpResponse::json(200, out);
}

}  // namespace payhost::sandbox_alipay
