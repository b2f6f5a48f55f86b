#include "config/config.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config_apps.hpp"
#include "config/yaml_access.hpp"
#include "http/ip_address.hpp"
#include "http/jwt.hpp"
#include "storage/postgres_url.hpp"

namespace payhost::host {

namespace fs = std::filesystem;
using sdk::ErrorKind;
using sdk::Result;
using sdk::Status;

Result<std::string> expand_env(const std::string& text) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto start = text.find("${", i);
    if (start == std::string::npos) {
      out.append(text, i, std::string::npos);
      break;
    }
    out.append(text, i, start - i);
    const auto end = text.find('}', start);
    if (end == std::string::npos) {
      return sdk::make_error(ErrorKind::invalid_request, "config", "unterminated ${ in value");
    }
    const std::string inner = text.substr(start + 2, end - start - 2);
    const auto dflt = inner.find(":-");
    const std::string name = inner.substr(0, dflt);
    const char* value = name.empty() ? nullptr : std::getenv(name.c_str());
    if (value && *value) {
      out += value;
    } else if (dflt != std::string::npos) {
      out += inner.substr(dflt + 2);
    } else {
      return sdk::make_error(ErrorKind::invalid_request, "config",
                             "environment variable " + name + " is not set");
    }
    i = end + 1;
  }
  return out;
}

Result<std::string> read_secret_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return sdk::make_error(ErrorKind::invalid_request, "config", "cannot read file " + path);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string content = ss.str();
  if (!content.empty() && content.back() == '\n') content.pop_back();
  if (!content.empty() && content.back() == '\r') content.pop_back();
  return content;
}

std::string default_plugin_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "lib/payhost/plugins";
  return (exe.parent_path().parent_path() / "lib" / "payhost" / "plugins").lexically_normal();
}

namespace {

std::string absolute(const std::string& p) {
  return fs::absolute(fs::path(p)).lexically_normal().string();
}

Status parse_listen(const YamlReader& r, const std::string& key, const std::string& text,
                    ServerConfig& server) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return r.error(key, "expected HOST:PORT, got \"" + text + "\"");
  }
  const std::string port = text.substr(colon + 1);
  if (port.empty() || port.size() > 5 ||
      port.find_first_not_of("0123456789") != std::string::npos || std::stoi(port) > 65535) {
    return r.error(key, "port must be 0..65535 (0 picks a free port), got \"" + port + "\"");
  }
  server.listen_host = text.substr(0, colon);
  server.listen_port = std::stoi(port);
  return {};
}

Status ip_ranges(const YamlReader& r, const std::string& key,
                 const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    if (!parse_ip_range(entry)) {
      return r.error(key, "\"" + entry +
                              "\" is not an IP address or CIDR range (203.0.113.7, 10.0.0.0/8, "
                              "2001:db8::1, fd00::/8; no bits set past the prefix)");
    }
  }
  return {};
}

Status read_server(const YamlReader& r, const YAML::Node& n, ServerConfig& s) {
  const std::string p = "server";
  if (auto st = r.check_keys(n, p,
                             {"listen", "public_url", "threads", "workers", "service_workers",
                              "queue_limit", "max_body_bytes", "max_header_bytes", "metrics_allow",
                              "metrics_token", "metrics_token_file", "trusted_proxies"});
      !st)
    return st;
  if (!n) return {};
  std::string listen;
  if (auto st = r.read(n, p, "listen", listen); !st) return st;
  if (!listen.empty()) {
    if (auto st = parse_listen(r, "server.listen", listen, s); !st) return st;
  }
  if (auto st = r.read(n, p, "public_url", s.public_url); !st) return st;
  if (auto st = r.read(n, p, "threads", s.threads, 1, 64); !st) return st;
  if (auto st = r.read(n, p, "workers", s.workers, 1, 1024); !st) return st;
  if (auto st = r.read(n, p, "service_workers", s.service_workers, 1, 256); !st) return st;
  if (auto st = r.read(n, p, "queue_limit", s.queue_limit, 1, 1'000'000); !st) return st;
  if (auto st = r.read(n, p, "max_body_bytes", s.max_body_bytes, 1024, 64 << 20); !st) return st;
  if (auto st = r.read(n, p, "max_header_bytes", s.max_header_bytes, 1024, 1 << 20); !st) return st;
  if (auto st = r.read(n, p, "metrics_allow", s.metrics_allow); !st) return st;
  if (auto st = ip_ranges(r, "server.metrics_allow", s.metrics_allow); !st) return st;
  if (auto st = r.read_secret(n, p, "metrics_token", s.metrics_token); !st) return st;
  if (auto st = r.read(n, p, "trusted_proxies", s.trusted_proxies); !st) return st;
  if (auto st = ip_ranges(r, "server.trusted_proxies", s.trusted_proxies); !st) return st;
  while (!s.public_url.empty() && s.public_url.back() == '/')
    s.public_url.pop_back();
  return {};
}

