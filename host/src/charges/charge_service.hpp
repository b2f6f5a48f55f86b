// Creating, reading and actively retrieving charges: the core behind each plugin's
// sdk::ChargeService (ProductChargeService) and the /v1 API.
#pragma once

#include "charges/core_context.hpp"
#include "charges/settlement.hpp"
#include "payhost/sdk/host.hpp"

namespace payhost::host {

// What a /v1 API request fixes that a product's request leaves to the host.
struct ApiChargeFields {
  std::string app;                          // the caller's app (a configured one)
  std::string order_no;                     // the merchant's, checked by the API
  std::optional<std::int64_t> time_expire;  // Unix seconds, checked by the API
};

class ChargeServiceImpl final {
 public:
  ChargeServiceImpl(CoreContext& ctx, Settlement& settlement)
      : ctx_(ctx), settlement_(settlement) {}

  // A charge owned by `product`, the name of the enabled plugin that asks (the host stamps
  // it: a plugin cannot create charges for another), so settlement reaches that plugin.
  sdk::Result<sdk::Charge> create_for_product(const std::string& product,
                                              const sdk::NewCharge& request) noexcept;
  sdk::Result<sdk::Charge> get(const std::string& charge_id) noexcept;
  sdk::Result<sdk::Charge> get_by_order_no(const std::string& order_no) noexcept;
  sdk::Result<sdk::Charge> retrieve(const std::string& charge_id) noexcept;
  std::vector<std::string> enabled_channels() const;

  // A charge of no product, for the /v1 API. The order number is the merchant's: one
  // already used (by any charge) is refused before the provider is asked, invalid_request
  // "order_no_used" (param order_no).
  sdk::Result<sdk::Charge> create_for_app(const sdk::NewCharge& request,
                                          const ApiChargeFields& fields) noexcept;

 private:
  // Exactly one of `product` (a product's charge) and `api` (the API's) is given.
  sdk::Result<sdk::Charge> create_charge(const sdk::NewCharge& request, const std::string* product,
                                         const ApiChargeFields* api) noexcept;
  sdk::Status validate(const sdk::NewCharge& request, const std::string* product,
                       const EnabledChannel*& channel) const;
  sdk::Result<sdk::Charge> load(const std::string& column_value, bool by_order) noexcept;

  CoreContext& ctx_;
  Settlement& settlement_;
};

// Number of Unicode code points in UTF-8 text (for Ping++'s subject/body limits).
std::size_t utf8_length(std::string_view text);

}  // namespace payhost::host
