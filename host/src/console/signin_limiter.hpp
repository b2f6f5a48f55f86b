// Sign-in attempts limited in the database (console_signin_failures), so every host on it
// counts alike: 5 failures for one name or 20 for one client address within 15 minutes, and
// sign-in is refused until the oldest of them leaves the window. A success clears nothing:
// an address that guesses many names stays limited.
//
// An attempt is counted as a failure before its password is checked, under a lock on its
// name and address (SQLite's write lock; an advisory lock per scope on PostgreSQL), and
// uncounted if it succeeds: concurrent attempts, on one host or many, cannot pass the limit
// together.
#pragma once

#include <cstdint>
#include <string>

#include <soci/soci.h>

#include "payhost/sdk/database.hpp"

namespace payhost::host::console {

struct SigninAttempt {
  std::int64_t retry_after = 0;  // > 0: refused; seconds until one may be tried
  std::string id;                // of the failure rows counted in advance (when admitted)
};

class SigninLimiter {
 public:
  static constexpr int kNameLimit = 5;
  static constexpr int kAddressLimit = 20;
  static constexpr std::int64_t kWindowSeconds = 15 * 60;

  // In a transaction. `name` may be empty (not well formed: only the address counts).
  // Admitted: the attempt now counts as a failure of both until `succeeded`.
  SigninAttempt begin(soci::session& sql, sdk::Dialect dialect, const std::string& name,
                      const std::string& client_ip, std::int64_t now) const;
  // The attempt's password was right: it no longer counts.
  void succeeded(soci::session& sql, const SigninAttempt& attempt) const;
};

}  // namespace payhost::host::console
