#include "http_server.hpp"

#include <pistache/endpoint.h>
#include <pistache/http.h>

#include <strings.h>
#include <chrono>
#include <sstream>

#include "ids.hpp"
#include "logging.hpp"
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

// Pistache 0.0.5 writes only typed headers to the wire (raw ones are dropped), so any
// header a handler sets travels as one of these.
class DynamicHeader final : public Http::Header::Header {
 public:
  DynamicHeader(std::string name, std::string value)
      : name_(std::move(name)), value_(std::move(value)) {}
  const char* name() const override { return name_.c_str(); }
  void parse(const std::string& data) override { value_ = data; }
  void write(std::ostream& os) const override { os << value_; }
  uint64_t hash() const override { return std::hash<std::string>{}(name_); }

 private:
  std::string name_;
  std::string value_;
};

HttpRequest to_sdk_request(const Http::Request& in) {
  HttpRequest out;
  out.method = Http::methodString(in.method());
  out.path = in.resource();
  std::string query = in.query().as_str();
  if (!query.empty() && query.front() == '?') query.erase(0, 1);
  out.raw_query = query;
  out.query = sdk::parse_form_map(query);
  thread_local std::ostringstream value;  // one stream per thread, not one per header
  for (const auto& header : in.headers().list()) {
    value.str({});
    if (auto accept = std::dynamic_pointer_cast<Http::Header::Accept>(header)) {
      // Pistache 0.0.5's Accept::write() writes nothing: rebuild it from the parsed ranges.
      const auto media = accept->media();
      for (std::size_t i = 0; i < media.size(); ++i)
        value << (i ? ", " : "") << media[i].toString();
    } else {
      header->write(value);
    }
    out.headers.add(header->name(), value.str());
  }
  for (const auto& [name, raw] : in.headers().rawList())
    out.headers.add(raw.name(), raw.value());
  // HTTP/1.0 is not persistent unless the client asks: make that default explicit, so the
  // answer closes the connection (see set_connection).
  if (in.version() == Http::Version::Http10 && !out.headers.get("Connection")) {
    out.headers.add("Connection", "close");
  }
  out.body = in.body();
  out.client_ip = in.address().host();
  auto id = out.headers.get("X-Request-Id");
  out.request_id = id && valid_request_id(*id) ? *id : new_request_id();
  return out;
}

// Pistache 0.0.5 closes HTTP/1.1 connections unless the request says keep-alive; HTTP/1.1
// is persistent by default, so answer keep-alive unless the client asked to close (or spoke
// HTTP/1.0 without asking for keep-alive).
void set_connection(const HttpRequest& request, Http::ResponseWriter& writer) {
  auto connection = request.headers.get("Connection");
  const bool close = connection && strcasecmp(connection->c_str(), "close") == 0;
  writer.headers().remove<Http::Header::Connection>();
  writer.headers().add<Http::Header::Connection>(close ? Http::ConnectionControl::Close
                                                       : Http::ConnectionControl::KeepAlive);
}

void send(Http::ResponseWriter& writer, const HttpRequest& request, const HttpResponse& response) {
  set_connection(request, writer);
  std::string content_type = "application/octet-stream";
  for (const auto& [name, value] : response.headers.all()) {
    if (strcasecmp(name.c_str(), "Content-Type") == 0) {
      content_type = value;
    } else if (strcasecmp(name.c_str(), "Content-Length") != 0 &&
               strcasecmp(name.c_str(), "Connection") != 0) {
      writer.headers().add(std::make_shared<DynamicHeader>(name, value));
    }
  }
  writer.headers().add(std::make_shared<DynamicHeader>("X-Request-Id", request.request_id));
  // Nearly every answer has the same content type: parse it once per thread.
  thread_local std::string parsed_type;
  thread_local Http::Mime::MediaType media;
  if (content_type != parsed_type) {
    media = Http::Mime::MediaType::fromString(content_type);
    parsed_type = content_type;
  }
  writer.send(static_cast<Http::Code>(response.status), response.body, media);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

// One routed request travelling from a reactor thread to a pool thread.
struct Job {
  Dispatcher* dispatcher;
  Metrics* metrics;
  const RouteTarget* target;
  std::chrono::steady_clock::time_point started;
  HttpRequest request;
  Http::ResponseWriter writer;

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
    send(writer, request, response);
    metrics->observe_request(target->route.path, response.status, seconds_since(started));
    if (response.status >= 500) {
      host_log().warn(request.method + " " + request.path + " -> " +
                      std::to_string(response.status));
    }
  }
};

class Handler final : public Http::Handler {
 public:
  HTTP_PROTOTYPE(Handler)

  Handler() = default;
  Handler(Router* router, Dispatcher* dispatcher, Metrics* metrics, WorkerPool* api,
          WorkerPool* service, Db* db)
      : router_(router),
        dispatcher_(dispatcher),
        metrics_(metrics),
        api_(api),
        service_(service),
        db_(db) {}

  void onRequest(const Http::Request& in, Http::ResponseWriter writer) override {
    const auto started = std::chrono::steady_clock::now();
    HttpRequest request = to_sdk_request(in);
    auto match = router_->match(request.method, request.path);
    if (!match.target) {
      const int status = match.path_known ? 405 : 404;
      send(writer, request,
           json_error(status, status == 404 ? "Not Found." : "Method Not Allowed."));
      metrics_->observe_request("(unmatched)", status, seconds_since(started));
      return;
    }
    request.path_params = std::move(match.params);
    using Placement = RouteTarget::Placement;
    const Placement placement = match.target->placement;
    if (placement == Placement::inline_always) {
      Job{dispatcher_, metrics_, match.target, started, std::move(request), std::move(writer)}
          .run();
      return;
    }
    if (placement == Placement::inline_with_connection) {
      // Only with a connection free right now: waiting for one would stall every
      // connection this reactor thread serves.
      if (Db::Reservation reserved = db_->try_reserve()) {
        Job{dispatcher_, metrics_, match.target, started, std::move(request), std::move(writer)}
            .run();
        return;
      }
    }
    auto job = std::make_shared<Job>(
        Job{dispatcher_, metrics_, match.target, started, std::move(request), std::move(writer)});
    WorkerPool* pool = match.target->route.service_pool ? service_ : api_;
    if (!pool->submit([job] { job->run(); })) job->reject();
  }

 private:
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
    auto options = Http::Endpoint::options()
                       .threads(config_.threads)
                       .flags(Pistache::Tcp::Options::ReuseAddr)
                       .maxRequestSize(static_cast<size_t>(config_.max_body_bytes))
                       .maxResponseSize(16 << 20);
    endpoint_->init(options);
    endpoint_->setHandler(std::make_shared<Handler>(&router_, &dispatcher_, &metrics_, &api_pool_,
                                                    &service_pool_, &db_));
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
