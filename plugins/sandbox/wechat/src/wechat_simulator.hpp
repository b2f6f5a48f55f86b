// The cashier's view of the simulated WeChat Pay (sdk::Simulator): it finds a charge's
// trade by out_trade_no = charge.order_no, checks the credential as WeChat would, and pays,
// fails, closes or times out the trade as the buyer's WeChat would.
#pragma once

#include <string>
#include <vector>

#include "payhost/sdk/simulator.hpp"
#include "wechat_sim.hpp"

namespace payhost::sandbox_wechat {

class WechatSimulator final : public sdk::Simulator {
 public:
  explicit WechatSimulator(WechatSim& sim) : sim_(sim) {}

  std::vector<std::string> channels() const override;
  sdk::Result<sdk::CashierView> inspect(const sdk::Charge& charge) noexcept override;
  // pay: NOTPAY -> SUCCESS, then the TRANSACTION.SUCCESS notification (first attempt before
  // returning, retries scheduled); paying a paid trade changes nothing but notifies again.
  // fail: NOTPAY -> PAYERROR, no notification (WeChat v3 notifies successes only).
  // close: NOTPAY/PAYERROR -> CLOSED. Other states are conflicts.
  // expire: as close, no notification (WeChat sends none when an order times out). The
  // trade reads CLOSED from then on, so the merchant's query learns that it ended.
  sdk::Result<sdk::CashierResult> act(const sdk::Charge& charge,
                                      sdk::CashierAction action) noexcept override;

 private:
  struct Found;
  sdk::Result<Found> checked(const sdk::Charge& charge);
  sdk::Result<sdk::CashierResult> pay(const Found& found);
  sdk::Result<sdk::CashierResult> fail_or_close(const Found& found, sdk::CashierAction action);

  WechatSim& sim_;
};

}  // namespace payhost::sandbox_wechat
