#include "storage/pg_reconnect.hpp"

#include <libpq-fe.h>
#include <poll.h>

#include <algorithm>

#include <soci/postgresql/soci-postgresql.h>

#include "observability/logging.hpp"

namespace payhost::host {

namespace {

using namespace std::chrono_literals;

constexpr auto kFirstBackoff = 100ms;
constexpr auto kMaxBackoff = 2000ms;

PGconn* connection_of(soci::session& sql) noexcept {
  // By name: libsoci_postgresql exports no type information for dynamic_cast.
  soci::details::session_backend* backend = sql.get_backend();
  if (backend == nullptr || backend->get_backend_name() != "postgresql") return nullptr;
  return static_cast<soci::postgresql_session_backend*>(backend)->conn_;
}

void log_notice(void* /*arg*/, const char* message) {
  std::string text = message;
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  host_log().info("postgresql: " + text);
}

}  // namespace

bool pg_connection_ok(soci::session& sql) noexcept {
  PGconn* conn = connection_of(sql);
  if (conn == nullptr) return false;
  // Reading stops at the first read that finds nothing new: an error the server sent and
  // the end of the stream after it come in two reads.
  for (int reads = 0; reads < 4 && PQstatus(conn) == CONNECTION_OK; ++reads) {
    pollfd fd{PQsocket(conn), POLLIN, 0};
    if (::poll(&fd, 1, 0) <= 0) break;
    if (PQconsumeInput(conn) == 0) break;
  }
  return PQstatus(conn) == CONNECTION_OK;
}

void pg_open(soci::session& sql, const std::string& conninfo) {
  sql.open(soci::postgresql, conninfo);
  if (PGconn* conn = connection_of(sql)) PQsetNoticeProcessor(conn, &log_notice, nullptr);
}

sdk::Status PgReconnect::ensure_usable(soci::session& sql, StatementCache& cache,
                                       const std::string& conninfo) noexcept {
  if (!closed_ && pg_connection_ok(sql)) return {};
  const auto now = std::chrono::steady_clock::now();
  if (closed_ && now < next_attempt_) {
    return sdk::make_error(sdk::ErrorKind::unavailable, "database_unavailable",
                           "the database is unreachable (reconnecting)");
  }
  if (!closed_) host_log().warn("database connection lost; reconnecting");
  cache.clear();
  try {
    sql.close();
    pg_open(sql, conninfo);
  } catch (const std::exception& e) {
    closed_ = true;
    backoff_ = std::clamp(backoff_ * 2, std::chrono::milliseconds(kFirstBackoff),
                          std::chrono::milliseconds(kMaxBackoff));
    next_attempt_ = now + backoff_;
    return sdk::make_error(sdk::ErrorKind::unavailable, "database_unavailable",
                           "the database is unreachable: " + redactor().apply(e.what()));
  }
  host_log().info("database connection reopened");
  closed_ = false;
  backoff_ = {};
  return {};
}

}  // namespace payhost::host
