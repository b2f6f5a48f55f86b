#include "console/console_routes.hpp"

#include <strings.h>

#include <functional>

#include "console/console_assets.hpp"
#include "console/console_json.hpp"
#include "console/operator_store.hpp"
#include "console/password_hash.hpp"
#include "observability/logging.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/json.hpp"
#include "text/printable_text.hpp"
#include "text/token_text.hpp"

namespace payhost::host::console {

using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Json;

namespace {

constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

bool is_change(const std::string& method) {
  return method != "GET" && method != "HEAD";
}

int rank(Role role) {
  switch (role) {
    case Role::viewer:
      return 0;
    case Role::finance:
      return 1;
    case Role::admin:
      return 2;
  }
  return 0;
}

// Every console answer: pages, assets and API.
HttpResponse with_page_headers(HttpResponse response) {
  response.headers.set("Content-Security-Policy", kContentSecurityPolicy);
  response.headers.set("Referrer-Policy", "no-referrer");
  response.headers.set("X-Content-Type-Options", "nosniff");
  return response;
}

HttpResponse with_api_headers(HttpResponse response) {
  response.headers.set("Cache-Control", "no-store");
  return with_page_headers(std::move(response));
}

std::string cookie_header(const std::string& value, std::int64_t max_age, bool secure) {
  return std::string(kSessionCookie) + "=" + value + "; Path=/; HttpOnly; SameSite=Strict" +
         (secure ? "; Secure" : "") + "; Max-Age=" + std::to_string(max_age);
}

std::string cookie_of(const HttpRequest& request) {
  for (const auto& [name, value] : request.headers.all()) {
    if (name.size() != 6 || strcasecmp(name.c_str(), "cookie") != 0) continue;
    if (std::string found = session_cookie(value); !found.empty()) return found;
  }
  return {};
}

bool csrf_matches(const HttpRequest& request, const Session& session) {
  const auto header = request.header("X-CSRF-Token");
  return header && sdk::crypto::constant_time_equals(*header, session.csrf_token);
}

Json session_json(const std::string& name, Role role, const std::string& csrf) {
  return Json{{"operator", Json{{"name", name}, {"role", to_string(role)}}}, {"csrf_token", csrf}};
}

using Handler = std::function<HttpResponse(const ConsoleCaller&, const HttpRequest&)>;

struct ApiRoute {
  std::string method;
  std::string path;
  Role min_role = Role::viewer;
  Handler handler;
  bool audited = true;  // false: the handler writes its own audit row
};

// Session -> CSRF (changes) -> role -> handler -> audit (changes).
HttpResponse guarded(ConsoleAuth& auth, const ApiRoute& route, const HttpRequest& request) {
  std::optional<Session> session;
  try {
    session = auth.session_of(request, nullptr);
  } catch (const std::exception& e) {
    host_log().warn(std::string("console: session lookup failed: ") + e.what());
    return console_error(503, "unavailable", "The database is not available; try again.");
  }
  if (!session) return console_error(401, "unauthenticated", "Sign in first.");
  ConsoleCaller caller;
  caller.operator_name = session->operator_name;
  caller.role = session->role;
  caller.client_ip = request.client_ip;
  const bool change = is_change(request.method);
  auto audit = [&](int status) {
    auth.audit(AuditEntry{{},
                          0,
                          caller.operator_name,
                          to_string(caller.role),
                          request.method + " " + request.path,
                          caller.audit_target,
                          status,
                          caller.client_ip,
                          caller.audit_detail});
  };
  if (change && !csrf_matches(request, *session)) {
    audit(403);
    return console_error(403, "csrf", "X-CSRF-Token is missing or not this session's.");
  }
  if (rank(session->role) < rank(route.min_role)) {
    if (change) audit(403);
    return console_error(403, "forbidden", "Your role may not do this.");
  }
  HttpResponse response;
  try {
    response = route.handler(caller, request);
  } catch (const std::exception& e) {
    host_log().error(std::string("console: ") + request.method + " " +
                     printable_line(request.path, 200) + " failed: " + e.what());
    response = console_error(500, "internal", "Something went wrong; see the host's log.");
  }
  if (change && route.audited) audit(response.status);
  return response;
}

sdk::Route host_route(std::string method, std::string path, sdk::RouteHandler handler) {
  sdk::Route r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.auth = sdk::AuthPolicy::none;
  r.handler = std::move(handler);
  return r;
}

HttpResponse signin(ConsoleAuth& auth, const HttpRequest& request) {
  const Json body = sdk::parse_json(request.body);
  if (!body.is_object() || !body.contains("name") || !body["name"].is_string() ||
      !body.contains("password") || !body["password"].is_string()) {
    return console_error(400, "invalid_request",
                         "Send {\"name\": \"…\", \"password\": \"…\"} as JSON.");
  }
  const std::string name = body["name"].get<std::string>();
  const std::string password = body["password"].get<std::string>();
  // Only a well-formed name is counted by name; any attempt counts for the address.
  const std::string counted_name = is_operator_name(name) ? name : std::string();
  const std::int64_t now = auth.clock().now();

  SigninAttempt attempt;
  std::optional<Operator> op;
  const sdk::Status admitted = auth.db().transact([&](soci::session& sql) -> sdk::Status {
    attempt = SigninLimiter().begin(sql, auth.db().dialect(), counted_name, request.client_ip, now);
    op.reset();
    if (attempt.retry_after == 0 && !counted_name.empty())
      op = OperatorStore().find(sql, counted_name);
    return {};
  });
  if (!admitted) {
    host_log().warn("console: sign-in check failed: " + admitted.error().message);
    return console_error(503, "unavailable", "The database is not available; try again.");
  }
  if (attempt.retry_after > 0) {
    HttpResponse r = console_error(429, "rate_limited", "Too many failed sign-ins; wait.");
    r.headers.set("Retry-After", std::to_string(attempt.retry_after));
    return r;
  }
  // The same scrypt work whether or not the name exists.
  const bool ok =
      op ? verify_password(password, op->password_hash) : verify_against_dummy(password);

  AuditEntry entry{{},
                   0,
                   name,
                   op ? to_string(op->role) : "",
                   ok ? "signin" : "signin_failed",
                   "",
                   ok ? 200 : 401,
                   request.client_ip,
                   ""};
  NewSession created;
  const sdk::Status written = auth.db().transact([&](soci::session& sql) -> sdk::Status {
    if (ok) {
      SigninLimiter().succeeded(sql, attempt);
      created =
          SessionStore().create(sql, op->name, request.client_ip, now, auth.session_seconds());
    }
    AuditLog().append(sql, entry);
    return {};
  });
  if (!written) {
    host_log().warn("console: sign-in write failed: " + written.error().message);
    return console_error(503, "unavailable", "The database is not available; try again.");
  }
  if (!ok) return console_error(401, "bad_credentials", "Wrong name or password.");
  host_log().info("console: " + op->name + " signed in from " + request.client_ip);
  HttpResponse r = HttpResponse::json(200, session_json(op->name, op->role, created.csrf_token));
  r.headers.set("Set-Cookie",
                cookie_header(created.cookie, auth.session_seconds(), auth.secure_cookie()));
  return r;
}

HttpResponse signout(ConsoleAuth& auth, const ConsoleCaller& caller, const HttpRequest& request) {
  const std::string cookie = cookie_of(request);
  const sdk::Status done = auth.db().transact([&](soci::session& sql) -> sdk::Status {
    SessionStore().remove(sql, cookie);
    AuditLog().append(sql, AuditEntry{{},
                                      0,
                                      caller.operator_name,
                                      to_string(caller.role),
                                      "signout",
                                      "",
                                      204,
                                      caller.client_ip,
                                      ""});
    return {};
  });
  if (!done) return console_error(503, "unavailable", "The database is not available; try again.");
  HttpResponse r;
  r.status = 204;
  r.headers.set("Set-Cookie", cookie_header("", 0, auth.secure_cookie()));
  return r;
}

HttpResponse session_route(ConsoleAuth& auth, const HttpRequest& request) {
  std::optional<Session> session;
  try {
    session = auth.session_of(request, nullptr);
  } catch (const std::exception&) {
    return console_error(503, "unavailable", "The database is not available; try again.");
  }
  if (!session) return console_error(401, "unauthenticated", "Sign in first.");
  return HttpResponse::json(
      200, session_json(session->operator_name, session->role, session->csrf_token));
}

HttpResponse audit_route(ConsoleAuth& auth, const HttpRequest& request) {
  const std::string before = request.query_param("before");
  if (before.size() > 64) return console_error(400, "invalid_request", "before: not an audit id");
  int limit = 50;
  if (const std::string text = request.query_param("limit"); !text.empty()) {
    if (text.size() > 3 || text.find_first_not_of("0123456789") != std::string::npos ||
        std::stoi(text) < 1 || std::stoi(text) > 100) {
      return console_error(400, "invalid_request", "limit: 1 to 100");
    }
    limit = std::stoi(text);
  }
  std::vector<AuditEntry> rows;
  const sdk::Status read = auth.db().with_session([&](soci::session& sql) -> sdk::Status {
    rows = AuditLog().list(sql, before, limit + 1);
    return {};
  });
  if (!read) return console_error(503, "unavailable", "The database is not available; try again.");
  const bool has_more = rows.size() > static_cast<std::size_t>(limit);
  if (has_more) rows.pop_back();
  Json data = Json::array();
  for (const auto& row : rows)
    data.push_back(to_json(row));
  return HttpResponse::json(
      200, Json{{"data", data},
                {"has_more", has_more},
                {"next_before", has_more && !rows.empty() ? Json(rows.back().id) : Json(nullptr)}});
}

bool is_asset_name(const std::string& name) {
  return name.find("..") == std::string::npos && is_token(name, 128, "._-");
}

HttpResponse asset_response(const std::string& name) {
  const bool vendored = name.rfind("vendor/", 0) == 0;
  const Asset* asset = is_asset_name(vendored ? name.substr(7) : name) ? find_asset(name) : nullptr;
  if (!asset) return with_api_headers(console_error(404, "not_found", "No such file."));
  HttpResponse r =
      HttpResponse::text(200, std::string(asset->bytes), std::string(asset->content_type));
  r.headers.set("Cache-Control", "no-cache");
  return with_page_headers(std::move(r));
}

}  // namespace

ConsoleAuth::ConsoleAuth(Db& db, const sdk::Clock& clock, const Config& config)
    : db_(db),
      clock_(clock),
      session_seconds_(static_cast<std::int64_t>(config.console.session_minutes) * 60),
      secure_cookie_(wants_secure_cookie(config)) {}

std::optional<Session> ConsoleAuth::session_of(const HttpRequest& request, std::string* cookie) {
  const std::string value = cookie_of(request);
  if (value.empty()) return std::nullopt;
  std::optional<Session> session;
  const sdk::Status read = db_.with_session([&](soci::session& sql) -> sdk::Status {
    session = SessionStore().find(sql, value, clock_.now());
    return {};
  });
  if (!read) throw std::runtime_error(read.error().message);
  if (session && cookie) *cookie = value;
  return session;
}

std::optional<CookieSessions::Found> ConsoleAuth::find(const HttpRequest& request) noexcept {
  try {
    const auto session = session_of(request, nullptr);
    if (!session) return std::nullopt;
    return Found{session->operator_name, to_string(session->role),
                 session->role == Role::finance || session->role == Role::admin,
                 csrf_matches(request, *session)};
  } catch (const std::exception& e) {
    host_log().warn(std::string("console: session lookup failed: ") + e.what());
    return std::nullopt;
  }
}

void ConsoleAuth::audit_change(const Found& session, const HttpRequest& request,
                               int status) noexcept {
  audit(AuditEntry{{},
                   0,
                   session.operator_name,
                   session.role,
                   request.method + " " + request.path,
                   "",
                   status,
                   request.client_ip,
                   ""});
}

void ConsoleAuth::audit(AuditEntry entry) noexcept {
  try {
    const sdk::Status st = db_.transact([&](soci::session& sql) -> sdk::Status {
      AuditLog().append(sql, entry);
      return {};
    });
    if (!st) host_log().error("console: audit row not written: " + st.error().message);
  } catch (const std::exception& e) {
    host_log().error(std::string("console: audit row not written: ") + e.what());
  }
}

bool wants_secure_cookie(const Config& config) {
  if (config.console.secure_cookie == "true") return true;
  if (config.console.secure_cookie == "false") return false;
  return config.server.public_url.rfind("https://", 0) == 0;
}

std::vector<sdk::Route> console_routes(ConsoleServices& services, ConsoleAuth& auth) {
  std::vector<sdk::Route> routes;
  // "/console" and "/console/" are one route to the router: the path tells them apart.
  routes.push_back(host_route("GET", "/console", [](const HttpRequest& r) {
    if (r.path != "/console/") {
      HttpResponse redirect;
      redirect.status = 301;
      redirect.headers.set("Location", "/console/");
      return with_page_headers(std::move(redirect));
    }
    return asset_response("index.html");
  }));
  routes.push_back(host_route("GET", "/console/assets/{name}", [](const HttpRequest& r) {
    return asset_response(r.path_param("name"));
  }));
  // Third-party libraries, copied as published (host/web/console/vendor/).
  routes.push_back(host_route("GET", "/console/assets/vendor/{name}", [](const HttpRequest& r) {
    return asset_response("vendor/" + r.path_param("name"));
  }));
  routes.push_back(host_route("POST", "/console/api/signin", [&auth](const HttpRequest& r) {
    return with_api_headers(signin(auth, r));
  }));
  routes.push_back(host_route("GET", "/console/api/session", [&auth](const HttpRequest& r) {
    return with_api_headers(session_route(auth, r));
  }));

  auto data = [&services](
                  HttpResponse (*f)(ConsoleServices&, const ConsoleCaller&, const HttpRequest&)) {
    return
        [&services, f](const ConsoleCaller& c, const HttpRequest& r) { return f(services, c, r); };
  };
  std::vector<ApiRoute> api = {
      {"POST", "/console/api/signout", Role::viewer,
       [&auth](const ConsoleCaller& c, const HttpRequest& r) { return signout(auth, c, r); },
       false},
      {"GET", "/console/api/audit", Role::viewer,
       [&auth](const ConsoleCaller&, const HttpRequest& r) { return audit_route(auth, r); }},
      {"GET", "/console/api/overview", Role::viewer, data(&overview)},
      {"GET", "/console/api/charges", Role::viewer, data(&search_charges)},
      {"GET", "/console/api/charges/{id}", Role::viewer, data(&charge_detail)},
      {"POST", "/console/api/charges/{id}/refunds", Role::finance, data(&refund_charge)},
      {"GET", "/console/api/plugins", Role::viewer, data(&plugins)},
  };
  for (auto& a : api) {
    std::string method = a.method, path = a.path;
    routes.push_back(host_route(method, path, [&auth, a = std::move(a)](const HttpRequest& r) {
      return with_api_headers(guarded(auth, a, r));
    }));
  }
  return routes;
}

std::vector<std::string> console_api_prefixes() {
  return {"/console/api"};
}

HttpResponse console_refusal(int status, const std::string& message) {
  std::string code = "invalid_request";
  if (status == 404) code = "not_found";
  if (status == 405) code = "method_not_allowed";
  if (status == 413) code = "too_large";
  if (status == 503) code = "unavailable";
  return with_api_headers(console_error(status, code, message));
}

}  // namespace payhost::host::console
