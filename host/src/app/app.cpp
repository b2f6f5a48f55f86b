#include "app/app.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "http/metrics_access.hpp"
#include "observability/logging.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "plugins/sandbox_key_registry.hpp"
#include "refunds/refund_metrics.hpp"
#include "storage/migrations.hpp"

namespace payhost::host {

namespace fs = std::filesystem;
using sdk::ErrorKind;
using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Json;
using sdk::Status;

App::App(Config config) : config_(std::move(config)) {
  // What payhostd writes in data_dir (database, its log and shared memory, keys, secrets,
  // plugins' files) holds personal data and key material: no access for group or others.
  ::umask(S_IRWXG | S_IRWXO);
  for (const auto& s : config_.secrets)
    redactor().add(s);
}

App::~App() {
  shutdown();
}

Status App::load_plugins() {
  return plugins_.load(config_);
}

Status App::open_database(std::vector<std::string>* applied) {
  std::error_code ec;
  fs::create_directories(config_.data_dir, ec);
  if (ec) {
    return sdk::make_error(
        ErrorKind::invalid_request, "data_dir",
        config_.file + ": data_dir: cannot create " + config_.data_dir + ": " + ec.message());
  }
  auto db = Db::open(config_.database, config_.data_dir);
  if (!db) return db.error();
  db_ = std::move(*db);
  std::vector<OwnedMigrations> all{{"host", host_migrations()}};
  for (PluginEntry* e : plugins_.entries()) {
    if (e->product) all.push_back({e->config->name, e->product->migrations()});
  }
  return run_migrations(*db_, all, applied);
}

sdk::Result<std::string> App::jwt_secret() {
  if (!config_.auth.jwt_secret.empty() || config_.livemode) return config_.auth.jwt_secret;
  const fs::path file = fs::path(config_.data_dir) / "jwt-secret";
  std::error_code ec;
  fs::create_directories(config_.data_dir, ec);
  if (!fs::exists(file)) {
    // Test mode convenience: a random secret kept with the data, used by `payhostd token`.
    const std::string fresh = sdk::hex_lower(sdk::crypto::random_bytes(32));
    const fs::path tmp = file.string() + ".tmp";
    {
      std::ofstream out(tmp);
      out << fresh << "\n";
    }
    fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, ec);
    if (::link(tmp.c_str(), file.c_str()) != 0 && !fs::exists(file)) {
      return sdk::make_error(ErrorKind::internal, "jwt_secret", "cannot write " + file.string());
    }
    fs::remove(tmp, ec);
  }
  auto secret = read_secret_file(file.string());
  if (!secret) return secret.error();
  config_.auth.jwt_secret = *secret;
  redactor().add(*secret);
  return *secret;
}

