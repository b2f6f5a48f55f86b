// Sign-in attempts limited in the database (console_signin_failures), so every host on it
// counts alike: 5 failures for one name or 20 for one client address within 15 minutes, and
// sign-in is refused until the oldest of them leaves the window. A success clears nothing:
// an address that guesses many names stays limited.
#pragma once

#include <cstdint>
#include <string>

#include <soci/soci.h>

namespace payhost::host::console {

class SigninLimiter {
 public:
  static constexpr int kNameLimit = 5;
  static constexpr int kAddressLimit = 20;
  static constexpr std::int64_t kWindowSeconds = 15 * 60;

  // Seconds until a sign-in for `name` from `client_ip` may be tried; 0: now. `name` may be
  // empty (not well formed: only the address counts).
  std::int64_t retry_after(soci::session& sql, const std::string& name,
                           const std::string& client_ip, std::int64_t now) const;
  // Counts a failure against both, and drops their rows that left the window.
  void record_failure(soci::session& sql, const std::string& name, const std::string& client_ip,
                      std::int64_t now) const;
};

}  // namespace payhost::host::console
