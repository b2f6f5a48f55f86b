// Plain HTTP value types. No server library appears here: plugins see these only.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "payhost/sdk/json.hpp"

namespace payhost::sdk {

// Header list with case-insensitive lookup; keeps order and duplicates.
class Headers {
 public:
  void add(std::string name, std::string value);
  void set(std::string name, std::string value);  // replaces every header of that name
  std::optional<std::string> get(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& all() const { return items_; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Who is calling, as established by the host's authentication.
struct Principal {
  std::string user_id;  // the JWT "sub"
  bool admin = false;
};

struct HttpRequest {
  std::string method;                              // upper case: GET, POST, ...
  std::string path;                                // as received (not %-decoded), no query
  std::string raw_query;                           // exactly as received, without '?'
  std::map<std::string, std::string> query;        // decoded once
  std::map<std::string, std::string> path_params;  // "{name}" segments, as received
  Headers headers;
  std::string body;  // raw bytes
  std::string client_ip;
  std::string request_id;
  std::optional<Principal> principal;

  std::string query_param(std::string_view name, std::string fallback = {}) const;
  std::string path_param(std::string_view name) const;
  std::optional<std::string> header(std::string_view name) const { return headers.get(name); }
};

struct HttpResponse {
  int status = 200;
  Headers headers;
  std::string body;

  static HttpResponse json(int status, const Json& body);
  // JSON the caller already has as text (sdk::to_pingpp_json_text), sent as it is.
  static HttpResponse json_text(int status, std::string body);
  static HttpResponse text(int status, std::string body,
                           std::string content_type = "text/plain; charset=utf-8");
};

// A request the host sends for a plugin. The host owns TLS, timeouts, redaction and
// metrics; a plugin only builds the request and verifies the answer.
struct OutboundRequest {
  std::string method = "POST";
  std::string url;
  Headers headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};         // the whole exchange
  std::chrono::milliseconds connect_timeout{5000};  // TCP and TLS set-up, within timeout
};

struct OutboundResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// Form and query strings: "a=1&b=x%20y" <-> ordered pairs, decoding each value once.
// '+' decodes to a space (application/x-www-form-urlencoded).
std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body);
std::map<std::string, std::string> parse_form_map(std::string_view body);

}  // namespace payhost::sdk
