#include "unionpay_simulator.hpp"

#include "beijing_time.hpp"
#include "consume.hpp"
#include "credential_check.hpp"
#include "notification.hpp"
#include "payhost/sdk/money.hpp"

namespace payhost::sandbox_unionpay {

struct UnionpaySimulator::Found {
  Trade trade;
  std::string return_url;
};

namespace {

sdk::Error conflict(std::string message) {
  return sdk::make_error(sdk::ErrorKind::conflict, "trade_state", std::move(message));
}

sdk::Error storage(UnionpaySim& sim, const sdk::Error& error) {
  sim.host.logger().error("sandbox_unionpay: storage failed: " + error.message);
  return sdk::make_error(sdk::ErrorKind::unavailable, "sandbox_storage",
                         "the simulated UnionPay could not read or write its trade");
}

sdk::Error vanished() {
  return sdk::make_error(sdk::ErrorKind::not_found, "34", "the trade vanished");
}

// The state as a query would report it.
std::string status_text(const Trade& trade) {
  if (trade.state == kPaid) return "paid (origRespCode 00)";
  if (trade.state == kUnpaid) return "unpaid (origRespCode 05)";
  if (trade.state == kFailed) return "failed (origRespCode 01)";
  return "closed (origRespCode 01)";
}

sdk::CashierResult result_of(const Trade& trade, const std::string& return_url) {
  sdk::CashierResult out;
  if (trade.paid()) out.trade_no = trade.query_id;
  out.out_trade_no = trade.order_id;
  out.trade_status = status_text(trade);
  out.return_url = return_url;
  return out;
}

template <class F>
auto no_throw(F&& f) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return sdk::make_error(sdk::ErrorKind::internal, "sandbox_unionpay_internal", e.what());
  } catch (...) {
    return sdk::make_error(sdk::ErrorKind::internal, "sandbox_unionpay_internal", "unknown error");
  }
}

}  // namespace

std::vector<std::string> UnionpaySimulator::channels() const {
  return {"applepay_upacp", "upacp", "upacp_wap", "upacp_pc"};
}

sdk::Result<UnionpaySimulator::Found> UnionpaySimulator::checked(const sdk::Charge& charge) {
  if (!is_unionpay_channel(charge.channel)) {
    return sdk::make_error(sdk::ErrorKind::invalid_request, "not_unionpay",
                           "channel " + charge.channel + " is not simulated by sandbox_unionpay");
  }
  Found found;
  const std::int64_t now = sim_.host.clock().now();
  if (is_app_channel(charge.channel)) {
    auto trade = sim_.store.find(sim_.options.mer_id, charge.order_no);
    if (!trade.ok()) return storage(sim_, trade.error());
    if (!trade->has_value()) {
      return sdk::make_error(sdk::ErrorKind::not_found, "34",
                             "UnionPay has no trade for order " + charge.order_no + " of merId " +
                                 sim_.options.mer_id + " (no tn was issued)");
    }
    if (auto s = check_app_credential(charge, **trade); !s.ok()) return s.error();
    found.trade = std::move(**trade);
  } else {
    auto form = check_form_credential(sim_, charge, now);
    if (!form.ok()) return form.error();
    auto trade = sim_.store.find(sim_.options.mer_id, charge.order_no);
    if (!trade.ok()) return storage(sim_, trade.error());
    if (!trade->has_value()) {
      // The browser never posted the form: UnionPay records it when the buyer arrives.
      auto recorded = record_consume(sim_, *form, Endpoint::front, now);
      if (!recorded.ok()) {
        if (recorded.error().kind == sdk::ErrorKind::unavailable) {
          return storage(sim_, recorded.error());
        }
        return sdk::make_error(sdk::ErrorKind::invalid_request, "bad_credential",
                               recorded.error().message, "credential");
      }
      found.trade = std::move(recorded.value());
    } else {
      found.trade = std::move(**trade);
    }
    if (found.trade.request_digest != form->digest) {
      return sdk::make_error(
          sdk::ErrorKind::invalid_request, "bad_credential",
          "the credential is not the form UnionPay recorded for order " + charge.order_no,
          "credential");
    }
    found.return_url = form->front_url;
  }
  if (found.trade.amount != charge.amount) {
    return sdk::make_error(sdk::ErrorKind::invalid_request, "bad_credential",
                           "the trade's txnAmt " + std::to_string(found.trade.amount) +
                               " differs from the charge's amount " + std::to_string(charge.amount),
                           "credential");
  }
  return found;
}

