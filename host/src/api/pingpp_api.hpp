// The Ping++-compatible server API under /v1: charges, refunds and events for the apps
// in the configuration, authenticated with their API keys.
#pragma once

#include <memory>
#include <string>
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

  // The paths its routes live under, whose refusals before routing (413, 405) are answered
  // in Ping++'s envelope too: Router::shape_refusals(path_prefixes(), refusal).
  static std::vector<std::string> path_prefixes() { return {"/v1/charges", "/v1/events"}; }
  static sdk::HttpResponse refusal(int status, const std::string& message);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace payhost::host::api
