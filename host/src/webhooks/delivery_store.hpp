// The webhook_deliveries and webhook_attempts rows: claiming due deliveries under a lease,
// recording what each attempt got, and what operators read and reset.
//
// A delivery's `attempts` counts the claims made on it and is the claim's token: an
// outcome is recorded only while the row is still pending with the attempt number its
// claim set, so a host whose lease ran out (and whose delivery another host claimed)
// cannot overwrite the newer attempt's state.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

namespace payhost::host::webhooks {

struct ClaimedDelivery {
  std::string id;
  std::string event_id;
  std::string app;
  std::string url;
  int attempt = 0;        // this claim's attempt number, 1 for the first
  std::string payload;    // the event as stored: sent byte for byte
  std::string signature;  // base64, empty until the event was first signed
};

struct ClaimedBatch {
  std::vector<ClaimedDelivery> deliveries;
  // Due deliveries marked failed instead: their endpoint is no longer in the config, or
  // their event row is missing.
  int given_up = 0;
};

// What one attempt got. Exactly one of: a 2xx (delivered), another status, or an error
// (timeout, refused connection, ...) with no status.
struct AttemptOutcome {
  std::string delivery_id;
  int attempt = 0;
  std::int64_t started_ms = 0;
  std::int64_t duration_ms = 0;
  int http_status = 0;    // 0: no answer
  std::string error;      // empty when delivered
  std::string signature;  // stored so that later attempts send the same one
};

// The state a delivery takes after an attempt: delivered, pending until the next retry,
// or failed once `retry_seconds` has no delay left for it (1 + retry_seconds.size()
// attempts in all).
struct NextState {
  std::string status;  // delivered | pending | failed
  std::int64_t next_attempt_at = 0;
};
NextState after_attempt(bool delivered, int attempt, const std::vector<std::int64_t>& retry_seconds,
                        std::int64_t now);

bool is_delivered_status(int http_status);

struct PendingStats {
  long long pending = 0;
  std::int64_t oldest_created = 0;  // 0 when nothing is pending
};

struct DeliveryRow {
  std::string event_id;
  std::string type;
  std::string url;
  std::string status;
  int attempts = 0;
  std::optional<int> last_status;
  std::string last_error;
  std::int64_t next_attempt_at = 0;
  std::int64_t created = 0;
};

enum class RedeliverResult { no_event, no_deliveries, reset };

class DeliveryStore {
 public:
  // Whether anything is due: a read, so idle hosts do not queue for SQLite's writer.
  static bool any_due(soci::session& sql, std::int64_t now);

  // Claims up to `limit` pending deliveries due at `now` (PostgreSQL: FOR UPDATE SKIP
  // LOCKED, so hosts claim disjoint rows; SQLite: the write transaction): each gets
  // attempts + 1, next_attempt_at = `lease_until` and an attempt row without a result.
  // Deliveries `configured(app, url)` refuses are marked failed instead.
  static ClaimedBatch claim_due(
      soci::session& sql, std::int64_t now, std::int64_t lease_until, int limit,
      const std::function<bool(const std::string& app, const std::string& url)>& configured);

  // Records an attempt's outcome and the delivery's next state. False if the claim was
  // lost (the row moved on without this host): only the attempt row is then updated.
  static bool record(soci::session& sql, const AttemptOutcome& outcome, const NextState& next,
                     std::int64_t now);

  // Gives a claimed delivery back unsent (its lease would run out mid-send, or the host is
  // stopping): the claim and its attempt row are undone, and it is due again at `now`.
  static void release(soci::session& sql, const std::string& delivery_id, int attempt,
                      std::int64_t now);

  static PendingStats pending_stats(soci::session& sql);

  // Newest first; an empty `status` or `event_id` does not filter.
  static std::vector<DeliveryRow> list(soci::session& sql, const std::string& status, int limit,
                                       const std::string& event_id = {});

  // Makes the event's deliveries pending and due at `now`, delivered ones included; an
  // attempt in flight (its lease still running) is left to finish. A redelivered delivery
  // gets one attempt now and, if that fails, whatever its schedule has left.
  static RedeliverResult redeliver(soci::session& sql, const std::string& event_id,
                                   std::int64_t now);
};

}  // namespace payhost::host::webhooks