sdk::Result<sdk::CashierView> UnionpaySimulator::inspect(const sdk::Charge& charge) noexcept {
  return no_throw([&]() -> sdk::Result<sdk::CashierView> {
    auto found = checked(charge);
    if (!found.ok()) return found.error();
    const Trade& t = found->trade;
    sdk::CashierView view;
    view.provider = "UnionPay";
    view.trade_status = status_text(t);
    view.details = {{"merId", t.mer_id},
                    {"orderId", t.order_id},
                    {"txnTime", t.txn_time},
                    {"txnAmt", sdk::format_yuan(t.amount) + " 元"},
                    {"channelType", t.channel_type}};
    if (t.endpoint == "app") view.details.emplace_back("tn", t.tn);
    if (!t.pay_timeout.empty()) view.details.emplace_back("payTimeout", t.pay_timeout);
    if (t.paid()) view.details.emplace_back("queryId", t.query_id);
    view.browser = !is_app_channel(charge.channel);
    if (t.state == kUnpaid) {
      view.actions = {sdk::CashierAction::pay, sdk::CashierAction::fail, sdk::CashierAction::close,
                      sdk::CashierAction::expire};
    } else if (t.state == kFailed) {
      view.actions = {sdk::CashierAction::close};
    }
    return view;
  });
}

sdk::Result<sdk::CashierResult> UnionpaySimulator::act(const sdk::Charge& charge,
                                                       sdk::CashierAction action) noexcept {
  return no_throw([&]() -> sdk::Result<sdk::CashierResult> {
    auto found = checked(charge);
    if (!found.ok()) return found.error();
    if (action == sdk::CashierAction::pay) return pay(found.value());
    return fail_or_close(found.value(), action);
  });
}

sdk::Result<sdk::CashierResult> UnionpaySimulator::pay(const Found& found) {
  const Trade& before = found.trade;
  const std::int64_t now = sim_.host.clock().now();
  if (before.state == kUnpaid && before.expires_at > 0 && now >= before.expires_at) {
    // The order timed out: UnionPay's card page refuses it and the order is closed.
    auto closed = sim_.store.close(before.mer_id, before.order_id, now);
    if (!closed.ok()) return storage(sim_, closed.error());
    return conflict("the order timed out at payTimeout " + before.pay_timeout + " and is closed");
  }
  const std::string when = beijing_digits(now);
  auto changed =
      sim_.store.pay(before.mer_id, before.order_id, when.substr(4, 10), when.substr(4, 4), now);
  if (!changed.ok()) return storage(sim_, changed.error());
  using Change = TradeStore::Change;
  if (changed->change == Change::not_found) return vanished();
  if (changed->change == Change::wrong_state) {
    return conflict("the trade is " + changed->trade.state + " and cannot be paid");
  }
  const Trade& trade = changed->trade;
  sdk::CashierResult out = result_of(trade, found.return_url);
  out.repeated = changed->change == Change::repeated;

  const auto body = notification_body(sim_, trade, now);
  if (!body) {
    out.notify_error = "signing the back notification failed";
    return out;
  }
  const Delivery delivery =
      sim_.notifier.deliver(trade.back_url, *body, "orderId " + trade.order_id);
  out.notified = delivery.sent;
  out.notify_status = delivery.status;
  out.notify_answer = delivery.answer;
  out.notify_error = delivery.error;
  return out;
}

sdk::Result<sdk::CashierResult> UnionpaySimulator::fail_or_close(const Found& found,
                                                                 sdk::CashierAction action) {
  const Trade& before = found.trade;
  const std::int64_t now = sim_.host.clock().now();
  auto changed = action == sdk::CashierAction::fail
                     ? sim_.store.fail(before.mer_id, before.order_id, now)
                     : sim_.store.close(before.mer_id, before.order_id, now);
  if (!changed.ok()) return storage(sim_, changed.error());
  using Change = TradeStore::Change;
  if (changed->change == Change::not_found) return vanished();
  if (changed->change == Change::wrong_state) {
    const char* verb = action == sdk::CashierAction::fail     ? "failed"
                       : action == sdk::CashierAction::expire ? "expired"
                                                              : "closed";
    return conflict("the trade is " + changed->trade.state + " and cannot be " + verb);
  }
  sdk::CashierResult out = result_of(changed->trade, found.return_url);
  out.repeated = changed->change == Change::repeated;
  return out;
}

}  // namespace payhost::sandbox_unionpay
