// Who is using the console, as the session established; what a handler gives the audit log.
#pragma once

#include <optional>
#include <string>

namespace payhost::host::console {

// viewer reads; finance also refunds and decides withdrawals; admin may do everything.
enum class Role { viewer, finance, admin };

const char* to_string(Role role) noexcept;
std::optional<Role> parse_role(const std::string& text) noexcept;

struct ConsoleCaller {
  std::string operator_name;
  Role role = Role::viewer;
  std::string client_ip;
  // A changing handler sets what the audit row records beyond method, path and status
  // (e.g. "re_… 100 fen: damaged"); bounded and made printable by the audit writer.
  mutable std::string audit_target;
  mutable std::string audit_detail;
};

}  // namespace payhost::host::console
