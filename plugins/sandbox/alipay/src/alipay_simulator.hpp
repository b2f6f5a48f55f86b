// The simulated Alipay as the provider-neutral cashier sees it (sdk::Simulator): inspect()
// checks a charge's credential as Alipay's app or cashier would; act() pays, closes or
// times out the trade. Alipay shows merchants no failed payment (a declined card leaves the trade
// WAIT_BUYER_PAY), so `fail` is never offered and is refused.
#pragma once

#include <string>
#include <vector>

#include "alipay_sim.hpp"
#include "payhost/sdk/simulator.hpp"

namespace payhost::sandbox_alipay {

class AlipaySimulator final : public sdk::Simulator {
 public:
  explicit AlipaySimulator(AlipaySim& sim) : sim_(sim) {}

  std::vector<std::string> channels() const override;
  sdk::Result<sdk::CashierView> inspect(const sdk::Charge& charge) noexcept override;
  sdk::Result<sdk::CashierResult> act(const sdk::Charge& charge,
                                      sdk::CashierAction action) noexcept override;

 private:
  sdk::Result<sdk::CashierView> do_inspect(const sdk::Charge& charge);
  sdk::Result<sdk::CashierResult> pay(const sdk::Charge& charge);
  // close: as alipay.trade.close, no notification; timed_out (expire): as Alipay's own
  // timeout, which notifies TRADE_CLOSED once.
  sdk::Result<sdk::CashierResult> close(const sdk::Charge& charge, bool timed_out);
  void notify_timeout(const Trade& t, sdk::CashierResult& out);

  AlipaySim& sim_;
};

}  // namespace payhost::sandbox_alipay
