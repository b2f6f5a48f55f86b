// The listener: a Pistache endpoint whose reactor threads frame requests (http_framing),
// route them and hand them to a worker pool; the pool thread answers through the client's
// connection, which writes answers in request order (http_connection). Routes placed
// inline (they never wait) are answered on the reactor thread itself.
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "config/config.hpp"
#include "http/client_address.hpp"
#include "http/dispatcher.hpp"
#include "http/router.hpp"
#include "observability/metrics.hpp"
#include "storage/database.hpp"
#include "threads/worker_pool.hpp"

namespace Pistache::Http {
class Endpoint;
}

namespace payhost::host {

class HttpServer {
 public:
  HttpServer(const ServerConfig& config, Router& router, Dispatcher& dispatcher, Metrics& metrics,
             WorkerPool& api_pool, WorkerPool& service_pool, Db& db);
  ~HttpServer();

  // Binds (port 0 picks a free port) and serves on background threads.
  sdk::Status start();
  int port() const { return port_; }
  void stop();

 private:
  const ServerConfig& config_;
  const ClientAddress clients_;
  Router& router_;
  Dispatcher& dispatcher_;
  Metrics& metrics_;
  WorkerPool& api_pool_;
  WorkerPool& service_pool_;
  Db& db_;
  std::unique_ptr<Pistache::Http::Endpoint> endpoint_;
  int port_ = 0;
};

}  // namespace payhost::host
