// payhostd's configuration: the YAML file, validated, with secrets resolved.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "payhost/sdk/result.hpp"

namespace payhost::host {

struct ServerConfig {
  std::string listen_host = "0.0.0.0";
  int listen_port = 8080;
  std::string public_url;   // empty: http://127.0.0.1:<port>
  int threads = 2;          // HTTP reactor threads
  int workers = 16;         // API worker pool
  int service_workers = 4;  // pool for routes the host itself calls back into
  int queue_limit = 4096;   // queued requests per pool before 503
  std::int64_t max_body_bytes = 1 << 20;
  std::int64_t max_header_bytes = 32 * 1024;  // request line and headers
  // GET /metrics: clients at these addresses, or with this bearer token (a secret).
  std::vector<std::string> metrics_allow{"127.0.0.1", "::1"};
  std::string metrics_token;
  // Peers whose X-Forwarded-For names the client (http/client_address.hpp); none: the peer.
  std::vector<std::string> trusted_proxies;
};

struct DatabaseConfig {
  std::string url;  // sqlite://file.db (relative to data_dir) or postgresql://...
  int pool_size = 8;
  int busy_timeout_ms = 5000;
};

struct AuthConfig {
  std::string jwt_secret;      // HS256
  std::string jwt_public_key;  // RS256 (PEM), optional
  std::vector<std::string> algorithms{"HS256"};
  std::vector<std::string> admin_users;
  std::int64_t token_ttl_seconds = 86400;
};

struct JobsConfig {
  bool janitor = true;
  int interval_seconds = 30;
  int query_after_seconds = 60;  // first active query of a pending charge
  int batch = 100;
};

// Where the events of one app are POSTed (Ping++ webhooks).
struct WebhookEndpoint {
  std::string url;                  // absolute http(s) URL
  std::vector<std::string> events;  // event types sent there; empty: every type
  bool wants(const std::string& type) const;
};

// One app of the Ping++-compatible /v1 API. The host's app_id is always one of them.
struct AppConfig {
  std::string id;  // "app_" + 16 letters/digits
  std::vector<WebhookEndpoint> webhooks;
  // PEM public key of the merchant's request-signing pair (Pingplusplus-Signature);
  // empty: requests are not checked.
  std::string request_public_key;
  bool require_signature = false;  // refuse unsigned requests (needs request_public_key)
};

struct WebhooksConfig {
  // Delay before each retry after the first attempt (Ping++: 8 attempts within 25 h).
  std::vector<std::int64_t> retry_seconds{120, 600, 600, 3600, 7200, 21600, 54000};
  int timeout_ms = 10000;  // one delivery attempt
  int workers = 4;         // delivery threads
  int batch = 50;          // deliveries one thread claims at a time
  // A claimed delivery whose outcome is not recorded by then (its host died mid-send) is
  // sent again, by any host.
  int lease_seconds = 60;
  int poll_ms = 200;  // how often idle delivery threads look for due deliveries
};

struct ApiConfig {
  int signature_window_seconds = 300;  // Pingplusplus-Request-Timestamp tolerance
  // Requests per second per API key before 429 (token bucket, burst = 2 s worth); 0: off.
  int rate_limit_per_second = 0;
};

// The operator console (docs/console.md).
struct ConsoleConfig {
  bool enabled = true;                 // false: no /console routes at all
  int session_minutes = 480;           // a session's lifetime
  int utc_offset_minutes = 480;        // what "today" and "this week" mean on the overview
  std::string secure_cookie = "auto";  // auto (Secure when public_url is https) | true | false
};

struct PluginConfig {
  std::string name;
  std::string path;  // absolute
  std::vector<std::string> channels;
  bool channels_given = false;
  YAML::Node options;    // may be null
  std::string key_path;  // "plugins.<name>" for messages
};

struct Config {
  std::string file;  // as given, for messages
  bool livemode = false;
  std::string app_id;
  std::string data_dir;    // absolute
  std::string plugin_dir;  // absolute
  std::string log_level = "info";
  ServerConfig server;
  DatabaseConfig database;
  AuthConfig auth;
  JobsConfig jobs;
  std::vector<AppConfig> apps;  // app_id first, then the other apps in file order
  WebhooksConfig webhooks;
  ApiConfig api;
  ConsoleConfig console;
  std::vector<PluginConfig> plugins;  // in file order
  std::vector<std::string> secrets;   // values to redact from logs

  const AppConfig* app(const std::string& id) const;
};

struct ConfigOverrides {
  std::string listen;  // HOST:PORT
  std::string data_dir;
};

// Loads and validates `path`. Errors name the file, the key and what is allowed:
// "config/payhost.yaml: server.listn: unknown key (allowed: listen, public_url, ...)".
sdk::Result<Config> load_config(const std::string& path, const ConfigOverrides& overrides = {});

// Replaces ${VAR} and ${VAR:-default} in `text`; an unset variable without default is an
// error naming it.
sdk::Result<std::string> expand_env(const std::string& text);

// Reads a secret file, trimming one trailing newline.
sdk::Result<std::string> read_secret_file(const std::string& path);

// The directory of the running executable's plugins: <exe dir>/../lib/payhost/plugins.
std::string default_plugin_dir();

}  // namespace payhost::host
