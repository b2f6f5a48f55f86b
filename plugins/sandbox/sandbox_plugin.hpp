// The sandbox product plugin: provider simulators for test mode. It sells nothing; it
// serves the simulated provider endpoints that channel plugins talk to when
// host.livemode() is false.
#pragma once

#include <memory>
#include <vector>

#include "alipay_sim.hpp"
#include "payhost/sdk/product.hpp"

namespace payhost::sandbox {

class SandboxPlugin final : public sdk::ProductPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override;
  std::vector<sdk::Route> routes() override;
  std::vector<sdk::Migration> migrations() const override;

 protected:
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override;
  void do_stop() override;
  // The sandbox owns no charges, so settlement never concerns it.
  sdk::Status do_on_charge_succeeded(sdk::SettlementContext&) override { return {}; }

 private:
  std::unique_ptr<AlipaySim> alipay_;
};

}  // namespace payhost::sandbox
