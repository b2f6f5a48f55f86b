// payhostd assembled: config, plugins, database, charge core, HTTP. Each CLI command uses
// as many stages as it needs.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "api/pingpp_api.hpp"
#include "app/system_clock.hpp"
#include "charges/charge_service.hpp"
#include "charges/janitor.hpp"
#include "charges/notifications.hpp"
#include "charges/product_charge_service.hpp"
#include "charges/settlement.hpp"
#include "config/config.hpp"
#include "console/console_routes.hpp"
#include "http/dispatcher.hpp"
#include "http/http_client.hpp"
#include "http/http_server.hpp"
#include "http/idempotency.hpp"
#include "http/jwt.hpp"
#include "http/router.hpp"
#include "observability/metrics.hpp"
#include "plugins/host_services.hpp"
#include "plugins/plugin_registry.hpp"
#include "refunds/refund_service.hpp"
#include "storage/database.hpp"
#include "threads/worker_pool.hpp"
#include "webhooks/webhook_deliverer.hpp"

namespace payhost::host {

class App {
 public:
  explicit App(Config config);
  ~App();

  // Stage 1: load plugin libraries, check descriptors, validate every option block.
  sdk::Status load_plugins();
  // Stage 2: open the database and run the host's and products' migrations.
  sdk::Status open_database(std::vector<std::string>* applied = nullptr);
  // Stage 3: build the services and start every plugin (channels first).
  sdk::Status start_plugins();
  // Stage 4: routes, HTTP listener, janitor. Logs the port it listens on.
  sdk::Status serve();
  void shutdown();

  int port() const { return server_ ? server_->port() : 0; }
  const Config& config() const { return config_; }
  PluginRegistry& plugins() { return plugins_; }
  // After open_database:
  Db& db() { return *db_; }
  // After start_plugins:
  CoreContext& core() { return *core_; }
  refunds::RefundService& refunds() { return *refunds_; }
  webhooks::Deliverer& webhooks() { return *webhooks_; }
  // The JWT secret in use (generated in the data dir on first start in test mode).
  sdk::Result<std::string> jwt_secret();

 private:
  sdk::Status add_routes();
  std::string scrape_time_metrics();

  Config config_;
  SystemClock clock_;
  PluginRegistry plugins_;
  Metrics metrics_;
  std::unique_ptr<Db> db_;
  std::unique_ptr<CurlHttpClient> http_;
  std::unique_ptr<WorkerPool> api_pool_;
  std::unique_ptr<WorkerPool> service_pool_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<CoreContext> core_;
  std::unique_ptr<Settlement> settlement_;
  std::unique_ptr<ChargeServiceImpl> charges_;
  std::unique_ptr<NotificationHandler> notifications_;
  std::unique_ptr<refunds::RefundService> refunds_;
  std::unique_ptr<webhooks::Deliverer> webhooks_;
  std::unique_ptr<api::PingppApi> api_;
  std::unique_ptr<SharedServices> shared_;
  std::vector<std::unique_ptr<ProductChargeService>>
      plugin_charges_;  // before the hosts using them
  std::vector<std::unique_ptr<HostServices>> plugin_hosts_;
  std::unique_ptr<JwtVerifier> jwt_;
  std::unique_ptr<IdempotencyStore> idempotency_;
  std::unique_ptr<console::ConsoleAuth> console_auth_;  // null when the console is disabled
  std::unique_ptr<console::ConsoleServices> console_services_;
  std::unique_ptr<Dispatcher> dispatcher_;
  std::unique_ptr<Router> router_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<Janitor> janitor_;
  std::vector<PluginEntry*> started_;
};

}  // namespace payhost::host
