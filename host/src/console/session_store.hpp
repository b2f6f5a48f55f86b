// Console sessions (console_sessions). The cookie is 32 random bytes, base64url (43
// characters); only its SHA-256 is stored, so every host on the database knows the session
// and a copy of the table signs nobody in. Each session has its own CSRF token.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <soci/soci.h>

#include "console/console_caller.hpp"

namespace payhost::host::console {

inline constexpr std::string_view kSessionCookie = "payhost_console";

struct Session {
  std::string operator_name;
  Role role = Role::viewer;  // the operator's role now, not at sign-in
  std::string csrf_token;
  std::int64_t expires = 0;
};

struct NewSession {
  std::string cookie;  // the cookie's value: give it to the browser, never store it
  std::string csrf_token;
  std::int64_t expires = 0;
};

// The value of the session cookie in the request's Cookie headers; empty if absent or not
// of the form a cookie of ours has.
std::string session_cookie(const std::string& cookie_header);

class SessionStore {
 public:
  // Also deletes every expired session (of anyone).
  NewSession create(soci::session& sql, const std::string& operator_name,
                    const std::string& client_ip, std::int64_t now,
                    std::int64_t lifetime_seconds) const;
  // The session of `cookie` if it has not expired and its operator still exists.
  std::optional<Session> find(soci::session& sql, const std::string& cookie,
                              std::int64_t now) const;
  void remove(soci::session& sql, const std::string& cookie) const;
  void end_sessions_of(soci::session& sql, const std::string& operator_name) const;
};

}  // namespace payhost::host::console
