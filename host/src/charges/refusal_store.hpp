// The notification_refusals table: what was refused, why, how often. Refusals are what
// anyone can produce at will, so each stored field is bounded and repeats of one refusal
// (same plugin, reason and order) share a row that counts them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include <soci/soci.h>

namespace payhost::host {

struct Refusal {
  std::string plugin;
  std::string order_no;  // empty when the notification did not verify
  std::string reason;    // a stable code, e.g. "amount_mismatch"
  std::string detail;    // human text for the operator
};

// Longest stored order_no and reason, and detail (bytes, before the marker a cut adds).
inline constexpr std::size_t kMaxRefusalKeyBytes = 64;
inline constexpr std::size_t kMaxRefusalDetailBytes = 512;

// Records `refusal` seen at `now`: a new row, or one more repeat (and the latest detail)
// on the row of an earlier identical refusal. Returns how many times it has been seen.
long long record_refusal(soci::session& sql, const Refusal& refusal, std::int64_t now);

}  // namespace payhost::host
