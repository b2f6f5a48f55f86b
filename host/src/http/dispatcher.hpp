// What happens to a request once it is routed: request id, authentication by the route's
// policy, Idempotency-Key handling, the handler, metrics.
#pragma once

#include <optional>
#include <string>

#include "http/idempotency.hpp"
#include "http/json_error.hpp"
#include "http/jwt.hpp"
#include "http/router.hpp"
#include "observability/metrics.hpp"
#include "payhost/sdk/host.hpp"

namespace payhost::host {

// The operator console's session cookie, which also authenticates admin routes
// (AuthPolicy::admin) that carry no bearer token (docs/console.md).
class CookieSessions {
 public:
  struct Found {
    std::string operator_name;
    std::string role;
    bool may_change = false;  // the role may change things (finance, admin)
    bool csrf_ok = false;     // X-CSRF-Token is the session's own
  };
  virtual ~CookieSessions() = default;
  // The request's live session, if its cookie names one.
  virtual std::optional<Found> find(const sdk::HttpRequest& request) noexcept = 0;
  // Records a change (any method but GET and HEAD) made or refused with the session.
  virtual void audit_change(const Found& session, const sdk::HttpRequest& request,
                            int status) noexcept = 0;
};

class Dispatcher {
 public:
  // `cookie_sessions` may be null (the console is disabled): bearer tokens only.
  Dispatcher(JwtVerifier& jwt, IdempotencyStore& idempotency, Metrics& metrics,
             const sdk::Clock& clock, CookieSessions* cookie_sessions = nullptr)
      : jwt_(jwt),
        idempotency_(idempotency),
        metrics_(metrics),
        clock_(clock),
        cookie_sessions_(cookie_sessions) {}

  sdk::HttpResponse handle(const RouteTarget& target, sdk::HttpRequest& request);

 private:
  sdk::HttpResponse authenticate(const RouteTarget& target, sdk::HttpRequest& request, bool& ok,
                                 std::optional<CookieSessions::Found>& cookie);
  sdk::HttpResponse run(const RouteTarget& target, sdk::HttpRequest& request);
  sdk::HttpResponse with_idempotency(const RouteTarget& target, const sdk::HttpRequest& request,
                                     const std::string& key);

  JwtVerifier& jwt_;
  IdempotencyStore& idempotency_;
  Metrics& metrics_;
  const sdk::Clock& clock_;
  CookieSessions* cookie_sessions_;
};

}  // namespace payhost::host
