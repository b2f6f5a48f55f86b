// The one path by which a charge's state changes after creation: notifications,
// retrieves and the janitor all come here, so settlement happens exactly once.
#pragma once

#include <functional>
#include <string>

#include "charges/core_context.hpp"
#include "payhost/sdk/channel.hpp"

namespace payhost::host {

enum class SettleResult {
  transitioned,  // this call changed the state (and ran the product hook)
  duplicate,     // already in that state: nothing to do, still a success for the caller
  no_change,     // pending/unknown outcome, or an unpaid outcome for a charge already final
};

// Which charge a settlement is about: retrieves and the janitor know its id, providers'
// notifications its order number.
struct ChargeKey {
  enum class Kind { id, order_no } kind = Kind::id;
  std::string value;
  static ChargeKey by_id(std::string id) { return {Kind::id, std::move(id)}; }
  static ChargeKey by_order_no(std::string no) { return {Kind::order_no, std::move(no)}; }
};

// A row for the charge's history (charge_history.hpp) that a settlement writes inside its
// transaction when that commits, whether or not it moved the charge: outcome `changed` if
// it did, else `unchanged`. A refusal or an error writes nothing.
struct HistoryNote {
  const char* kind = "";
  const char* changed = "";
  const char* unchanged = "";
  std::string detail;
  std::int64_t at_ms = 0;
};

class Settlement {
 public:
  explicit Settlement(CoreContext& ctx) : ctx_(ctx) {}

  // Checks a charge before anything changes; an error refuses the settlement.
  using Check = std::function<sdk::Status(const StoredCharge&)>;

  // In one transaction: read and lock the charge (not_found / "unknown_charge" if there is
  // none), run `check`, check the amount (when reported), make the conditional transition,
  // run the owning product's hook, write the event. A success naming a provider
  // transaction number another charge of the plugin already holds is refused
  // (invalid_request "transaction_reused"). An error (refusal or database trouble)
  // changes nothing. Pending and unknown outcomes change nothing either; with a
  // `check` the charge is still read and checked.
  //
  // A charge that belongs to no product (created through the /v1 API) only gets its event.
  // `reverse` marks a closed outcome as the merchant's cancellation (charge.reversed).
  // `note`, if given, is written to the charge's history by the transaction (pending and
  // unknown outcomes run none: the caller records those itself).
  sdk::Result<SettleResult> apply(const ChargeKey& key, const sdk::TradeStatus& status,
                                  const char* source, const Check& check = {}, bool reverse = false,
                                  const HistoryNote* note = nullptr);

 private:
  CoreContext& ctx_;
};

}  // namespace payhost::host
