#include "storage/postgres_url.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <optional>
#include <utility>
#include <vector>

namespace payhost::host {

namespace {

using sdk::ErrorKind;
using Param = std::pair<std::string, std::string>;

const char* const kForm =
    "expected postgresql://USER:PASSWORD@HOST:PORT/DATABASE?KEY=VALUE&... (or postgres://; "
    "percent-encode reserved characters)";

sdk::Error url_error(const std::string& what) {
  return sdk::make_error(ErrorKind::invalid_request, "database_url", what + "; " + kForm);
}

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> percent_decode(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out += in[i];
      continue;
    }
    if (i + 2 >= in.size()) return std::nullopt;
    const int hi = hex_digit(in[i + 1]);
    const int lo = hex_digit(in[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    const char decoded = static_cast<char>(hi * 16 + lo);
    if (decoded == '\0') return std::nullopt;
    out += decoded;
    i += 2;
  }
  return out;
}

bool valid_port(std::string_view port) {
  int value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

// "host", "host:port", "[v6]" or "[v6]:port"; the host may be percent-encoded (a socket
// directory: %2Fvar%2Frun%2Fpostgresql).
sdk::Status split_host(std::string_view spec, std::string& host, std::string& port) {
  std::string_view raw_host = spec;
  std::optional<std::string_view> raw_port;
  if (!spec.empty() && spec.front() == '[') {
    const auto close = spec.find(']');
    if (close == std::string_view::npos) return url_error("an IPv6 host lacks its ']'");
    raw_host = spec.substr(1, close - 1);
    const std::string_view rest = spec.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return url_error("unexpected text after an IPv6 host");
      raw_port = rest.substr(1);
    }
  } else if (const auto colon = spec.find(':'); colon != std::string_view::npos) {
    raw_host = spec.substr(0, colon);
    raw_port = spec.substr(colon + 1);
  }
  if (raw_port && !valid_port(*raw_port)) {
    return url_error("a port is not a number from 1 to 65535");
  }
  auto decoded = percent_decode(raw_host);
  if (!decoded) return url_error("invalid percent-encoding in a host");
  host = std::move(*decoded);
  port = raw_port ? std::string(*raw_port) : std::string();
  return {};
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts)
    out += (out.empty() ? "" : ",") + p;
  return out;
}

bool all_empty(const std::vector<std::string>& parts) {
  for (const auto& p : parts) {
    if (!p.empty()) return false;
  }
  return true;
}

sdk::Status parse_authority(std::string_view authority, std::vector<Param>& params) {
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    const auto colon = userinfo.find(':');
    auto user = percent_decode(userinfo.substr(0, colon));
    if (!user) return url_error("invalid percent-encoding in the user name");
    if (!user->empty()) params.emplace_back("user", std::move(*user));
    if (colon != std::string_view::npos) {
      auto password = percent_decode(userinfo.substr(colon + 1));
      if (!password) return url_error("invalid percent-encoding in the password");
      params.emplace_back("password", std::move(*password));
    }
  }
  std::vector<std::string> hosts;
  std::vector<std::string> ports;
  std::size_t start = 0;
  while (start <= authority.size()) {
    const auto comma = std::min(authority.find(',', start), authority.size());
    std::string host;
    std::string port;
    if (auto st = split_host(authority.substr(start, comma - start), host, port); !st) return st;
    hosts.push_back(std::move(host));
    ports.push_back(std::move(port));
    start = comma + 1;
  }
  if (!all_empty(hosts)) params.emplace_back("host", join(hosts));
  if (!all_empty(ports)) params.emplace_back("port", join(ports));
  return {};
}

sdk::Status parse_query(std::string_view query, std::vector<Param>& params) {
  std::size_t start = 0;
  while (start < query.size()) {
    const auto amp = std::min(query.find('&', start), query.size());
    const std::string_view pair = query.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return url_error("a query parameter is not KEY=VALUE");
    }
    auto key = percent_decode(pair.substr(0, eq));
    auto value = percent_decode(pair.substr(eq + 1));
    if (!key || !value) return url_error("invalid percent-encoding in a query parameter");
    // libpq's own URI reader maps this JDBC-style spelling too.
    if (*key == "ssl" && *value == "true") {
      params.emplace_back("sslmode", "require");
    } else {
      params.emplace_back(std::move(*key), std::move(*value));
    }
  }
  return {};
}

// libpq quoting ('...' with \ and ' escaped), wrapped in SOCI's "..." when it holds
// spaces: SOCI splits the string at spaces outside its own double quotes.
std::optional<std::string> quote_value(const std::string& value) {
  std::string quoted = "'";
  bool space = false;
  for (char c : value) {
    if (c == '\\' || c == '\'') quoted += '\\';
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') space = true;
    quoted += c;
  }
  quoted += '\'';
  if (!space) return quoted;
  if (value.find('"') != std::string::npos) return std::nullopt;
  return "\"" + quoted + "\"";
}

bool has_key(const std::vector<Param>& params, const std::string& key) {
  for (const auto& p : params) {
    if (p.first == key) return true;
  }
  return false;
}

// libpq's own check of the keywords (its message names the keyword, never a value).
sdk::Status check_keywords(const std::string& conninfo_for_libpq) {
  char* message = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo_for_libpq.c_str(), &message);
  if (options != nullptr) {
    PQconninfoFree(options);
    return {};
  }
  std::string text = message != nullptr ? message : "out of memory";
  PQfreemem(message);
  while (!text.empty() && (text.back() == '\n' || text.back() == ' '))
    text.pop_back();
  return url_error(text);
}

}  // namespace

sdk::Result<std::string> postgres_conninfo(const std::string& url) {
  std::string_view rest;
  for (const std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.rfind(scheme, 0) == 0) rest = std::string_view(url).substr(scheme.size());
  }
  if (rest.data() == nullptr) return url_error("not a PostgreSQL URL");
  for (char c : rest) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) {
      return url_error("spaces and control characters must be percent-encoded");
    }
  }
  std::vector<Param> params;
  const auto question = std::min(rest.find('?'), rest.size());
  const std::string_view before_query = rest.substr(0, question);
  const auto slash = std::min(before_query.find('/'), before_query.size());
  if (auto st = parse_authority(before_query.substr(0, slash), params); !st) return st.error();
  if (slash < before_query.size()) {
    auto dbname = percent_decode(before_query.substr(slash + 1));
    if (!dbname) return url_error("invalid percent-encoding in the database name");
    if (!dbname->empty()) params.emplace_back("dbname", std::move(*dbname));
  }
  if (question < rest.size()) {
    if (auto st = parse_query(rest.substr(question + 1), params); !st) return st.error();
  }
  const std::vector<Param> defaults = {{"application_name", "payhostd"},
                                       {"connect_timeout", "10"},
                                       {"keepalives_idle", "30"},
                                       {"keepalives_interval", "10"},
                                       {"keepalives_count", "3"}};
  for (const auto& d : defaults) {
    if (!has_key(params, d.first)) params.push_back(d);
  }
  std::string conninfo;
  std::string for_libpq;
  for (const auto& [key, value] : params) {
    auto quoted = quote_value(value);
    if (!quoted) {
      return url_error("the value of " + key + " holds both a space and a double quote");
    }
    const std::string sep = conninfo.empty() ? "" : " ";
    conninfo += sep + key + "=" + *quoted;
    for_libpq += sep + key + "=" +
                 (quoted->front() == '"' ? quoted->substr(1, quoted->size() - 2) : *quoted);
  }
  if (auto st = check_keywords(for_libpq); !st) return st.error();
  return conninfo;
}

}  // namespace payhost::host
