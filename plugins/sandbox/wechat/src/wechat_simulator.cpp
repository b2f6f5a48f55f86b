#include "wechat_simulator.hpp"

#include "credential_check.hpp"
#include "notification.hpp"
#include "payhost/sdk/money.hpp"
#include "random_ids.hpp"
#include "rfc3339.hpp"

namespace payhost::sandbox_wechat {

struct WechatSimulator::Found {
  Trade trade;
  std::string return_url;
};

namespace {

sdk::Error conflict(std::string message) {
  return sdk::make_error(sdk::ErrorKind::conflict, "trade_state", std::move(message));
}

sdk::Error storage(WechatSim& sim, const sdk::Error& error) {
  sim.host.logger().error("sandbox_wechat: storage failed: " + error.message);
  return sdk::make_error(sdk::ErrorKind::unavailable, "sandbox_storage",
                         "the simulated WeChat Pay could not read or write its trade");
}

sdk::CashierResult result_of(const Trade& trade, const std::string& return_url) {
  sdk::CashierResult out;
  if (trade.paid()) out.trade_no = trade.transaction_id;
  out.out_trade_no = trade.out_trade_no;
  out.trade_status = trade.trade_state;
  out.return_url = return_url;
  return out;
}

template <class F>
auto no_throw(F&& f) noexcept -> decltype(f()) {
  try {
    return f();
  } catch (const std::exception& e) {
    return sdk::make_error(sdk::ErrorKind::internal, "sandbox_wechat_internal", e.what());
  } catch (...) {
    return sdk::make_error(sdk::ErrorKind::internal, "sandbox_wechat_internal", "unknown error");
  }
}

}  // namespace

std::vector<std::string> WechatSimulator::channels() const {
  return {"wx", "wx_wap", "wx_pub", "wx_pub_qr", "wx_lite"};
}

sdk::Result<WechatSimulator::Found> WechatSimulator::checked(const sdk::Charge& charge) {
  if (trade_type_for_channel(charge.channel) == nullptr) {
    return sdk::make_error(sdk::ErrorKind::invalid_request, "not_wechat",
                           "channel " + charge.channel + " is not simulated by sandbox_wechat");
  }
  auto trade = sim_.store.find(sim_.options.mchid, TradeKey{charge.order_no, {}});
  if (!trade.ok()) return storage(sim_, trade.error());
  if (!trade->has_value()) {
    return sdk::make_error(sdk::ErrorKind::not_found, "ORDER_NOT_EXIST",
                           "WeChat Pay has no trade for order " + charge.order_no +
                               " of merchant " + sim_.options.mchid);
  }
  auto credential = check_credential(charge, **trade, sim_.merchant_public_key);
  if (!credential.ok()) return credential.error();
  return Found{std::move(**trade), std::move(credential->return_url)};
}

sdk::Result<sdk::CashierView> WechatSimulator::inspect(const sdk::Charge& charge) noexcept {
  return no_throw([&]() -> sdk::Result<sdk::CashierView> {
    auto found = checked(charge);
    if (!found.ok()) return found.error();
    const Trade& t = found->trade;
    sdk::CashierView view;
    view.provider = "WeChat Pay";
    view.trade_status = t.trade_state;
    view.details = {{"mchid", t.mchid},
                    {"appid", t.appid},
                    {"trade_type", t.trade_type},
                    {"out_trade_no", t.out_trade_no},
                    {"amount", sdk::format_yuan(t.amount) + " CNY"}};
    if (t.paid()) view.details.emplace_back("transaction_id", t.transaction_id);
    if (!t.time_expire.empty()) view.details.emplace_back("time_expire", t.time_expire);
    if (t.trade_type == kNative) view.qr_text = t.code_url;
    if (t.trade_type == kMweb) view.qr_text = t.h5_url;
    view.browser = t.trade_type == kMweb;
    if (t.trade_state == kNotPay) {
      view.actions = {sdk::CashierAction::pay, sdk::CashierAction::fail, sdk::CashierAction::close,
                      sdk::CashierAction::expire};
    }
    return view;
  });
}

sdk::Result<sdk::CashierResult> WechatSimulator::act(const sdk::Charge& charge,
                                                     sdk::CashierAction action) noexcept {
  return no_throw([&]() -> sdk::Result<sdk::CashierResult> {
    auto found = checked(charge);
    if (!found.ok()) return found.error();
    if (action == sdk::CashierAction::pay) return pay(found.value());
    return fail_or_close(found.value(), action);
  });
}

sdk::Result<sdk::CashierResult> WechatSimulator::pay(const Found& found) {
  const Trade& before = found.trade;
  const std::int64_t now = sim_.host.clock().now();
  // The WeChat client refuses an order past its time_expire.
  if (before.trade_state == kNotPay && before.expires_at > 0 && now >= before.expires_at) {
    return conflict("the trade expired at " + before.time_expire);
  }
  const std::string openid = before.payer_openid.empty() ? make_openid() : before.payer_openid;
  auto changed = sim_.store.pay(before.mchid, before.out_trade_no, openid, now);
  if (!changed.ok()) return storage(sim_, changed.error());
  using Change = TradeStore::Change;
  if (changed->change == Change::not_found) {
    return sdk::make_error(sdk::ErrorKind::not_found, "ORDER_NOT_EXIST", "the trade vanished");
  }
  if (changed->change == Change::wrong_state) {
    return conflict("the trade is " + changed->trade.trade_state + " and cannot be paid");
  }
  const Trade& trade = changed->trade;
  sdk::CashierResult out = result_of(trade, found.return_url);
  out.repeated = changed->change == Change::repeated;

  const auto body = notification_body(sdk::json_dump(transaction_json(trade)), sim_.apiv3_key, now);
  if (!body) {
    out.notify_error = "encrypting the notification failed";
    return out;
  }
  const Delivery delivery =
      sim_.notifier.deliver(trade.notify_url, *body, "out_trade_no " + trade.out_trade_no);
  out.notified = delivery.sent;
  out.notify_status = delivery.status;
  out.notify_answer = delivery.answer;
  out.notify_error = delivery.error;
  return out;
}

sdk::Result<sdk::CashierResult> WechatSimulator::fail_or_close(const Found& found,
                                                               sdk::CashierAction action) {
  const Trade& before = found.trade;
  const std::int64_t now = sim_.host.clock().now();
  auto changed = action == sdk::CashierAction::fail
                     ? sim_.store.fail(before.mchid, before.out_trade_no, now)
                     : sim_.store.close(before.mchid, before.out_trade_no, now);
  if (!changed.ok()) return storage(sim_, changed.error());
  using Change = TradeStore::Change;
  if (changed->change == Change::not_found) {
    return sdk::make_error(sdk::ErrorKind::not_found, "ORDER_NOT_EXIST", "the trade vanished");
  }
  if (changed->change == Change::wrong_state) {
    const char* verb = action == sdk::CashierAction::fail     ? "failed"
                       : action == sdk::CashierAction::expire ? "expired"
                                                              : "closed";
    return conflict("the trade is " + changed->trade.trade_state + " and cannot be " + verb);
  }
  sdk::CashierResult out = result_of(changed->trade, found.return_url);
  out.repeated = changed->change == Change::repeated;
  return out;
}

}  // namespace payhost::sandbox_wechat
