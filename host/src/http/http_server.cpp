#include "http/http_server.hpp"

#include <strings.h>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include <chrono>
#include <cstdint>
#include <string_view>

#include "charges/ids.hpp"
#include "http/http_connection.hpp"
#include "http/http_wire.hpp"
#include "observability/logging.hpp"
#include "payhost/sdk/http.hpp"

namespace payhost::host {

namespace Http = Pistache::Http;
using sdk::HttpRequest;
using sdk::HttpResponse;

namespace {

bool valid_request_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return id.find_first_not_of(
             "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") ==
         std::string::npos;
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// Pipelined requests past this many unanswered ones on a connection get 503: each one
// waiting holds its body.
constexpr std::uint64_t kMaxUnansweredPerConnection = 64;
constexpr const char* kConnectionData = "payhost.connection";
constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

// One routed request travelling from a reactor thread to a pool thread.
struct Job {
  Dispatcher* dispatcher;
  Metrics* metrics;
  const RouteTarget* target;
  std::chrono::steady_clock::time_point started;
  HttpRequest request;
  std::shared_ptr<ClientConnection> connection;
  std::uint64_t slot;
  bool keep_alive;

  void run() {
    RequestIdScope scope(request.request_id);
    HttpResponse response;
    try {
      response = dispatcher->handle(*target, request);
    } catch (const std::exception& e) {
      host_log().error(std::string("handler threw: ") + e.what());
      response = json_error(500, "internal error");
    }
    finish(response);
  }

  // The pool is full: answer at once rather than queue without bound.
  void reject() { finish(json_error(503, "server busy, retry later")); }

  void finish(const HttpResponse& response) {
    // A handler may end the connection after its answer (`Connection: close`): the /v1
    // API does, for clients that cannot reuse a socket.
    const auto connection_header = response.headers.get("Connection");
    const bool keep =
        keep_alive && !(connection_header && strcasecmp(connection_header->c_str(), "close") == 0);
    connection->answer(
        slot, response_wire(response, request.request_id, keep, request.method == "HEAD"), !keep);
    metrics->observe_request(target->route.path, response.status, seconds_since(started));
    if (response.status >= 500) {
      host_log().warn(request.method + " " + request.path + " -> " +
                      std::to_string(response.status));
    }
  }
};

// Requests are framed here (http_framing.cpp), not by Pistache's parser, which reads a
// whole body before checking its size and drops pipelined requests; Pistache carries the
// bytes. Its parser object stays attached to each peer only because Pistache's idle-peer
// timer reads its clock.
class Handler final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(Handler)

  Handler() = default;
  Handler(RequestFramer::Limits limits, const ClientAddress* clients, Router* router,
          Dispatcher* dispatcher, Metrics* metrics, WorkerPool* api, WorkerPool* service, Db* db)
      : limits_(limits),
        clients_(clients),
        router_(router),
        dispatcher_(dispatcher),
        metrics_(metrics),
        api_(api),
        service_(service),
        db_(db) {}

  void onConnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override {
    peer->putData(ParserData, std::make_shared<Http::RequestParser>(Pistache::Const::MaxBuffer));
    peer->putData(kConnectionData, std::make_shared<ClientConnection>(peer, limits_));
  }

  void onDisconnection(const std::shared_ptr<Pistache::Tcp::Peer>& peer) override {
    if (auto connection = connection_of(peer)) connection->disconnected();
  }

  void onInput(const char* data, size_t size,
               const std::shared_ptr<Pistache::Tcp::Peer>& peer) override {
    auto connection = connection_of(peer);
    if (!connection) return;
    if (connection->framing_stopped()) {
      connection->read_past(size);
      return;
    }
    if (peer->isIdle()) {
      // A request is coming: Pistache's timer now gives it the header/body timeout.
      peer->setIdle(false);
      getParser(peer)->reset();
    }
    RequestFramer& framer = connection->framer();
    framer.append(data, size);
    for (;;) {
      HttpRequest request;
      bool keep_alive = false;
      const auto framed = framer.next(request, keep_alive);
      if (framed == RequestFramer::Result::incomplete) {
        if (framer.take_continue()) connection->send_interim(std::string(kContinue));
        return;
      }
      const auto started = std::chrono::steady_clock::now();
      if (framed == RequestFramer::Result::refused) {
        refuse(*connection, framer.refusal(), started);
        return;
      }
      request.client_ip = clients_->of(connection->client_ip(), request.headers);
      auto id = request.headers.get("X-Request-Id");
      request.request_id = id && valid_request_id(*id) ? *id : new_request_id();
      const std::uint64_t slot = connection->open_slot();
      if (!keep_alive) connection->stop_framing();
      route(connection, slot, keep_alive, std::move(request), started);
      if (connection->framing_stopped()) return;
    }
  }

