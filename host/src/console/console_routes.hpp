// The operator console's routes: its pages and assets, sign-in, sign-out, the session, the
// audit log, and the data routes of console_handlers.hpp behind one guard (session cookie,
// CSRF token on changes, role, audit). The same sessions authenticate products' admin
// routes through the dispatcher (CookieSessions).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "console/audit_log.hpp"
#include "console/console_handlers.hpp"
#include "console/session_store.hpp"
#include "console/signin_limiter.hpp"
#include "http/dispatcher.hpp"
#include "payhost/sdk/product.hpp"
#include "storage/database.hpp"

namespace payhost::host::console {

class ConsoleAuth final : public CookieSessions {
 public:
  ConsoleAuth(Db& db, const sdk::Clock& clock, const Config& config);

  std::optional<Found> find(const sdk::HttpRequest& request) noexcept override;
  void audit_change(const Found& session, const sdk::HttpRequest& request,
                    int status) noexcept override;

  Db& db() { return db_; }
  const sdk::Clock& clock() const { return clock_; }
  std::int64_t session_seconds() const { return session_seconds_; }
  bool secure_cookie() const { return secure_cookie_; }

  // The request's live session and its cookie; nullopt when there is none. Throws on a
  // database failure (the caller answers 503).
  std::optional<Session> session_of(const sdk::HttpRequest& request, std::string* cookie);
  // Writes one audit row; a failure is logged, never thrown.
  void audit(AuditEntry entry) noexcept;

 private:
  Db& db_;
  const sdk::Clock& clock_;
  std::int64_t session_seconds_;
  bool secure_cookie_;
};

// Whether the session cookie is marked Secure: secure_cookie true, or auto and public_url
// https.
bool wants_secure_cookie(const Config& config);

// Every console route, all AuthPolicy::none at the router (the guard authenticates).
std::vector<sdk::Route> console_routes(ConsoleServices& services, ConsoleAuth& auth);

// What the listener answers for refused or unknown paths under these prefixes, in the
// console's error envelope.
std::vector<std::string> console_api_prefixes();
sdk::HttpResponse console_refusal(int status, const std::string& message);

}  // namespace payhost::host::console
