// The sandbox_unionpay product plugin: a simulated UnionPay ACP 5.1.0 gateway for test
// mode. It sells nothing; it creates the sandbox's certificates, serves UnionPay's gateway
// paths under /sandbox/unionpay for the unionpay channel plugin and offers the cashier an
// sdk::Simulator for applepay_upacp, upacp, upacp_wap and upacp_pc charges.
#pragma once

#include <memory>
#include <vector>

#include "payhost/sdk/product.hpp"
#include "unionpay_sim.hpp"
#include "unionpay_simulator.hpp"

namespace payhost::sandbox_unionpay {

class SandboxUnionpayPlugin final : public sdk::ProductPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override;
  std::vector<sdk::Route> routes() override;
  std::vector<sdk::Migration> migrations() const override;
  sdk::Simulator* simulator() noexcept override { return simulator_.get(); }

 protected:
  sdk::Status do_validate(const sdk::Options& options) const override;
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override;
  void do_stop() override;
  // The sandbox owns no charges, so settlement never concerns it.
  sdk::Status do_on_charge_succeeded(sdk::SettlementContext&) override { return {}; }

 private:
  std::unique_ptr<UnionpaySim> sim_;
  std::unique_ptr<UnionpaySimulator> simulator_;
};

}  // namespace payhost::sandbox_unionpay
