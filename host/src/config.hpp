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
  std::vector<PluginConfig> plugins;  // in file order
  std::vector<std::string> secrets;   // values to redact from logs
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
