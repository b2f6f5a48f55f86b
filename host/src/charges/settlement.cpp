#include "charges/settlement.hpp"

#include "charges/charge_history.hpp"
#include "observability/logging.hpp"

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

std::optional<StoredCharge> read(const ChargeStore& store, soci::session& sql, const ChargeKey& key,
                                 bool for_update) {
  return key.kind == ChargeKey::Kind::id ? store.by_id(sql, key.value, for_update)
                                         : store.by_order_no(sql, key.value, for_update);
}

sdk::Error transaction_reused(const std::string& transaction_no, const std::string& holder) {
  return sdk::make_error(ErrorKind::invalid_request, "transaction_reused",
                         "provider transaction " + transaction_no +
                             " already settled another charge (" + holder + ")");
}

// SQLite: "UNIQUE constraint failed: charges.plugin, charges.transaction_no";
// PostgreSQL: "duplicate key value violates unique constraint \"charges_transaction_no\"".
bool is_transaction_no_conflict(std::string_view what) {
  return what.find("charges_transaction_no") != std::string_view::npos ||
         what.find("charges.transaction_no") != std::string_view::npos;
}

sdk::Error unknown_charge(const ChargeKey& key) {
  return sdk::make_error(
      ErrorKind::not_found, "unknown_charge",
      (key.kind == ChargeKey::Kind::id ? "no charge " : "no charge has order_no ") + key.value);
}

}  // namespace

Result<SettleResult> Settlement::apply(const ChargeKey& key, const sdk::TradeStatus& status,
                                       const char* source, const Check& check, bool reverse,
                                       const HistoryNote* note) {
  if (status.outcome == Outcome::pending || status.outcome == Outcome::unknown) {
    if (!check) return SettleResult::no_change;
    Status st = ctx_.db.with_session([&](soci::session& sql) -> Status {
      auto stored = read(ctx_.store, sql, key, false);
      if (!stored) return unknown_charge(key);
      return check(*stored);
    });
    if (!st) return st.error();
    return SettleResult::no_change;
  }
  const std::int64_t now = ctx_.clock.now();
  SettleResult result = SettleResult::no_change;
  std::string transition;
  std::string charge_id = key.kind == ChargeKey::Kind::id ? key.value : "";

  auto settle = [&](soci::session& sql) -> Status {
    result = SettleResult::no_change;
    auto stored = read(ctx_.store, sql, key, /*for_update=*/true);
    if (!stored) return unknown_charge(key);
    if (check) {
      if (Status checked = check(*stored); !checked) return checked;
    }
    charge_id = stored->charge.id;
    const sdk::ChargeState before = stored->charge.state;
    if (status.amount >= 0 && status.amount != stored->charge.amount) {
      return sdk::make_error(ErrorKind::invalid_request, "amount_mismatch",
                             "provider reports " + std::to_string(status.amount) +
                                 " fen, the charge is " + std::to_string(stored->charge.amount));
    }
    const bool owned = !stored->charge.product.empty();
    sdk::ProductPlugin* product = owned ? ctx_.plugins.product(stored->charge.product) : nullptr;
    if (owned && !product) {
      // Keep the provider retrying (and the janitor asking) until the product is back.
      return sdk::make_error(ErrorKind::internal, "product_disabled",
                             "charge " + charge_id + " belongs to product " +
                                 stored->charge.product + ", which is not enabled");
    }

    sdk::Charge& charge = stored->charge;  // becomes the row as this transaction leaves it
    bool changed = false;
    std::string type;
    if (status.outcome == Outcome::succeeded) {
      if (before == ChargeState::succeeded) {
        result = SettleResult::duplicate;
        return {};
      }
      // One provider payment settles one charge: a notification or query naming a
      // transaction another charge already holds is refused, never retried.
      if (auto other = ctx_.store.other_charge_with_transaction(sql, stored->plugin,
                                                                status.transaction_no, charge_id)) {
        return transaction_reused(status.transaction_no, *other);
      }
      try {
        changed = ctx_.store.mark_succeeded(sql, charge, status, now);
      } catch (const std::exception& e) {
        // The unique index, when another host settled the other charge concurrently.
        if (!is_transaction_no_conflict(e.what())) throw;
        return transaction_reused(status.transaction_no, "settled concurrently");
      }
      type = "charge.succeeded";
    } else {
      const ChargeState target =
          status.outcome == Outcome::closed ? ChargeState::closed : ChargeState::failed;
      if (before == target) {
        result = SettleResult::duplicate;
        return {};
      }
      if (before != ChargeState::pending) return {};  // final already: nothing to undo
      changed = ctx_.store.mark_unpaid_final(
          sql, charge, target, status.failure_code.empty() ? "closed" : status.failure_code,
          status.failure_msg, now, reverse && target == ChargeState::closed);
      type = target == ChargeState::closed ? "charge.closed" : "charge.failed";
    }
    if (!changed) return {};

    if (product) {
      sdk::SettlementContext hook{sql, charge, before};
      Status hooked = status.outcome == Outcome::succeeded ? product->on_charge_succeeded(hook)
                                                           : product->on_charge_failed(hook);
      if (!hooked) return hooked;
    }
    ctx_.outbox.record(sql,
                       events::NewEvent{type, charge_id, charge_id, charge.app, charge.livemode,
                                        sdk::to_pingpp_json_text(charge)},
                       now);
    result = SettleResult::transitioned;
    transition = type + " (was " + sdk::to_string(before) + ")";
    return {};
  };
  Status st = ctx_.db.transact([&](soci::session& sql) -> Status {
    Status settled = settle(sql);
    if (settled && note) {
      const bool moved = result == SettleResult::transitioned;
      record_history(sql, HistoryEntry{charge_id, note->at_ms, note->kind,
                                       moved ? note->changed : note->unchanged, note->detail});
    }
    return settled;
  });
  if (!st) return st.error();
  if (result == SettleResult::transitioned) {
    host_log().info("charge " + charge_id + " " + transition + " via " + source);
  }
  return result;
}

}  // namespace payhost::host
