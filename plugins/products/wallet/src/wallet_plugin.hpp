// The wallet product plugin: the ThinkSNS+ wallet API on a ledger.
#pragma once

#include <memory>
#include <vector>

#include "context.hpp"
#include "payhost/sdk/product.hpp"

namespace payhost::wallet {

class WalletPlugin final : public sdk::ProductPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override;
  std::vector<sdk::Route> routes() override;
  std::vector<sdk::Migration> migrations() const override;
  std::vector<sdk::Command> commands() override;
  sdk::HttpResponse auth_failure(const sdk::Error& error) const override;

 protected:
  sdk::Status do_validate(const sdk::Options& options) const override;
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override;
  sdk::Status do_on_charge_succeeded(sdk::SettlementContext& context) override;
  sdk::Status do_on_charge_failed(sdk::SettlementContext& context) override;

 private:
  ContextSlot context_;
};

}  // namespace payhost::wallet
