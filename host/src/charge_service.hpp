// Creating, reading and actively retrieving charges (the SDK's ChargeService).
#pragma once

#include "core_context.hpp"
#include "payhost/sdk/host.hpp"
#include "settlement.hpp"

namespace payhost::host {

class ChargeServiceImpl final : public sdk::ChargeService {
 public:
  ChargeServiceImpl(CoreContext& ctx, Settlement& settlement)
      : ctx_(ctx), settlement_(settlement) {}

  sdk::Result<sdk::Charge> create(const sdk::NewCharge& request) noexcept override;
  sdk::Result<sdk::Charge> get(const std::string& charge_id) noexcept override;
  sdk::Result<sdk::Charge> get_by_order_no(const std::string& order_no) noexcept override;
  sdk::Result<sdk::Charge> retrieve(const std::string& charge_id) noexcept override;
  std::vector<std::string> enabled_channels() const override;

 private:
  sdk::Status validate(const sdk::NewCharge& request, const EnabledChannel*& channel) const;
  sdk::Result<sdk::Charge> load(const std::string& column_value, bool by_order) noexcept;

  CoreContext& ctx_;
  Settlement& settlement_;
};

// Number of Unicode code points in UTF-8 text (for Ping++'s subject/body limits).
std::size_t utf8_length(std::string_view text);

}  // namespace payhost::host