Status App::start_plugins() {
  http_ = std::make_unique<CurlHttpClient>(metrics_);
  // API handlers are where signatures are made: throughput threads (see WorkerPool).
  api_pool_ = std::make_unique<WorkerPool>("api", config_.server.workers,
                                           static_cast<std::size_t>(config_.server.queue_limit),
                                           WorkerPool::Scheduling::batch);
  service_pool_ =
      std::make_unique<WorkerPool>("service", config_.server.service_workers,
                                   static_cast<std::size_t>(config_.server.queue_limit));
  scheduler_ = std::make_unique<Scheduler>(*service_pool_);

  core_ = std::make_unique<CoreContext>(
      CoreContext{*db_, ChargeStore(db_->dialect()), plugins_, metrics_, clock_, config_,
                  [this](std::string_view plugin) { return shared_->notify_url(plugin); },
                  events::EventOutbox(config_)});
  settlement_ = std::make_unique<Settlement>(*core_);
  charges_ = std::make_unique<ChargeServiceImpl>(*core_, *settlement_);
  notifications_ = std::make_unique<NotificationHandler>(*core_, *settlement_);
  refunds_ = std::make_unique<refunds::RefundService>(*core_);
  webhooks_ = std::make_unique<webhooks::Deliverer>(*core_, *http_);
  if (auto st = webhooks_->prepare(); !st) return st;
  shared_ =
      std::make_unique<SharedServices>(config_, clock_, *http_, *db_, *scheduler_,
                                       (fs::path(config_.data_dir) / "sandbox-keys").string());
  shared_->plugins = &plugins_;
  shared_->set_public_url(config_.server.public_url.empty()
                              ? "http://127.0.0.1:" + std::to_string(config_.server.listen_port)
                              : config_.server.public_url);

  auto secret = jwt_secret();
  if (!secret) return secret.error();
  std::optional<sdk::crypto::PublicKey> rs256;
  if (!config_.auth.jwt_public_key.empty()) {
    auto key = sdk::crypto::PublicKey::parse(config_.auth.jwt_public_key);
    if (!key) {
      return sdk::make_error(ErrorKind::invalid_request, "config",
                             config_.file + ": auth.jwt_public_key: " + key.error().message);
    }
    rs256 = *key;
  }
  jwt_ = std::make_unique<JwtVerifier>(*secret, rs256, config_.auth.algorithms,
                                       config_.auth.admin_users);
  idempotency_ = std::make_unique<IdempotencyStore>(*db_);
  if (config_.console.enabled) {
    console_auth_ = std::make_unique<console::ConsoleAuth>(*db_, clock_, config_);
  }
  dispatcher_ =
      std::make_unique<Dispatcher>(*jwt_, *idempotency_, metrics_, clock_, console_auth_.get());
  api_ =
      std::make_unique<api::PingppApi>(*core_, *charges_, *settlement_, *refunds_, *idempotency_);

  if (config_.livemode) {
    // Before any plugin sees its options: no live key may be one the sandbox generated.
    const fs::path key_dir = fs::path(config_.data_dir) / "sandbox-keys";
    auto recorded = recorded_sandbox_keys(*db_, key_dir.string());
    if (!recorded) return recorded.error();
    for (PluginEntry* e : plugins_.entries()) {
      if (auto st = refuse_sandbox_keys(*recorded, e->options, e->option_files,
                                        config_.file + ": " + e->config->key_path + ".options");
          !st) {
        return st;
      }
    }
  }

  // Channels first: products may create charges as soon as they start.
  auto entries = plugins_.entries();
  std::stable_partition(entries.begin(), entries.end(),
                        [](PluginEntry* e) { return e->channel != nullptr; });
  for (PluginEntry* e : entries) {
    plugin_charges_.push_back(std::make_unique<ProductChargeService>(*charges_, e->config->name));
    plugin_hosts_.push_back(
        std::make_unique<HostServices>(e->config->name, *shared_, *plugin_charges_.back()));
    Status st = e->loaded->object().start(e->options, *plugin_hosts_.back());
    if (!st) {
      return sdk::make_error(ErrorKind::invalid_request, "plugin_start",
                             config_.file + ": " + e->config->key_path + ": plugin " +
                                 e->config->name + " failed to start: " + st.error().message);
    }
    started_.push_back(e);
  }
  plugins_.refresh_channel_specs();
  return {};
}

std::string App::scrape_time_metrics() {
  std::string out =
      "# HELP payhost_charges Charges by channel and state.\n# TYPE payhost_charges gauge\n";
  const auto writes = db_->write_stats();
  out +=
      "# HELP payhost_db_writes_total Write transactions asked for.\n"
      "# TYPE payhost_db_writes_total counter\npayhost_db_writes_total " +
      std::to_string(writes.writes) +
      "\n# HELP payhost_db_transactions_total Database transactions that carried them "
      "(SQLite commits concurrent writes together).\n"
      "# TYPE payhost_db_transactions_total counter\npayhost_db_transactions_total " +
      std::to_string(writes.transactions) + "\n";
  (void)db_->with_session([&](soci::session& sql) -> Status {
    for (const auto& row : core_->store.count_by_channel_state(sql)) {
      out += "payhost_charges{channel=\"" + prometheus_label(row.channel) + "\",state=\"" +
             row.state + "\"} " + std::to_string(row.count) + "\n";
    }
    out += refunds::scrape_metrics(sql, clock_.now());
    return {};
  });
  if (webhooks_) out += webhooks_->scrape_metrics();
  return out;
}

