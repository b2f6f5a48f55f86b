#include "charge_check.hpp"

#include "random_ids.hpp"

namespace payhost::sandbox_alipay {
namespace {

using alipay::Method;
using sdk::Json;

sdk::Error bad_credential(std::string message) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "bad_credential", std::move(message));
}

bool credential_present(const sdk::Charge& charge) {
  const Json& c = charge.credential;
  if (c.is_string()) return !c.get<std::string>().empty();
  return c.is_object() && !c.empty();
}

// Checks a signed merchant request the way the gateway does, except for the timestamp
// window: the app or browser may reach the cashier long after the charge was made.
sdk::Result<alipay::PayOrder> verify_signed(AlipaySim& sim, const alipay::Params& params,
                                            Method expected, const std::string& where) {
  alipay::RequestCheck check;
  check.app_id = sim.options.alipay_app_id;
  check.now = sim.host.clock().now();
  check.window_seconds = 0;
  check.merchant_public_key = sim.merchant_public_key;
  if (auto e = alipay::check_request(params, check)) {
    return bad_credential(where + ": " + e->code + " " + e->sub_code + ": " + e->sub_msg);
  }
  const auto method = params.find("method");
  if (method == params.end() || method->second != alipay::method_name(expected)) {
    return bad_credential(where + ": method must be " + alipay::method_name(expected));
  }
  auto order = alipay::parse_pay_order(expected, params);
  if (!order.ok()) {
    return bad_credential(where + ": " + order.error().sub_code + ": " + order.error().sub_msg);
  }
  return order.value();
}

// The signed order inside the credential of an app, wap or page charge.
sdk::Result<alipay::PayOrder> signed_order_of(AlipaySim& sim, const sdk::Charge& c) {
  if (c.channel == "alipay") {
    const Json& info = c.credential.is_object() && c.credential.contains("orderInfo")
                           ? c.credential["orderInfo"]
                           : Json();
    if (!info.is_string()) {
      return bad_credential("credential.orderInfo is missing or not a string");
    }
    const auto params = alipay::parse_order_string(info.get<std::string>());
    if (!params.ok()) return bad_credential("orderInfo: " + params.error().sub_msg);
    return verify_signed(sim, params.value(), Method::app_pay, "orderInfo");
  }
  const auto params = alipay::params_from_credential(c.credential);
  if (!params.ok()) return bad_credential(params.error().sub_msg);
  return verify_signed(sim, params.value(),
                       c.channel == "alipay_wap" ? Method::wap_pay : Method::page_pay,
                       "credential fields");
}

}  // namespace

bool is_alipay_channel(const std::string& channel) {
  return channel == "alipay" || channel == "alipay_wap" || channel == "alipay_pc_direct" ||
         channel == "alipay_qr";
}

sdk::Error storage_error(AlipaySim& sim, const char* what, const sdk::Error& error) {
  sim.host.logger().error(std::string("sandbox_alipay: ") + what + ": " + error.message);
  return sdk::make_error(sdk::ErrorKind::unavailable, "sandbox_storage",
                         std::string(what) +
                             ": the simulator could not read or write its records; its log "
                             "says why");
}

sdk::Result<CheckedCharge> check_charge(AlipaySim& sim, const sdk::Charge& charge) {
  if (!is_alipay_channel(charge.channel)) {
    return sdk::make_error(sdk::ErrorKind::invalid_request, "not_alipay",
                           "charge " + charge.id + " uses channel " + charge.channel +
                               "; this simulator plays Alipay only");
  }
  CheckedCharge checked;
  checked.charge = charge;
  const sdk::Charge& c = checked.charge;
  const auto stored = sim.store.find(sim.options.alipay_app_id, alipay::TradeKey{c.order_no, {}});
  if (!stored.ok()) return storage_error(sim, "reading the trade", stored.error());
  checked.trade = stored.value();

  if (!credential_present(c)) {
    if (!checked.trade) {
      return bad_credential("charge " + c.id + " has no credential and Alipay has no trade for it");
    }
    return checked;
  }
  if (c.channel == "alipay_qr") {  // the credential is the QR content precreate returned
    if (!c.credential.is_string()) {
      return bad_credential("the alipay_qr credential must be the QR string");
    }
    if (!checked.trade || checked.trade->method != alipay::method_name(Method::precreate)) {
      return bad_credential("not precreated: no alipay.trade.precreate trade for out_trade_no " +
                            c.order_no);
    }
    if (c.credential.get<std::string>() != checked.trade->qr_code) {
      return bad_credential("the charge's QR string " + c.credential.get<std::string>() +
                            " is not the qr_code precreate returned (" + checked.trade->qr_code +
                            ")");
    }
    return checked;
  }
  auto order = signed_order_of(sim, c);
  if (!order.ok()) return order.error();
  const alipay::PayOrder& o = order.value();
  if (o.out_trade_no != c.order_no) {
    return bad_credential("signed out_trade_no " + o.out_trade_no +
                          " is not the charge's order_no " + c.order_no);
  }
  if (o.amount != c.amount) {
    return bad_credential("signed total_amount " + sdk::format_yuan(o.amount) +
                          " is not the charge amount " + sdk::format_yuan(c.amount));
  }
  checked.signed_order = o;
  return checked;
}

sdk::Result<Trade> ensure_trade(AlipaySim& sim, const CheckedCharge& checked) {
  if (checked.trade) return *checked.trade;
  if (!checked.signed_order) {
    return sdk::make_error(sdk::ErrorKind::conflict, "not_precreated",
                           "there is no trade to act on for this charge");
  }
  const auto& o = *checked.signed_order;
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
  if (!opened.ok()) return storage_error(sim, "recording the trade", opened.error());
  if (!opened->created && opened->trade.fingerprint != t.fingerprint) {
    return sdk::make_error(sdk::ErrorKind::conflict, "trade_conflict",
                           "out_trade_no " + t.out_trade_no + " already exists with other content");
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

std::string buyer_logon_id() {
  return "buyer***@sandbox.example";
}

}  // namespace payhost::sandbox_alipay
