// The cashier's view of the simulated UnionPay (sdk::Simulator): it finds a charge's trade
// by orderId = charge.order_no, checks the credential as UnionPay would, and pays, fails or
// closes (or times out) the trade as the buyer's card would.
#pragma once

#include <string>
#include <vector>

#include "payhost/sdk/simulator.hpp"
#include "unionpay_sim.hpp"

namespace payhost::sandbox_unionpay {

class UnionpaySimulator final : public sdk::Simulator {
 public:
  explicit UnionpaySimulator(UnionpaySim& sim) : sim_(sim) {}

  std::vector<std::string> channels() const override;
  sdk::Result<sdk::CashierView> inspect(const sdk::Charge& charge) noexcept override;
  // pay: unpaid -> paid, then the back notification (first attempt before returning,
  // retries scheduled); paying a paid trade changes nothing but notifies again. An order
  // past its payTimeout is closed instead (conflict).
  // fail: unpaid -> failed, no notification (UnionPay notifies successes only).
  // close: unpaid/failed -> closed, as a timed-out order. Other states are conflicts.
  // expire: the same, since UnionPay's only end to an unpaid consume is its payTimeout; no
  // notification, and the query answers origRespCode 01 "the order timed out unpaid".
  sdk::Result<sdk::CashierResult> act(const sdk::Charge& charge,
                                      sdk::CashierAction action) noexcept override;

 private:
  struct Found;
  sdk::Result<Found> checked(const sdk::Charge& charge);
  sdk::Result<sdk::CashierResult> pay(const Found& found);
  sdk::Result<sdk::CashierResult> fail_or_close(const Found& found, sdk::CashierAction action);

  UnionpaySim& sim_;
};

}  // namespace payhost::sandbox_unionpay
