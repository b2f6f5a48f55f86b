// The sandbox cashier as a product plugin (config name `sandbox`). It sells nothing and
// owns no tables; its routes find each charge's simulator through the host per request.
#pragma once

#include <atomic>
#include <vector>

#include "payhost/sdk/product.hpp"

namespace payhost::cashier {

class CashierPlugin final : public sdk::ProductPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override { return {}; }
  std::vector<sdk::Route> routes() override;

 protected:
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override;
  // The cashier owns no charges, so settlement never concerns it.
  sdk::Status do_on_charge_succeeded(sdk::SettlementContext&) override { return {}; }

 private:
  std::atomic<sdk::Host*> host_{nullptr};
};

}  // namespace payhost::cashier
