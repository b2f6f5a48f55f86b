// charge_history: what happened to a charge beyond the rows that already say so (the charge,
// its refunds, events and webhook attempts): each notification that named it and changed
// nothing or settled it, each channel query and each close at the provider. The operator
// console's timeline reads it. Refused notifications stay in notification_refusals (one
// row per plugin, reason and order, counting repeats), which the timeline reads by order_no.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "charges/core_context.hpp"
#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host {

// Longest stored detail, in bytes, marker of a cut included.
inline constexpr std::size_t kMaxHistoryDetailBytes = 512;

namespace history {
inline constexpr const char* kNotification = "notification";
inline constexpr const char* kQuery = "query";
inline constexpr const char* kClose = "close";
}  // namespace history

struct HistoryEntry {
  std::string charge_id;
  std::int64_t at_ms = 0;
  std::string kind;  // history::k*
  std::string
      outcome;  // notification: accepted|repeated; query, close: paid|unpaid|closed|failed|unknown
  std::string detail;  // bounded and made printable when written
  // Read back: how often this kind and outcome happened to the charge, and when last (the
  // first time is at_ms; detail is the last one's).
  std::int64_t repeats = 1;
  std::int64_t last_ms = 0;
};

// Now in milliseconds. The host's clock counts seconds; within the second it reports, the
// system clock's milliseconds order rows. A clock that is not the system's (a test's) keeps
// its own seconds.
std::int64_t history_now_ms(const sdk::Clock& clock);

// `detail` as stored: printable, at most kMaxHistoryDetailBytes.
std::string bounded_history_detail(std::string_view detail);

// One row per charge, kind and outcome, inside the caller's transaction (a statement kept
// per connection; no read): the first time inserts it, a repeat counts itself in it.
void record_history(soci::session& sql, const HistoryEntry& entry);

// One row in a transaction of its own, for paths that hold none (queries, closes). A
// failure is logged, never thrown: the history must not stop what it records.
void record_history_now(Db& db, const HistoryEntry& entry) noexcept;

// The outcome word and detail for what the channel answered a query or a close (an error's
// text is redacted of the host's secrets).
HistoryEntry channel_answer_entry(const std::string& charge_id, std::int64_t at_ms,
                                  const char* kind, const sdk::Result<sdk::TradeStatus>& answer);

// The charge's rows, by their first time (at most `limit`); rows of the same millisecond,
// whose order no clock tells, by kind and outcome.
std::vector<HistoryEntry> history_of(soci::session& sql, const std::string& charge_id, int limit);

}  // namespace payhost::host