  void onRequest(const Http::Request&, Http::ResponseWriter) override {
    // Never called: onInput frames and routes requests itself.
  }

 private:
  static std::shared_ptr<ClientConnection> connection_of(
      const std::shared_ptr<Pistache::Tcp::Peer>& peer) {
    return std::static_pointer_cast<ClientConnection>(peer->tryGetData(kConnectionData));
  }

  // Bytes that cannot be framed: answer why and close, since nothing after them can be
  // framed either.
  void refuse(ClientConnection& connection, const RequestFramer::Refusal& refusal,
              std::chrono::steady_clock::time_point started) {
    const std::uint64_t slot = connection.open_slot();
    connection.stop_framing();
    const std::string request_id = new_request_id();
    host_log().debug("refused request from " + connection.client_ip() + " [req=" + request_id +
                     "]: " + refusal.message);
    connection.answer(slot,
                      response_wire(router_->refusal(refusal.status, refusal.message, refusal.path),
                                    request_id, false, false),
                      true);
    metrics_->observe_request("(refused)", refusal.status, seconds_since(started));
  }

  void route(const std::shared_ptr<ClientConnection>& connection, std::uint64_t slot,
             bool keep_alive, HttpRequest request, std::chrono::steady_clock::time_point started) {
    auto match = router_->match(request.method, request.path);
    if (!match.target) {
      const int status = match.path_known ? 405 : 404;
      connection->answer(
          slot,
          response_wire(
              router_->refusal(status, status == 404 ? "Not Found." : "Method Not Allowed.",
                               request.path),
              request.request_id, keep_alive, request.method == "HEAD"),
          !keep_alive);
      metrics_->observe_request("(unmatched)", status, seconds_since(started));
      return;
    }
    request.path_params = std::move(match.params);
    Job job{dispatcher_,        metrics_,   match.target, started,
            std::move(request), connection, slot,         keep_alive};
    if (connection->unanswered() > kMaxUnansweredPerConnection) {
      job.reject();
      return;
    }
    using Placement = RouteTarget::Placement;
    const Placement placement = match.target->placement;
    if (placement == Placement::inline_always) {
      job.run();
      return;
    }
    if (placement == Placement::inline_with_connection) {
      // Only with a connection free right now: waiting for one would stall every
      // connection this reactor thread serves.
      if (Db::Reservation reserved = db_->try_reserve()) {
        job.run();
        return;
      }
    }
    auto shared = std::make_shared<Job>(std::move(job));
    WorkerPool* pool = match.target->route.service_pool ? service_ : api_;
    if (!pool->submit([shared] { shared->run(); })) shared->reject();
  }

  RequestFramer::Limits limits_;
  const ClientAddress* clients_ = nullptr;
  Router* router_ = nullptr;
  Dispatcher* dispatcher_ = nullptr;
  Metrics* metrics_ = nullptr;
  WorkerPool* api_ = nullptr;
  WorkerPool* service_ = nullptr;
  Db* db_ = nullptr;
};

}  // namespace

HttpServer::HttpServer(const ServerConfig& config, Router& router, Dispatcher& dispatcher,
                       Metrics& metrics, WorkerPool& api_pool, WorkerPool& service_pool, Db& db)
    : config_(config),
      clients_(config.trusted_proxies),
      router_(router),
      dispatcher_(dispatcher),
      metrics_(metrics),
      api_pool_(api_pool),
      service_pool_(service_pool),
      db_(db) {}

HttpServer::~HttpServer() {
  stop();
}

sdk::Status HttpServer::start() {
  try {
    Pistache::Address address(config_.listen_host,
                              Pistache::Port(static_cast<uint16_t>(config_.listen_port)));
    endpoint_ = std::make_unique<Http::Endpoint>(address);
    auto options =
        Http::Endpoint::options().threads(config_.threads).flags(Pistache::Tcp::Options::ReuseAddr);
    endpoint_->init(options);
    const RequestFramer::Limits limits{static_cast<std::size_t>(config_.max_header_bytes),
                                       static_cast<std::size_t>(config_.max_body_bytes)};
    endpoint_->setHandler(std::make_shared<Handler>(limits, &clients_, &router_, &dispatcher_,
                                                    &metrics_, &api_pool_, &service_pool_, &db_));
    endpoint_->serveThreaded();
    port_ = static_cast<uint16_t>(endpoint_->getPort());
  } catch (const std::exception& e) {
    return sdk::make_error(sdk::ErrorKind::unavailable, "listen",
                           "cannot listen on " + config_.listen_host + ":" +
                               std::to_string(config_.listen_port) + ": " + e.what());
  }
  return {};
}

void HttpServer::stop() {
  if (endpoint_) {
    endpoint_->shutdown();
    endpoint_.reset();
  }
}

}  // namespace payhost::host
