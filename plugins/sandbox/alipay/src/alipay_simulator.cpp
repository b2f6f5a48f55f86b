#include "alipay_simulator.hpp"

#include <exception>
#include <vector>

#include "beijing_time.hpp"
#include "charge_check.hpp"
#include "payhost/sdk/encoding.hpp"
#include "random_ids.hpp"

namespace payhost::sandbox_alipay {
namespace {

// Simulator calls cross into another plugin's code (the cashier's): nothing may escape.
template <class T, class F>
sdk::Result<T> barrier(AlipaySim& sim, F&& work) noexcept {
  try {
    return work();
  } catch (const std::exception& e) {
    try {
      sim.host.logger().error(std::string("sandbox_alipay: simulator failed: ") + e.what());
    } catch (...) {
    }
  } catch (...) {
  }
  return sdk::make_error(sdk::ErrorKind::internal, "simulator_failed",
                         "the simulated Alipay failed; its log says why");
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

sdk::CashierResult result_of(const Trade& t) {
  sdk::CashierResult r;
  r.trade_no = t.trade_no;
  r.out_trade_no = t.out_trade_no;
  r.trade_status = t.status;
  return r;
}

}  // namespace

std::vector<std::string> AlipaySimulator::channels() const {
  return {"alipay", "alipay_wap", "alipay_pc_direct", "alipay_qr"};
}

sdk::Result<sdk::CashierView> AlipaySimulator::inspect(const sdk::Charge& charge) noexcept {
  return barrier<sdk::CashierView>(sim_, [&] { return do_inspect(charge); });
}

sdk::Result<sdk::CashierResult> AlipaySimulator::act(const sdk::Charge& charge,
                                                     sdk::CashierAction action) noexcept {
  return barrier<sdk::CashierResult>(sim_, [&]() -> sdk::Result<sdk::CashierResult> {
    switch (action) {
      case sdk::CashierAction::pay:
        return pay(charge);
      case sdk::CashierAction::close:
        return close(charge, false);
      case sdk::CashierAction::expire:
        return close(charge, true);
      case sdk::CashierAction::fail:
        break;
    }
    // Credentials first, so a forged one reads the same whatever the action.
    auto checked = check_charge(sim_, charge);
    if (!checked.ok()) return checked.error();
    return sdk::make_error(sdk::ErrorKind::conflict, "not_offered",
                           "Alipay has no failed payment a merchant sees: a declined payment "
                           "leaves the trade WAIT_BUYER_PAY (pay or close it instead)");
  });
}

sdk::Result<sdk::CashierView> AlipaySimulator::do_inspect(const sdk::Charge& charge) {
  auto checked = check_charge(sim_, charge);
  if (!checked.ok()) return checked.error();
  const CheckedCharge& view = checked.value();
  const auto& order = view.signed_order;
  const auto& trade = view.trade;

  sdk::CashierView out;
  out.provider = "支付宝 Alipay";
  out.trade_status = trade ? trade->status : std::string(kWaitBuyerPay);
  const std::string subject = order ? order->subject : (trade ? trade->subject : charge.subject);
  const sdk::Fen amount = order ? order->amount : (trade ? trade->amount : charge.amount);
  out.details = {
      {"签名的商品 Signed subject", subject},
      {"签名的金额 Signed amount", "¥" + sdk::format_yuan(amount)},
      {"商户 app_id", sim_.options.alipay_app_id},
  };
  if (!trade) {
    out.details.emplace_back("交易 Trade",
                             "not yet recorded: the buyer has not reached the gateway");
  } else {
    out.details.emplace_back("支付宝交易号 trade_no", trade->trade_no);
    if (trade->paid()) out.details.emplace_back("买家 Buyer", trade->buyer_logon_id);
    if (trade->refunded > 0) {
      out.details.emplace_back("已退款 Refunded", "¥" + sdk::format_yuan(trade->refunded));
    }
    if (charge.channel == "alipay_qr") out.qr_text = trade->qr_code;
  }
  out.browser = charge.channel == "alipay_wap" || charge.channel == "alipay_pc_direct";
  if (!trade || trade->status == kWaitBuyerPay) {
    out.actions = {sdk::CashierAction::pay, sdk::CashierAction::close, sdk::CashierAction::expire};
  }
  return out;
}

sdk::Result<sdk::CashierResult> AlipaySimulator::pay(const sdk::Charge& charge) {
  auto checked = check_charge(sim_, charge);
  if (!checked.ok()) return checked.error();
  auto ensured = ensure_trade(sim_, checked.value());
  if (!ensured.ok()) return ensured.error();
  const Trade& trade = ensured.value();

  const auto paid = sim_.store.pay(trade.app_id, trade.out_trade_no, make_buyer_id(),
                                   buyer_logon_id(), sim_.host.clock().now());
  if (!paid.ok()) return storage_error(sim_, "paying the trade", paid.error());
  if (paid->change == TradeStore::Change::not_found) {
    return sdk::make_error(sdk::ErrorKind::internal, "trade_vanished",
                           "out_trade_no " + trade.out_trade_no + " vanished while paying");
  }
  if (paid->change == TradeStore::Change::wrong_status) {
    return sdk::make_error(
        sdk::ErrorKind::conflict, "not_payable",
        "out_trade_no " + trade.out_trade_no + " is " + paid->trade.status + " and cannot be paid");
  }
  const Trade& t = paid->trade;
  sdk::CashierResult out = result_of(t);
  out.repeated = paid->change == TradeStore::Change::replayed;

  // Paying a paid trade pays nothing twice but notifies again: the duplicate
  // notification a merchant must shrug off.
  if (t.notify_url.empty()) {
    out.notify_error = "the signed request carried no notify_url";
  } else {
    auto fields = alipay::notification_fields(notify_trade(sim_, t));
    if (!alipay::sign_notification(fields, sim_.platform_private_key)) {
      return sdk::make_error(sdk::ErrorKind::internal, "signing_failed",
                             "could not sign the notification");
    }
    const Delivery delivery = sim_.notifier.deliver(t.notify_url, sdk::form_encode(fields),
                                                    "out_trade_no " + t.out_trade_no);
    // As sdk::CashierResult says for every simulator: the merchant answered. Whether Alipay
    // counts that as received (200 "success") is in notify_status and notify_answer.
    out.notified = delivery.sent;
    out.notify_status = delivery.status;
    out.notify_answer = delivery.answer;
    out.notify_error = delivery.error;
  }
  out.return_url = return_link(sim_, t);
  return out;
}

sdk::Result<sdk::CashierResult> AlipaySimulator::close(const sdk::Charge& charge, bool timed_out) {
  auto checked = check_charge(sim_, charge);
  if (!checked.ok()) return checked.error();
  auto ensured = ensure_trade(sim_, checked.value());
  if (!ensured.ok()) return ensured.error();
  const Trade& trade = ensured.value();

  const auto closed = sim_.store.close(trade.app_id, alipay::TradeKey{trade.out_trade_no, {}},
                                       sim_.host.clock().now());
  if (!closed.ok()) return storage_error(sim_, "closing the trade", closed.error());
  if (closed->change == TradeStore::Change::not_found) {
    return sdk::make_error(sdk::ErrorKind::internal, "trade_vanished",
                           "out_trade_no " + trade.out_trade_no + " vanished while closing");
  }
  const Trade& t = closed->trade;
  if (closed->change == TradeStore::Change::wrong_status && t.status != kTradeClosed) {
    return sdk::make_error(sdk::ErrorKind::conflict, "not_closable",
                           "out_trade_no " + t.out_trade_no + " is " + t.status +
                               ": only a WAIT_BUYER_PAY trade can be closed");
  }
  sdk::CashierResult out = result_of(t);
  out.repeated = closed->change != TradeStore::Change::done;
  if (!timed_out) {
    // Like the gateway's alipay.trade.close, this sends nothing: the merchant learns of
    // it when it queries (or closes the charge itself).
    out.notify_error = "closing sends no notification; alipay.trade.query reports TRADE_CLOSED";
  } else if (out.repeated) {
    out.notify_error = "the trade was already closed; Alipay notifies a timeout once";
  } else {
    notify_timeout(t, out);
  }
  return out;
}

void AlipaySimulator::notify_timeout(const Trade& t, sdk::CashierResult& out) {
  // Alipay notifies TRADE_CLOSED when an unpaid trade times out (one of the statuses it
  // notifies by default), without the payment's fields and with the closing time.
  if (t.notify_url.empty()) {
    out.notify_error = "the signed request carried no notify_url";
    return;
  }
  auto fields = alipay::notification_fields(notify_trade(sim_, t));
  std::erase_if(fields, [](const auto& kv) {
    return kv.first == "fund_bill_list" || kv.first == "invoice_amount" ||
           kv.first == "receipt_amount" || kv.first == "buyer_pay_amount" ||
           kv.first == "point_amount" || kv.first == "gmt_payment";
  });
  fields.emplace_back("gmt_close", format_beijing(sim_.host.clock().now()));
  if (!alipay::sign_notification(fields, sim_.platform_private_key)) {
    out.notify_error = "could not sign the notification";
    return;
  }
  const Delivery delivery = sim_.notifier.deliver(t.notify_url, sdk::form_encode(fields),
                                                  "out_trade_no " + t.out_trade_no);
  out.notified = delivery.sent;
  out.notify_status = delivery.status;
  out.notify_answer = delivery.answer;
  out.notify_error = delivery.error;
}

}  // namespace payhost::sandbox_alipay
