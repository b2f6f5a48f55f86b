// The simulated Alipay as a product plugin for test mode. It sells nothing: it serves the
// gateway the alipay channel talks to when host.livemode() is false, and offers the
// cashier (another plugin) an sdk::Simulator for the Alipay channels.
#pragma once

#include <memory>
#include <vector>

#include "alipay_sim.hpp"
#include "alipay_simulator.hpp"
#include "payhost/sdk/product.hpp"

namespace payhost::sandbox_alipay {

class SandboxAlipayPlugin final : public sdk::ProductPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override;
  std::vector<sdk::Route> routes() override;
  std::vector<sdk::Migration> migrations() const override;
  sdk::Simulator* simulator() noexcept override { return simulator_.get(); }

 protected:
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override;
  void do_stop() override;
  // The simulator owns no charges, so settlement never concerns it.
  sdk::Status do_on_charge_succeeded(sdk::SettlementContext&) override { return {}; }

 private:
  std::unique_ptr<AlipaySim> alipay_;
  std::unique_ptr<AlipaySimulator> simulator_;
};

}  // namespace payhost::sandbox_alipay
