// A simulator whose answers the cashier's tests script and whose calls they record.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "payhost/sdk/simulator.hpp"

namespace payhost::cashier::testing {

class ScriptedSimulator : public sdk::Simulator {
 public:
  std::vector<std::string> channels() const override { return served; }
  sdk::Result<sdk::CashierView> inspect(const sdk::Charge& charge) noexcept override {
    inspected.push_back(charge.id);
    return view;
  }
  sdk::Result<sdk::CashierResult> act(const sdk::Charge& charge,
                                      sdk::CashierAction action) noexcept override {
    acted.emplace_back(charge.id, action);
    if (on_act) on_act(charge, action);
    return result;
  }

  std::vector<std::string> served = {"fakepay"};
  sdk::Result<sdk::CashierView> view = sdk::CashierView{};
  sdk::Result<sdk::CashierResult> result = sdk::CashierResult{};
  std::vector<std::string> inspected;  // charge ids
  std::vector<std::pair<std::string, sdk::CashierAction>> acted;
  // What the provider's side effects do to payhost (a test settles the charge here).
  std::function<void(const sdk::Charge&, sdk::CashierAction)> on_act;
};

}  // namespace payhost::cashier::testing