Status read_database(const YamlReader& r, const YAML::Node& n, DatabaseConfig& d) {
  const std::string p = "database";
  if (auto st = r.check_keys(n, p, {"url", "url_file", "pool_size", "busy_timeout_ms"}); !st)
    return st;
  if (!n) return {};
  if (auto st = r.read_secret(n, p, "url", d.url); !st) return st;
  if (auto st = r.read(n, p, "pool_size", d.pool_size, 1, 256); !st) return st;
  if (auto st = r.read(n, p, "busy_timeout_ms", d.busy_timeout_ms, 0, 600000); !st) return st;
  if (!d.url.empty() && d.url.rfind("sqlite://", 0) != 0 && d.url.rfind("postgresql://", 0) != 0 &&
      d.url.rfind("postgres://", 0) != 0) {
    return r.error("database.url", "expected sqlite://FILE or postgresql://...");
  }
  if (d.url.rfind("sqlite://", 0) != 0) {
    if (auto conninfo = postgres_conninfo(d.url); !conninfo) {
      return r.error("database.url", conninfo.error().message);
    }
  }
  return {};
}

Status read_auth(const YamlReader& r, const YAML::Node& n, AuthConfig& a) {
  const std::string p = "auth";
  if (auto st =
          r.check_keys(n, p,
                       {"jwt_secret", "jwt_secret_file", "jwt_public_key", "jwt_public_key_file",
                        "algorithms", "admin_users", "token_ttl_seconds"});
      !st)
    return st;
  if (!n) return {};
  if (auto st = r.read_secret(n, p, "jwt_secret", a.jwt_secret); !st) return st;
  if (auto st = r.read_secret(n, p, "jwt_public_key", a.jwt_public_key); !st) return st;
  if (auto st = r.read(n, p, "algorithms", a.algorithms); !st) return st;
  if (auto st = r.read(n, p, "admin_users", a.admin_users); !st) return st;
  if (auto st = r.read(n, p, "token_ttl_seconds", a.token_ttl_seconds, 60, 31'536'000); !st)
    return st;
  for (const auto& alg : a.algorithms) {
    if (alg != "HS256" && alg != "RS256") {
      return r.error("auth.algorithms",
                     "unsupported algorithm \"" + alg + "\" (allowed: HS256, RS256)");
    }
  }
  // An entry no token's sub can equal would leave its admin silently without rights.
  for (const auto& user : a.admin_users) {
    if (!is_user_id(user)) {
      return r.error(
          "auth.admin_users",
          "\"" + user + "\" is not a user id (1 to 64 letters, digits, '-', '_' or '.')");
    }
  }
  return {};
}

Status read_jobs(const YamlReader& r, const YAML::Node& n, JobsConfig& j) {
  const std::string p = "jobs";
  if (auto st = r.check_keys(n, p, {"janitor", "interval_seconds", "query_after_seconds", "batch"});
      !st)
    return st;
  if (!n) return {};
  if (auto st = r.read(n, p, "janitor", j.janitor); !st) return st;
  if (auto st = r.read(n, p, "interval_seconds", j.interval_seconds, 1, 86400); !st) return st;
  if (auto st = r.read(n, p, "query_after_seconds", j.query_after_seconds, 0, 86400); !st)
    return st;
  if (auto st = r.read(n, p, "batch", j.batch, 1, 10000); !st) return st;
  return {};
}

Status read_console(const YamlReader& r, const YAML::Node& n, ConsoleConfig& c) {
  const std::string p = "console";
  if (auto st =
          r.check_keys(n, p, {"enabled", "session_minutes", "utc_offset_minutes", "secure_cookie"});
      !st)
    return st;
  if (!n || n.IsNull()) return {};
  if (auto st = r.read(n, p, "enabled", c.enabled); !st) return st;
  if (auto st = r.read(n, p, "session_minutes", c.session_minutes, 5, 10080); !st) return st;
  if (auto st = r.read(n, p, "utc_offset_minutes", c.utc_offset_minutes, -720, 840); !st) return st;
  if (auto st = r.read(n, p, "secure_cookie", c.secure_cookie); !st) return st;
  if (c.secure_cookie != "auto" && c.secure_cookie != "true" && c.secure_cookie != "false") {
    return r.error("console.secure_cookie",
                   "expected one of auto, true, false, got \"" + c.secure_cookie + "\"");
  }
  return {};
}

