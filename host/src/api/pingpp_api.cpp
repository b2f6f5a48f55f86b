// The request pipeline of the /v1 API and its routes: authenticate the key, hold it to its
// rate, check the request signature when the app has a key for it, replay an
// Idempotency-Key's first answer, run the handler; every answer in Ping++'s shape.
#include "api/pingpp_api.hpp"

#include <map>

#include "api/api_auth.hpp"
#include "api/api_errors.hpp"
#include "api/api_routes.hpp"
#include "api/rate_limiter.hpp"
#include "api/request_signature.hpp"
#include "charges/public_error.hpp"
#include "observability/logging.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"

namespace payhost::host::api {

using sdk::HttpRequest;
using sdk::HttpResponse;

namespace {

constexpr std::size_t kMaxIdempotencyKeyBytes = 255;

using Handler = HttpResponse (*)(ApiServices&, const Caller&, const HttpRequest&);

// Unknown /v1 paths of up to this many segments answer Ping++'s 404 (deeper ones get the
// host's own 404, also JSON).
constexpr int kCatchAllDepth = 6;

}  // namespace

// Ping++'s Node SDK writes a request's body only when its socket connects, so with Node's
// keep-alive agent (Node 19 and later) its second request on a reused socket is never
// sent: its requests (User-Agent "Pingpp/v1 NodeBindings/<version>") are answered with
// `Connection: close`. Other clients keep their connections, since opening one per request
// costs more than most requests.
HttpResponse finish(HttpResponse response, const HttpRequest& request) {
  const auto agent = request.header("User-Agent");
  if (agent && agent->find("NodeBindings/") != std::string::npos) {
    response.headers.set("Connection", "close");
  }
  return response;
}

struct PingppApi::State {
  State(ApiServices s, IdempotencyStore& idem, int rate_per_second)
      : services(s), idempotency(idem), limiter(rate_per_second) {}

  ApiServices services;
  IdempotencyStore& idempotency;
  ApiKeyStore keys;
  RateLimiter limiter;
  std::map<std::string, sdk::crypto::PublicKey> request_keys;  // app -> merchant's key

  HttpResponse serve(const HttpRequest& r, const std::string& route, Effect effect,
                     Handler handler) {
    try {
      return finish(pipeline(r, route, effect, handler), r);
    } catch (const std::exception& e) {
      host_log().error(std::string("/v1 handler threw: ") + e.what());
      return finish(error_response(500, kInternalErrorMessage), r);
    }
  }

  HttpResponse pipeline(const HttpRequest& r, const std::string& route, Effect effect,
                        Handler handler) {
    CoreContext& ctx = services.ctx;
    auto caller = authenticate(r, ctx.db, keys, ctx.config);
    if (!caller) return error_response(caller.error());
    if (!limiter.allow(caller->key.id)) {
      return error_response(429,
                            "请求过于频繁: more than " +
                                std::to_string(ctx.config.api.rate_limit_per_second) +
                                " requests per second with this API key",
                            "too_many_requests");
    }
    if (auto refusal = check_signature(r, *caller)) return *refusal;
    if (effect == Effect::write) {
      if (auto key = r.header("Idempotency-Key")) {
        return with_idempotency(r, route, *caller, *key, handler);
      }
    }
    return handler(services, *caller, r);
  }

  std::optional<HttpResponse> check_signature(const HttpRequest& r, const Caller& caller) {
    const auto signature = r.header("Pingplusplus-Signature");
    auto key = request_keys.find(caller.key.app);
    if (key == request_keys.end()) return std::nullopt;  // the app signs nothing
    if (!signature) {
      if (!caller.app->require_signature) return std::nullopt;
      return error_response(401,
                            "this app requires signed requests: Pingplusplus-Signature is "
                            "missing",
                            "signature_missing");
    }
    SignedRequest signed_request;
    signed_request.body = r.body;
    signed_request.path = r.path;
    signed_request.raw_query = r.raw_query;
    const auto timestamp = r.header("Pingplusplus-Request-Timestamp");
    signed_request.timestamp = timestamp ? std::string_view(*timestamp) : std::string_view();
    signed_request.signature = *signature;
    auto st = verify_request_signature(key->second, signed_request, services.ctx.clock.now(),
                                       services.ctx.config.api.signature_window_seconds);
    if (!st) return error_response(st.error());
    return std::nullopt;
  }

