// What happens to a request once it is routed: request id, authentication by the route's
// policy, Idempotency-Key handling, the handler, metrics.
#pragma once

#include "http/idempotency.hpp"
#include "http/json_error.hpp"
#include "http/jwt.hpp"
#include "http/router.hpp"
#include "observability/metrics.hpp"
#include "payhost/sdk/host.hpp"

namespace payhost::host {

class Dispatcher {
 public:
  Dispatcher(JwtVerifier& jwt, IdempotencyStore& idempotency, Metrics& metrics,
             const sdk::Clock& clock)
      : jwt_(jwt), idempotency_(idempotency), metrics_(metrics), clock_(clock) {}

  sdk::HttpResponse handle(const RouteTarget& target, sdk::HttpRequest& request);

 private:
  sdk::HttpResponse authenticate(const RouteTarget& target, sdk::HttpRequest& request, bool& ok);
  sdk::HttpResponse with_idempotency(const RouteTarget& target, const sdk::HttpRequest& request,
                                     const std::string& key);

  JwtVerifier& jwt_;
  IdempotencyStore& idempotency_;
  Metrics& metrics_;
  const sdk::Clock& clock_;
};

}  // namespace payhost::host