Status App::add_routes() {
  router_ = std::make_unique<Router>();
  using Placement = RouteTarget::Placement;
  auto host_route = [this](std::string method, std::string path, sdk::AuthPolicy auth,
                           sdk::RouteHandler handler, Placement placement = Placement::pool) {
    sdk::Route r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.auth = auth;
    r.handler = std::move(handler);
    return router_->add(RouteTarget{std::move(r), "host", nullptr, placement});
  };
  std::vector<Status> added;
  added.push_back(host_route(
      "GET", "/healthz", sdk::AuthPolicy::none,
      [](const HttpRequest&) {
        return HttpResponse::json(200, Json{{"status", "ok"}});
      },
      Placement::inline_always));
  added.push_back(host_route("GET", "/readyz", sdk::AuthPolicy::none, [this](const HttpRequest&) {
    const bool up = db_->ready();
    return HttpResponse::json(
        up ? 200 : 503, Json{{"status", up ? "ready" : "database unreachable or not writable"}});
  }));
  added.push_back(host_route(
      "GET", "/metrics", sdk::AuthPolicy::none,
      [this, access = MetricsAccess(config_.server.metrics_token, config_.server.metrics_allow)](
          const HttpRequest& r) {
        if (auto refusal = access.refusal(r)) return *refusal;
        return HttpResponse::text(200, metrics_.render(scrape_time_metrics()),
                                  "text/plain; version=0.0.4; charset=utf-8");
      }));
  added.push_back(host_route(
      "GET", "/v1/me", sdk::AuthPolicy::user,
      [](const HttpRequest& r) {
        return HttpResponse::json(
            200, Json{{"user_id", r.principal->user_id}, {"admin", r.principal->admin}});
      },
      Placement::inline_always));
  added.push_back(host_route(
      "POST", "/notify/{plugin}", sdk::AuthPolicy::none,
      [this](const HttpRequest& r) { return notifications_->handle(r.path_param("plugin"), r); }));
  for (auto& route : api_->routes()) {
    added.push_back(router_->add(RouteTarget{std::move(route), "host", nullptr, Placement::pool}));
  }
  router_->shape_refusals(api::PingppApi::path_prefixes(), &api::PingppApi::refusal);
  if (console_auth_) {
    console_services_ = std::make_unique<console::ConsoleServices>(
        console::ConsoleServices{*core_, *refunds_, config_.console.utc_offset_minutes});
    for (auto& route : console::console_routes(*console_services_, *console_auth_)) {
      added.push_back(
          router_->add(RouteTarget{std::move(route), "host", nullptr, Placement::pool}));
    }
    router_->shape_refusals(console::console_api_prefixes(), &console::console_refusal);
  }
  for (const auto& st : added) {
    if (!st) return st;
  }
  for (PluginEntry* e : plugins_.entries()) {
    if (!e->product) continue;
    for (auto& route : e->product->routes()) {
      // A network database makes every read a wait: quick routes go to the pool there.
      const bool inline_ok = route.quick && route.method == "GET" && !route.idempotent &&
                             db_->dialect() == sdk::Dialect::sqlite;
      const Placement placement = inline_ok ? Placement::inline_with_connection : Placement::pool;
      Status st =
          router_->add(RouteTarget{std::move(route), e->config->name, e->product, placement});
      if (!st) {
        return sdk::make_error(
            ErrorKind::invalid_request, "routes",
            config_.file + ": " + e->config->key_path + ": " + st.error().message);
      }
    }
  }
  return {};
}

Status App::serve() {
  if (auto st = add_routes(); !st) return st;
  server_ = std::make_unique<HttpServer>(config_.server, *router_, *dispatcher_, metrics_,
                                         *api_pool_, *service_pool_, *db_);
  if (auto st = server_->start(); !st) return st;
  if (config_.server.public_url.empty()) {
    const std::string host =
        config_.server.listen_host == "0.0.0.0" ? "127.0.0.1" : config_.server.listen_host;
    shared_->set_public_url("http://" + host + ":" + std::to_string(server_->port()));
  }
  if (config_.jobs.janitor) {
    janitor_ = std::make_unique<Janitor>(*core_, *settlement_, *refunds_);
    janitor_->start();
  }
  webhooks_->start();
  std::string channels;
  for (const auto& c : plugins_.channel_names())
    channels += (channels.empty() ? "" : ", ") + c;
  host_log().info(std::string("payhostd ") + (config_.livemode ? "LIVE" : "test") + " mode, " +
                  db_->description() + ", channels: " + (channels.empty() ? "none" : channels));
  host_log().info("listening on " + config_.server.listen_host + ":" +
                  std::to_string(server_->port()) + " (public url " + shared_->public_url() + ")");
  return {};
}

void App::shutdown() {
  if (janitor_) janitor_->stop();
  if (webhooks_) webhooks_->stop();
  if (server_) server_->stop();
  if (scheduler_) scheduler_->stop();
  if (api_pool_) api_pool_->stop();
  if (service_pool_) service_pool_->stop();
  for (auto it = started_.rbegin(); it != started_.rend(); ++it)
    (*it)->loaded->object().stop();
  started_.clear();
  // Routes hold plugin handlers: drop them before the plugin objects.
  server_.reset();
  router_.reset();
  janitor_.reset();
  // Statements plugins prepared (sdk::with_statement) are destroyed by plugin code.
  if (db_) db_->clear_statement_caches();
  plugins_.clear();
}

}  // namespace payhost::host
