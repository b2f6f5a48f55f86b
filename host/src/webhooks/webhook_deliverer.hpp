// Webhook delivery: sends the events outbox's pending deliveries, signed with the key every
// host shares (X-Pingplusplus-Signature), at least once, on Ping++'s retry schedule.
#pragma once

#include <memory>
#include <string>

#include "charges/core_context.hpp"
#include "http/http_client.hpp"

namespace payhost::host::webhooks {

class Deliverer {
 public:
  Deliverer(CoreContext& ctx, CurlHttpClient& http);
  ~Deliverer();
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  // Loads (or, the first time on this database, generates) the signing key, when some app
  // has an endpoint.
  sdk::Status prepare();
  void start();  // config.webhooks.workers threads; none when no app has an endpoint
  void stop();

  // Prometheus text for the scrape: attempts, failures, oldest pending delivery.
  std::string scrape_metrics();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace payhost::host::webhooks
