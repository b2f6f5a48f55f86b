#include "settlement.hpp"

#include "logging.hpp"

namespace payhost::host {

using sdk::ChargeState;
using sdk::ErrorKind;
using sdk::Json;
using sdk::Outcome;
using sdk::Result;
using sdk::Status;

sdk::TradeRef trade_ref(const sdk::Charge& c) {
  sdk::TradeRef ref;
  ref.channel = c.channel;
  ref.charge_id = c.id;
  ref.order_no = c.order_no;
  ref.amount = c.amount;
  ref.created = c.created;
  ref.time_expire = c.time_expire;
  ref.transaction_no = c.transaction_no.value_or("");
  return ref;
}

namespace {

std::string event_payload(const sdk::Charge& charge, const std::string& type, std::int64_t now) {
  Json event = {{"id", "evt_" + charge.id.substr(3)},
                {"object", "event"},
                {"created", now},
                {"livemode", charge.livemode},
                {"type", type},
                {"data", {{"object", sdk::to_pingpp_json(charge)}}},
                {"pending_webhooks", 0},
                {"request", nullptr}};
  return event.dump();
}

}  // namespace

Result<SettleResult> Settlement::apply(const std::string& charge_id, const sdk::TradeStatus& status,
                                       const char* source) {
  if (status.outcome == Outcome::pending || status.outcome == Outcome::unknown) {
    return SettleResult::no_change;
  }
  const std::int64_t now = ctx_.clock.now();
  SettleResult result = SettleResult::no_change;
  std::string transition;

  Status st = ctx_.db.transact([&](soci::session& sql) -> Status {
    result = SettleResult::no_change;
    auto stored = ctx_.store.by_id(sql, charge_id, /*for_update=*/true);
    if (!stored) {
      return sdk::make_error(ErrorKind::not_found, "unknown_charge", "no charge " + charge_id);
    }
    const sdk::Charge& before = stored->charge;
    if (status.amount >= 0 && status.amount != before.amount) {
      return sdk::make_error(ErrorKind::invalid_request, "amount_mismatch",
                             "provider reports " + std::to_string(status.amount) +
                                 " fen, the charge is " + std::to_string(before.amount));
    }
    sdk::ProductPlugin* product = ctx_.plugins.product(before.product);
    if (!product) {
      // Keep the provider retrying (and the janitor asking) until the product is back.
      return sdk::make_error(ErrorKind::internal, "product_disabled",
                             "charge " + charge_id + " belongs to product " + before.product +
                                 ", which is not enabled");
    }

    bool changed = false;
    std::string type;
    if (status.outcome == Outcome::succeeded) {
      if (before.state == ChargeState::succeeded) {
        result = SettleResult::duplicate;
        return {};
      }
      changed = ctx_.store.mark_succeeded(sql, charge_id, status, now);
      type = "charge.succeeded";
    } else {
      const ChargeState target =
          status.outcome == Outcome::closed ? ChargeState::closed : ChargeState::failed;
      if (before.state == target) {
        result = SettleResult::duplicate;
        return {};
      }
      if (before.state != ChargeState::pending) return {};  // final already: nothing to undo
      changed = ctx_.store.mark_unpaid_final(
          sql, charge_id, target, status.failure_code.empty() ? "closed" : status.failure_code,
          status.failure_msg, now);
      type = target == ChargeState::closed ? "charge.closed" : "charge.failed";
    }
    if (!changed) return {};

    auto after = ctx_.store.by_id(sql, charge_id);
    if (!after) return sdk::make_error(ErrorKind::internal, "vanished", "charge vanished");
    sdk::SettlementContext hook{sql, after->charge, before.state};
    Status hooked = status.outcome == Outcome::succeeded ? product->on_charge_succeeded(hook)
                                                         : product->on_charge_failed(hook);
    if (!hooked) return hooked;
    ctx_.store.insert_event(sql, type, charge_id, event_payload(after->charge, type, now), now);
    result = SettleResult::transitioned;
    transition = type + " (was " + sdk::to_string(before.state) + ")";
    return {};
  });
  if (!st) return st.error();
  if (result == SettleResult::transitioned) {
    host_log().info("charge " + charge_id + " " + transition + " via " + source);
  }
  return result;
}

}  // namespace payhost::host
