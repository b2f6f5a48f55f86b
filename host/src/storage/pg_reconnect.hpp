// Pooled PostgreSQL connections that died (a server restart or failover,
// pg_terminate_backend, a network cut) are found before their next use and reopened, with
// back-off while the server stays away, so service resumes once it is back.
#pragma once

#include <chrono>
#include <string>

#include <soci/soci.h>

#include "payhost/sdk/result.hpp"
#include "storage/statement_cache.hpp"

namespace payhost::host {

// Whether the connection is still up as far as can be known without a round trip: what the
// server sent while it was idle is read first (a server ending a session sends an error,
// then closes it). A few microseconds.
bool pg_connection_ok(soci::session& sql) noexcept;

// One pooled connection's reopening; used only by the thread that leases the connection.
class PgReconnect {
 public:
  // Before a unit of work: a dead connection is reopened here (its kept statements are
  // dropped first: they belonged to the old server session). While the server stays away
  // the attempts back off from 100 ms to 2 s, and units of work arriving between attempts
  // fail at once (kind unavailable) instead of waiting for a connect.
  sdk::Status ensure_usable(soci::session& sql, StatementCache& cache,
                            const std::string& conninfo) noexcept;

 private:
  bool closed_ = false;  // the last reopen failed: the session has no connection
  std::chrono::steady_clock::time_point next_attempt_{};
  std::chrono::milliseconds backoff_{0};
};

// Opens `sql` on `conninfo`, with the server's notices going to the log instead of stderr.
void pg_open(soci::session& sql, const std::string& conninfo);

}  // namespace payhost::host