Status read_plugins(const YamlReader& r, const YAML::Node& n, Config& c) {
  if (!n || n.IsNull()) return {};
  if (!n.IsMap()) return r.error("plugins", "expected a mapping of plugin name to settings");
  for (const auto& kv : n) {
    PluginConfig pc;
    pc.name = kv.first.as<std::string>();
    pc.key_path = "plugins." + pc.name;
    const YAML::Node body = kv.second;
    if (auto st = r.check_keys(body, pc.key_path, {"path", "channels", "options"}); !st) return st;
    std::string path;
    if (body && body.IsMap()) {
      if (auto st = r.read(body, pc.key_path, "path", path); !st) return st;
      if (body["channels"]) {
        pc.channels_given = true;
        if (auto st = r.read(body, pc.key_path, "channels", pc.channels); !st) return st;
      }
      // reset(), not operator=: assigning a missing (invalid) node throws in yaml-cpp.
      if (const YAML::Node options = body["options"]) pc.options.reset(options);
      if (pc.options && !pc.options.IsNull() && !pc.options.IsMap()) {
        return r.error(pc.key_path + ".options", "expected a mapping");
      }
    }
    pc.path = path.empty() ? (fs::path(c.plugin_dir) / (pc.name + ".so")).string() : absolute(path);
    c.plugins.push_back(std::move(pc));
  }
  return {};
}

}  // namespace

Result<Config> load_config(const std::string& path, const ConfigOverrides& overrides) {
  YamlReader r(path);
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    return sdk::make_error(ErrorKind::invalid_request, "config", path + ": cannot read file");
  } catch (const YAML::Exception& e) {
    return sdk::make_error(
        ErrorKind::invalid_request, "config",
        path + ": invalid YAML at line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) return r.error("(top level)", "expected a mapping");
  if (auto st = r.check_unique_keys(root); !st) return st.error();

  Config c;
  c.file = path;
  if (auto st = r.check_keys(
          root, "",
          {"livemode", "app_id", "data_dir", "plugin_dir", "log_level", "server", "database",
           "auth", "jobs", "apps", "webhooks", "api", "console", "plugins"});
      !st)
    return st.error();
  if (auto st = r.read(root, "", "livemode", c.livemode); !st) return st.error();
  if (auto st = r.read(root, "", "app_id", c.app_id); !st) return st.error();
  std::string data_dir = "data";
  if (auto st = r.read(root, "", "data_dir", data_dir); !st) return st.error();
  if (!overrides.data_dir.empty()) data_dir = overrides.data_dir;
  c.data_dir = absolute(data_dir);
  std::string plugin_dir;
  if (auto st = r.read(root, "", "plugin_dir", plugin_dir); !st) return st.error();
  c.plugin_dir = plugin_dir.empty() ? default_plugin_dir() : absolute(plugin_dir);
  if (auto st = r.read(root, "", "log_level", c.log_level); !st) return st.error();
  if (c.log_level != "debug" && c.log_level != "info" && c.log_level != "warn" &&
      c.log_level != "error") {
    return r.error("log_level", "expected one of debug, info, warn, error");
  }

  if (auto st = read_server(r, root["server"], c.server); !st) return st.error();
  if (!overrides.listen.empty()) {
    if (auto st = parse_listen(r, "--listen", overrides.listen, c.server); !st) return st.error();
  }
  if (auto st = read_database(r, root["database"], c.database); !st) return st.error();
  if (auto st = read_auth(r, root["auth"], c.auth); !st) return st.error();
  if (auto st = read_jobs(r, root["jobs"], c.jobs); !st) return st.error();
  if (auto st = read_console(r, root["console"], c.console); !st) return st.error();
  if (auto st = read_plugins(r, root["plugins"], c); !st) return st.error();

  if (c.app_id.empty()) c.app_id = "app_payhostlocal0001";
  if (!is_app_id(c.app_id)) {
    return r.error("app_id", "expected \"app_\" followed by 16 letters or digits");
  }
  if (auto st = read_apps(r, root["apps"], c); !st) return st.error();
  if (auto st = read_webhooks(r, root["webhooks"], c.webhooks); !st) return st.error();
  if (auto st = read_api(r, root["api"], c.api); !st) return st.error();
  if (c.database.url.empty()) c.database.url = "sqlite://payhost.db";
  if (c.livemode) {
    if (c.auth.jwt_secret.empty() && c.auth.jwt_public_key.empty()) {
      return r.error("auth.jwt_secret", "required in live mode (or auth.jwt_public_key for RS256)");
    }
    if (!c.auth.jwt_secret.empty() && c.auth.jwt_secret.size() < 32) {
      return r.error("auth.jwt_secret", "must be at least 32 bytes in live mode");
    }
  }
  for (const auto* s : {&c.auth.jwt_secret, &c.database.url, &c.server.metrics_token}) {
    if (!s->empty()) c.secrets.push_back(*s);
  }
  return c;
}

}  // namespace payhost::host
