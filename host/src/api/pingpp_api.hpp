// The Ping++-compatible server API under /v1: charges, refunds and events for the apps
// in the configuration, authenticated with their API keys.
#pragma once

#include <memory>
#include <vector>

#include "charges/charge_service.hpp"
#include "charges/core_context.hpp"
#include "http/idempotency.hpp"
#include "payhost/sdk/product.hpp"
#include "refunds/refund_service.hpp"

namespace payhost::host::api {

class PingppApi {
 public:
  PingppApi(CoreContext& ctx, ChargeServiceImpl& charges, Settlement& settlement,
            refunds::RefundService& refunds, IdempotencyStore& idempotency);
  ~PingppApi();

  // The routes, for the host's router (auth policy none: the API authenticates itself).
  std::vector<sdk::Route> routes();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace payhost::host::api
