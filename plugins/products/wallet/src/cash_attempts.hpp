// Withdrawal attempts per user, counted in the database so that every payhostd host on it
// shares one count. The window is fixed and starts at a user's first attempt, as with the
// old server's Laravel throttle:5,0.1; a refused (429) attempt is not counted and does not
// move the window.
#pragma once

#include <cstdint>

#include <soci/soci.h>

namespace payhost::wallet {

class CashAttempts {
 public:
  // `limit` attempts per `window_seconds`; a limit of 0 allows everything.
  CashAttempts(int limit, std::int64_t window_seconds)
      : limit_(limit), window_seconds_(window_seconds) {}

  struct Decision {
    bool allowed = true;
    int remaining = 0;
    std::int64_t retry_after_seconds = 0;  // when refused
  };

  // Counts an attempt by `user_id` at `now` (Unix seconds). Call it inside a transaction of
  // its own, so the count commits even when the withdrawal itself is refused.
  Decision count(soci::session& sql, std::int64_t user_id, std::int64_t now) const;

  int limit() const { return limit_; }

 private:
  int limit_;
  std::int64_t window_seconds_;
};

}  // namespace payhost::wallet
