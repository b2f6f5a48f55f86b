#include "http/dispatcher.hpp"

#include "observability/logging.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"

namespace payhost::host {

using sdk::AuthPolicy;
using sdk::ErrorKind;
using sdk::HttpResponse;

namespace {

bool is_change(const std::string& method) {
  return method != "GET" && method != "HEAD";
}

}  // namespace

HttpResponse Dispatcher::authenticate(const RouteTarget& target, sdk::HttpRequest& request,
                                      bool& ok, std::optional<CookieSessions::Found>& cookie) {
  ok = true;
  const AuthPolicy policy = target.route.auth;
  if (policy == AuthPolicy::none) return {};
  const std::string token = bearer_token(request);
  sdk::Error failure =
      sdk::make_error(ErrorKind::unauthorized, "unauthenticated", "Unauthenticated.");
  if (!token.empty()) {
    auto principal = jwt_.verify(token, clock_.now());
    if (principal) {
      request.principal = *principal;
    } else {
      failure.message = "Unauthenticated.";
      host_log().debug("token refused: " + principal.error().message);
    }
  } else if (policy == AuthPolicy::admin && cookie_sessions_) {
    cookie = cookie_sessions_->find(request);
    if (cookie && is_change(request.method) && (!cookie->csrf_ok || !cookie->may_change)) {
      const bool csrf = !cookie->csrf_ok;
      cookie_sessions_->audit_change(*cookie, request, 403);
      ok = false;
      failure =
          csrf ? sdk::make_error(ErrorKind::forbidden, "csrf",
                                 "X-CSRF-Token is missing or not this session's.")
               : sdk::make_error(ErrorKind::forbidden, "forbidden", "This action is unauthorized.");
      if (target.product) return target.product->auth_failure(failure);
      return json_error(403, failure.message);
    }
    if (cookie) request.principal = sdk::Principal{"console:" + cookie->operator_name, true};
  }
  if (policy == AuthPolicy::optional) return {};
  if (!request.principal) {
    ok = false;
  } else if (policy == AuthPolicy::admin && !request.principal->admin) {
    ok = false;
    failure = sdk::make_error(ErrorKind::forbidden, "forbidden", "This action is unauthorized.");
  }
  if (ok) return {};
  if (target.product) return target.product->auth_failure(failure);
  return json_error(failure.kind == ErrorKind::forbidden ? 403 : 401, failure.message);
}

HttpResponse Dispatcher::with_idempotency(const RouteTarget& target,
                                          const sdk::HttpRequest& request, const std::string& key) {
  if (key.empty() || key.size() > 255) {
    return json_error(400, "Idempotency-Key must be 1 to 255 characters");
  }
  const std::string scope = (request.principal ? "user:" + request.principal->user_id : "anon") +
                            " " + target.route.method + " " + target.route.path;
  // Everything a handler may read its input from: handlers read fields from the query
  // as well as the body. The query cannot hold a newline, so the parts stay apart.
  const std::string hash = sdk::hex_lower(sdk::crypto::sha256(
      request.method + "\n" + request.path + "\n" + request.raw_query + "\n" + request.body));
  auto begun = idempotency_.begin(scope, key, hash, clock_.now());
  if (!begun) return json_error(503, "idempotency store unavailable, retry");
  switch (begun->decision) {
    case IdempotencyStore::Decision::mismatch:
      return json_error(422, "Idempotency-Key was already used with a different request");
    case IdempotencyStore::Decision::in_progress:
      return json_error(409, "a request with this Idempotency-Key is still in progress");
    case IdempotencyStore::Decision::replay: {
      HttpResponse replay;
      replay.status = begun->status;
      replay.body = begun->body;
      if (!begun->content_type.empty()) replay.headers.set("Content-Type", begun->content_type);
      replay.headers.set("Idempotent-Replayed", "true");
      return replay;
    }
    case IdempotencyStore::Decision::proceed:
      break;
  }
  HttpResponse response = target.route.handler(request);
  idempotency_.finish(scope, key, response.status,
                      response.headers.get("Content-Type").value_or(""), response.body);
  return response;
}

HttpResponse Dispatcher::run(const RouteTarget& target, sdk::HttpRequest& request) {
  if (target.route.idempotent) {
    if (auto key = request.header("Idempotency-Key")) {
      return with_idempotency(target, request, *key);
    }
  }
  return target.route.handler(request);
}

HttpResponse Dispatcher::handle(const RouteTarget& target, sdk::HttpRequest& request) {
  bool authenticated = false;
  std::optional<CookieSessions::Found> cookie;
  HttpResponse refusal = authenticate(target, request, authenticated, cookie);
  if (!authenticated) return refusal;
  if (!cookie || !is_change(request.method)) return run(target, request);
  HttpResponse response = run(target, request);
  cookie_sessions_->audit_change(*cookie, request, response.status);
  return response;
}

}  // namespace payhost::host