  HttpResponse with_idempotency(const HttpRequest& r, const std::string& route,
                                const Caller& caller, const std::string& key, Handler handler) {
    if (key.empty() || key.size() > kMaxIdempotencyKeyBytes) {
      return error_response(400, "Idempotency-Key must be 1 to 255 characters",
                            "idempotency_key_invalid");
    }
    const std::string scope = "v1:" + caller.key.app + ":" +
                              (caller.key.livemode ? "live" : "test") + " " + r.method + " " +
                              route;
    // Everything the handler reads: path (its ids), query and body.
    const std::string hash = sdk::hex_lower(
        sdk::crypto::sha256(r.method + "\n" + r.path + "\n" + r.raw_query + "\n" + r.body));
    auto begun = idempotency.begin(scope, key, hash, services.ctx.clock.now());
    if (!begun) return error_response(begun.error(), Effect::write);
    switch (begun->decision) {
      case IdempotencyStore::Decision::mismatch:
        return error_response(400, "Idempotency-Key was already used with a different request",
                              "idempotency_key_reused");
      case IdempotencyStore::Decision::in_progress:
        return error_response(409, "a request with this Idempotency-Key is still in progress",
                              "idempotency_key_in_progress");
      case IdempotencyStore::Decision::replay: {
        HttpResponse replay;
        replay.status = begun->status;
        replay.body = begun->body;
        replay.headers.set("Content-Type",
                           begun->content_type.empty() ? "application/json" : begun->content_type);
        replay.headers.set("Idempotent-Replayed", "true");
        return replay;
      }
      case IdempotencyStore::Decision::proceed:
        break;
    }
    HttpResponse response = handler(services, caller, r);
    idempotency.finish(scope, key, response.status,
                       response.headers.get("Content-Type").value_or(""), response.body);
    return response;
  }
};

PingppApi::PingppApi(CoreContext& ctx, ChargeServiceImpl& charges, Settlement& settlement,
                     refunds::RefundService& refunds, IdempotencyStore& idempotency)
    : state_(std::make_unique<State>(ApiServices{ctx, charges, settlement, refunds}, idempotency,
                                     ctx.config.api.rate_limit_per_second)) {
  for (const auto& app : ctx.config.apps) {
    if (app.request_public_key.empty()) continue;
    auto key = sdk::crypto::PublicKey::parse(app.request_public_key);
    if (key) {
      state_->request_keys.emplace(app.id, std::move(*key));
    } else {
      // The config loader checks the key; an app whose key will not parse takes no requests
      // rather than unsigned ones.
      host_log().error("apps." + app.id + ".request_public_key: " + key.error().message);
    }
  }
}

PingppApi::~PingppApi() = default;

std::vector<sdk::Route> PingppApi::routes() {
  std::vector<sdk::Route> out;
  State* state = state_.get();
  auto add = [&](const char* method, const char* path, Effect effect, Handler handler) {
    sdk::Route route;
    route.method = method;
    route.path = path;
    route.auth = sdk::AuthPolicy::none;  // authenticated here, by API key
    const std::string route_path = path;
    route.handler = [state, route_path, effect, handler](const HttpRequest& r) {
      return state->serve(r, route_path, effect, handler);
    };
    out.push_back(std::move(route));
  };
  add("POST", "/v1/charges", Effect::write, &create_charge);
  add("GET", "/v1/charges", Effect::read, &list_charges);
  add("GET", "/v1/charges/{id}", Effect::read, &retrieve_charge);
  add("POST", "/v1/charges/{id}/reverse", Effect::write, &reverse_charge);
  add("POST", "/v1/charges/{id}/refunds", Effect::write, &create_refund);
  add("GET", "/v1/charges/{id}/refunds", Effect::read, &list_refunds);
  add("GET", "/v1/charges/{id}/refunds/{re_id}", Effect::read, &retrieve_refund);
  add("GET", "/v1/events/{id}", Effect::read, &retrieve_event);

  // Any other path under /v1, for every method: Ping++'s 404, so that SDKs read the error.
  for (const char* method : {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
    std::string path = "/v1";
    for (int depth = 1; depth <= kCatchAllDepth; ++depth) {
      path += "/{s" + std::to_string(depth) + "}";
      sdk::Route route;
      route.method = method;
      route.path = path;
      route.auth = sdk::AuthPolicy::none;
      route.handler = [](const HttpRequest& r) {
        return finish(error_response(404, "未找到请求的 URL: " + r.method + " " +
                                              r.path.substr(0, 256) + "。"),
                      r);
      };
      out.push_back(std::move(route));
    }
  }
  return out;
}

sdk::HttpResponse PingppApi::refusal(int status, const std::string& message) {
  return error_response(status, message);
}

}  // namespace payhost::host::api
