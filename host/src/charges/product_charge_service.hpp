// The sdk::ChargeService a plugin receives: the charge core, with every charge it creates
// stamped with the plugin's name as its product.
#pragma once

#include <string>
#include <utility>

#include "charges/charge_service.hpp"
#include "payhost/sdk/host.hpp"

namespace payhost::host {

class ProductChargeService final : public sdk::ChargeService {
 public:
  ProductChargeService(ChargeServiceImpl& core, std::string product)
      : core_(core), product_(std::move(product)) {}

  sdk::Result<sdk::Charge> create(const sdk::NewCharge& request) noexcept override {
    return core_.create_for_product(product_, request);
  }
  sdk::Result<sdk::Charge> get(const std::string& charge_id) noexcept override {
    return core_.get(charge_id);
  }
  sdk::Result<sdk::Charge> get_by_order_no(const std::string& order_no) noexcept override {
    return core_.get_by_order_no(order_no);
  }
  sdk::Result<sdk::Charge> retrieve(const std::string& charge_id) noexcept override {
    return core_.retrieve(charge_id);
  }
  std::vector<std::string> enabled_channels() const override { return core_.enabled_channels(); }

 private:
  ChargeServiceImpl& core_;
  const std::string product_;
};

}  // namespace payhost::host
