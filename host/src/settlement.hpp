// The one path by which a charge's state changes after creation: notifications,
// retrieves and the janitor all come here, so settlement happens exactly once.
#pragma once

#include <string>

#include "core_context.hpp"
#include "payhost/sdk/channel.hpp"

namespace payhost::host {

enum class SettleResult {
  transitioned,  // this call changed the state (and ran the product hook)
  duplicate,     // already in that state: nothing to do, still a success for the caller
  no_change,     // pending/unknown outcome, or an unpaid outcome for a charge already final
};

class Settlement {
 public:
  explicit Settlement(CoreContext& ctx) : ctx_(ctx) {}

  // In one transaction: lock the charge, check the amount (when reported), make the
  // conditional transition, run the owning product's hook, write the event. An error
  // (refusal or database trouble) changes nothing.
  sdk::Result<SettleResult> apply(const std::string& charge_id, const sdk::TradeStatus& status,
                                  const char* source);

 private:
  CoreContext& ctx_;
};

}  // namespace payhost::host
