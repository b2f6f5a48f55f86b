#include "cashier.hpp"

#include "alipay_wire.hpp"
#include "beijing_time.hpp"
#include "html.hpp"
#include "payhost/sdk/encoding.hpp"
#include "random_ids.hpp"

namespace payhost::sandbox {
namespace {

using alipay::Method;
using sdk::Json;

bool is_alipay_channel(const std::string& channel) {
  return channel == "alipay" || channel == "alipay_wap" || channel == "alipay_pc_direct" ||
         channel == "alipay_qr";
}

// Why the cashier refuses, with the HTTP status to say it with.
struct Refusal {
  int status = 400;
  std::string title;
  std::string detail;
};

// A failure of the sandbox's own storage: the detail (driver or SQL text) goes to the log,
// never onto the page.
Refusal storage_refusal(AlipaySim& sim, int status, const char* title, const sdk::Error& error) {
  sim.host.logger().error(std::string("sandbox cashier: ") + title + ": " + error.message);
  return Refusal{status, title,
                 "the sandbox could not read or write its records; its log says why"};
}

struct View {
  sdk::Charge charge;
  std::optional<alipay::PayOrder> signed_order;  // from the credential, when it has one
  std::optional<Trade> trade;                    // the simulator's trade, if recorded
};

template <class T>
using Resolved = std::variant<T, Refusal>;

bool credential_present(const sdk::Charge& charge) {
  const Json& c = charge.credential;
  if (c.is_string()) return !c.get<std::string>().empty();
  return c.is_object() && !c.empty();
}

// Checks a signed merchant request the way the gateway does, except for the timestamp
// window: the app or browser may reach the cashier long after the charge was made.
Resolved<alipay::PayOrder> verify_signed(AlipaySim& sim, const alipay::Params& params,
                                         Method expected, const std::string& where) {
  alipay::RequestCheck check;
  check.app_id = sim.options.alipay_app_id;
  check.now = sim.host.clock().now();
  check.window_seconds = 0;
  check.merchant_public_key = sim.merchant_public_key;
  if (auto e = alipay::check_request(params, check)) {
    return Refusal{400, "Bad credential signature or parameters",
                   where + ": " + e->code + " " + e->sub_code + ": " + e->sub_msg};
  }
  const auto method = params.find("method");
  if (method == params.end() || method->second != alipay::method_name(expected)) {
    return Refusal{400, "Bad credential",
                   where + ": method must be " + alipay::method_name(expected)};
  }
  auto order = alipay::parse_pay_order(expected, params);
  if (!order.ok()) {
    return Refusal{400, "Bad credential",
                   where + ": " + order.error().sub_code + ": " + order.error().sub_msg};
  }
  return order.value();
}

Resolved<View> resolve(AlipaySim& sim, const std::string& charge_id) {
  auto charge = sim.host.charges().get(charge_id);
  if (!charge.ok()) {
    if (charge.error().kind == sdk::ErrorKind::not_found) {
      return Refusal{404, "No such charge", "payhost has no charge " + charge_id};
    }
    return storage_refusal(sim, 502, "Cannot load the charge", charge.error());
  }
  View view;
  view.charge = std::move(charge.value());
  const sdk::Charge& c = view.charge;
  if (!is_alipay_channel(c.channel)) {
    return Refusal{
        400, "Not an Alipay charge",
        "charge " + c.id + " uses channel " + c.channel + "; this cashier simulates Alipay only"};
  }
  const auto stored = sim.store.find(sim.options.alipay_app_id, alipay::TradeKey{c.order_no, {}});
  if (!stored.ok()) return storage_refusal(sim, 503, "Sandbox database error", stored.error());
  view.trade = stored.value();

  if (credential_present(c)) {
    std::optional<Resolved<alipay::PayOrder>> order;
    if (c.channel == "alipay") {
      const Json& info = c.credential.is_object() && c.credential.contains("orderInfo")
                             ? c.credential["orderInfo"]
                             : Json();
      if (!info.is_string()) {
        return Refusal{400, "Bad credential", "credential.orderInfo is missing or not a string"};
      }
      const auto params = alipay::parse_order_string(info.get<std::string>());
      if (!params.ok()) {
        return Refusal{400, "Bad credential", "orderInfo: " + params.error().sub_msg};
      }
      order = verify_signed(sim, params.value(), Method::app_pay, "orderInfo");
    } else if (c.channel == "alipay_wap" || c.channel == "alipay_pc_direct") {
      const auto params = alipay::params_from_credential(c.credential);
      if (!params.ok()) return Refusal{400, "Bad credential", params.error().sub_msg};
      order = verify_signed(sim, params.value(),
                            c.channel == "alipay_wap" ? Method::wap_pay : Method::page_pay,
                            "credential fields");
    } else {  // alipay_qr: the credential is the QR content precreate returned
      if (!c.credential.is_string()) {
        return Refusal{400, "Bad credential", "the alipay_qr credential must be the QR string"};
      }
      if (!view.trade || view.trade->method != alipay::method_name(Method::precreate)) {
        return Refusal{400, "Not precreated",
                       "no alipay.trade.precreate trade for out_trade_no " + c.order_no};
      }
      if (c.credential.get<std::string>() != view.trade->qr_code) {
        return Refusal{400, "Bad credential",
                       "the charge's QR string " + c.credential.get<std::string>() +
                           " is not the qr_code precreate returned (" + view.trade->qr_code + ")"};
      }
    }
    if (order) {
      if (auto* refusal = std::get_if<Refusal>(&*order)) return *refusal;
      view.signed_order = std::get<alipay::PayOrder>(*order);
      const auto& o = *view.signed_order;
      if (o.out_trade_no != c.order_no) {
        return Refusal{400, "Bad credential",
                       "signed out_trade_no " + o.out_trade_no + " is not the charge's order_no " +
                           c.order_no};
      }
      if (o.amount != c.amount) {
        return Refusal{400, "Bad credential",
                       "signed total_amount " + sdk::format_yuan(o.amount) +
                           " is not the charge amount " + sdk::format_yuan(c.amount)};
      }
    }
  } else if (!view.trade) {
    return Refusal{400, "No credential",
                   "charge " + c.id + " has no credential and Alipay has no trade for it"};
  }
  return view;
}

// The trade the cashier pays: the recorded one, or (app/wap/page reached without the
// gateway) one recorded now from the verified credential.
Resolved<Trade> ensure_trade(AlipaySim& sim, const View& view) {
  if (view.trade) return *view.trade;
  if (!view.signed_order) {
    return Refusal{400, "Not precreated", "there is no trade to pay for this charge"};
  }
  const auto& o = *view.signed_order;
  const std::int64_t now = sim.host.clock().now();
  Trade t;
  t.app_id = sim.options.alipay_app_id;
  t.out_trade_no = o.out_trade_no;
  t.trade_no = make_trade_no(now);
  t.method = alipay::method_name(o.method);
  t.amount = o.amount;
  t.subject = o.subject;
  t.notify_url = o.notify_url;
  t.return_url = o.return_url;
  t.fingerprint = trade_fingerprint(t.method, t.amount, t.subject);
  t.created_at = now;
  const auto opened = sim.store.open(t);
  if (!opened.ok()) return storage_refusal(sim, 503, "Sandbox database error", opened.error());
  if (!opened->created && opened->trade.fingerprint != t.fingerprint) {
    return Refusal{409, "Trade conflict",
                   "out_trade_no " + t.out_trade_no + " already exists with other content"};
  }
  return opened->trade;
}

alipay::NotifyTrade notify_trade(AlipaySim& sim, const Trade& t) {
  alipay::NotifyTrade n;
  n.notify_id = make_notify_id();
  n.notify_time = sim.host.clock().now();
  n.app_id = t.app_id;
  n.seller_id = sim.options.alipay_seller_id;
  n.trade_no = t.trade_no;
  n.out_trade_no = t.out_trade_no;
  n.buyer_id = t.buyer_id;
  n.buyer_logon_id = t.buyer_logon_id;
  n.trade_status = t.status;
  n.amount = t.amount;
  n.refunded = t.refunded;
  n.subject = t.subject;
  n.gmt_create = t.created_at;
  n.gmt_payment = t.paid_at;
  return n;
}

// `?format=json` too: payhostd on Pistache 0.0.5 hands plugins an empty Accept value,
// and some scripted clients cannot set headers at all.
bool wants_json(const sdk::HttpRequest& request) {
  const auto accept = request.header("Accept");
  if (accept && accept->find("application/json") != std::string::npos) return true;
  const auto query = sdk::parse_form_map(request.raw_query);
  const auto format = query.find("format");
  return format != query.end() && format->second == "json";
}

sdk::HttpResponse refusal_page(const Refusal& r) {
  return html_page(r.status, "支付宝 sandbox: " + r.title,
                   "<p>" + sdk::html_escape(r.detail) + "</p>");
}

sdk::HttpResponse refusal_json(const Refusal& r) {
  return sdk::HttpResponse::json(r.status,
                                 Json{{"paid", false}, {"error", r.title}, {"detail", r.detail}});
}

std::string buyer_logon_id() {
  return "buyer***@sandbox.example";
}

// A link back to the merchant like Alipay's browser return: return_url plus the signed
// sync parameters. Only a hint for the merchant; the notification is what counts.
std::string return_link(AlipaySim& sim, const Trade& t) {
  // Trades recorded before the gateway checked return_url may hold any text.
  if (!alipay::is_web_url(t.return_url)) return {};
  const auto method = alipay::method_from_name(t.method);
  if (!method || !alipay::browser_method(*method)) return {};
  auto fields = alipay::return_fields(*method, notify_trade(sim, t), sim.host.clock().now());
  if (!alipay::sign_notification(fields, sim.platform_private_key)) return {};
  const char separator = t.return_url.find('?') == std::string::npos ? '?' : '&';
  return t.return_url + separator + sdk::form_encode(fields);
}

}  // namespace

sdk::HttpResponse cashier_page(AlipaySim& sim, const sdk::HttpRequest& request) {
  const std::string charge_id = request.path_param("charge_id");
  auto resolved = resolve(sim, charge_id);
  if (auto* refusal = std::get_if<Refusal>(&resolved)) return refusal_page(*refusal);
  const View& view = std::get<View>(resolved);
  const sdk::Charge& c = view.charge;

  const std::string subject = view.signed_order ? view.signed_order->subject
                                                : (view.trade ? view.trade->subject : c.subject);
  const sdk::Fen amount =
      view.signed_order ? view.signed_order->amount : (view.trade ? view.trade->amount : c.amount);
  const std::string status =
      view.trade ? view.trade->status : std::string("WAIT_BUYER_PAY (not yet recorded)");
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Subject", subject},
      {"Amount", "¥" + sdk::format_yuan(amount)},
      {"Channel", c.channel},
      {"Order number", c.order_no},
      {"Charge", c.id},
      {"Trade status", status},
      {"Charge paid", c.paid() ? "yes" : "no"},
  };
  if (view.trade && !view.trade->trade_no.empty() && view.trade->paid()) {
    rows.emplace_back("Alipay trade_no", view.trade->trade_no);
  }
  std::string body = html_table(rows);
  const bool payable = !view.trade || view.trade->status == kWaitBuyerPay || view.trade->paid();
  if (payable) {
    body +=
        "<form method=\"post\" action=\"/sandbox/cashier/" +
        sdk::html_escape(sdk::url_encode(c.id)) + "/pay\"><p><button type=\"submit\">" +
        std::string(view.trade && view.trade->paid() ? "Pay again (re-send notification)" : "Pay") +
        " ¥" + sdk::html_escape(sdk::format_yuan(amount)) + "</button></p></form>";
  } else {
    body += "<p>This trade is " + sdk::html_escape(view.trade->status) + " and cannot be paid.</p>";
  }
  return html_page(200, "支付宝 sandbox cashier", body);
}

