// The console's audit log (console_audit): every sign-in, failed sign-in and sign-out, and
// every change made with a session (console routes and products' admin routes). Rows are
// written, never changed; ids sort by time, so the newest come first by id.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "payhost/sdk/json.hpp"

namespace payhost::host::console {

inline constexpr std::size_t kMaxAuditTarget = 128;
inline constexpr std::size_t kMaxAuditDetail = 512;

struct AuditEntry {
  std::string id;          // "aud_" + 24 letters/digits, time-ordered; set by append
  std::int64_t at_ms = 0;  // set by append when 0
  std::string operator_name;
  std::string role;
  std::string action;  // "METHOD path", "signin", "signin_failed", "signout"
  std::string target;
  int status = 0;
  std::string client_ip;
  std::string detail;
};

// A time-ordered id: later ids sort after earlier ones, also within one millisecond of one
// process.
std::string new_audit_id();

class AuditLog {
 public:
  // Bounds and makes printable every text field, then inserts the row.
  void append(soci::session& sql, AuditEntry entry) const;
  // Newest first; `before` (an id) pages back. Up to `limit` rows.
  std::vector<AuditEntry> list(soci::session& sql, const std::string& before, int limit) const;
};

sdk::Json to_json(const AuditEntry& entry);

}  // namespace payhost::host::console
