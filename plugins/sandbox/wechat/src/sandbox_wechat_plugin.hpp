// The sandbox_wechat product plugin: a simulated WeChat Pay API v3 for test mode. It
// sells nothing; it serves WeChat's endpoints under /sandbox/wechat for the wechat channel
// plugin and offers the cashier an sdk::Simulator for wx, wx_wap, wx_pub, wx_pub_qr and
// wx_lite charges.
#pragma once

#include <memory>
#include <vector>

#include "payhost/sdk/product.hpp"
#include "wechat_sim.hpp"
#include "wechat_simulator.hpp"

namespace payhost::sandbox_wechat {

class SandboxWechatPlugin final : public sdk::ProductPlugin {
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
  std::unique_ptr<WechatSim> sim_;
  std::unique_ptr<WechatSimulator> simulator_;
};

}  // namespace payhost::sandbox_wechat