sdk::HttpResponse cashier_pay(AlipaySim& sim, const sdk::HttpRequest& request) {
  const bool json = wants_json(request);
  const auto refuse = [json](const Refusal& r) { return json ? refusal_json(r) : refusal_page(r); };

  auto resolved = resolve(sim, request.path_param("charge_id"));
  if (auto* refusal = std::get_if<Refusal>(&resolved)) return refuse(*refusal);
  const View& view = std::get<View>(resolved);
  auto ensured = ensure_trade(sim, view);
  if (auto* refusal = std::get_if<Refusal>(&ensured)) return refuse(*refusal);
  const Trade& trade = std::get<Trade>(ensured);

  const auto paid = sim.store.pay(trade.app_id, trade.out_trade_no, make_buyer_id(),
                                  buyer_logon_id(), sim.host.clock().now());
  if (!paid.ok()) {
    return refuse(storage_refusal(sim, 503, "Sandbox database error", paid.error()));
  }
  if (paid->change == TradeStore::Change::not_found) {
    return refuse(Refusal{500, "Trade vanished", "out_trade_no " + trade.out_trade_no});
  }
  if (paid->change == TradeStore::Change::wrong_status) {
    return refuse(Refusal{409, "Trade not payable",
                          "out_trade_no " + trade.out_trade_no + " is " + paid->trade.status});
  }
  const Trade& t = paid->trade;

  // Paying a paid trade pays nothing twice but notifies again: the duplicate
  // notification a merchant must shrug off.
  Delivery delivery;
  if (t.notify_url.empty()) {
    delivery.error = "the signed request carried no notify_url";
  } else {
    auto fields = alipay::notification_fields(notify_trade(sim, t));
    if (!alipay::sign_notification(fields, sim.platform_private_key)) {
      return refuse(Refusal{500, "Signing failed", "could not sign the notification"});
    }
    delivery = sim.notifier.deliver(t.notify_url, sdk::form_encode(fields),
                                    "out_trade_no " + t.out_trade_no);
  }

  if (json) {
    Json out = Json{{"paid", true},
                    {"trade_no", t.trade_no},
                    {"out_trade_no", t.out_trade_no},
                    {"trade_status", t.status},
                    {"repeated", paid->change == TradeStore::Change::replayed},
                    {"notified", delivery.accepted()},
                    {"notify_status", delivery.status},
                    {"notify_answer", delivery.answer}};
    if (!delivery.error.empty()) out["notify_error"] = delivery.error;
    return sdk::HttpResponse::json(200, out);
  }
  std::string body = html_table({
      {"Alipay trade_no", t.trade_no},
      {"Order number", t.out_trade_no},
      {"Amount", "¥" + sdk::format_yuan(t.amount)},
      {"Trade status", t.status},
      {"Notification", delivery.accepted() ? "accepted (success)"
                       : delivery.sent     ? "answered " + std::to_string(delivery.status) + ": " +
                                             delivery.answer + " (will retry)"
                                       : "not delivered: " + delivery.error},
  });
  if (const auto link = return_link(sim, t); !link.empty()) {
    body += "<p><a href=\"" + sdk::html_escape(link) + "\">Return to the merchant</a></p>";
  }
  return html_page(200, "支付宝 sandbox: paid", body);
}

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
  auto resolved = resolve(sim, input["charge_id"].get<std::string>());
  if (auto* refusal = std::get_if<Refusal>(&resolved)) {
    return sdk::HttpResponse::json(refusal->status,
                                   Json{{"error", refusal->title}, {"detail", refusal->detail}});
  }
  auto ensured = ensure_trade(sim, std::get<View>(resolved));
  if (auto* refusal = std::get_if<Refusal>(&ensured)) {
    return sdk::HttpResponse::json(refusal->status,
                                   Json{{"error", refusal->title}, {"detail", refusal->detail}});
  }
  const Trade& t = std::get<Trade>(ensured);
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

}  // namespace payhost::sandbox
