// The console's operators (console_operators): name, role, scrypt hash. Removing one, or
// changing its password or role, ends its sessions in the same transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <soci/soci.h>

#include "console/console_caller.hpp"

namespace payhost::host::console {

struct Operator {
  std::string name;
  Role role = Role::viewer;
  std::string password_hash;
  std::int64_t created = 0;
  std::int64_t updated = 0;
};

// 1-64 of A-Za-z0-9._-
bool is_operator_name(std::string_view name) noexcept;

class OperatorStore {
 public:
  // False if the name is taken.
  bool add(soci::session& sql, const Operator& op) const;
  std::optional<Operator> find(soci::session& sql, const std::string& name) const;
  std::vector<Operator> list(soci::session& sql) const;  // by name
  // Each false if there is no such operator.
  bool remove(soci::session& sql, const std::string& name) const;
  bool set_password(soci::session& sql, const std::string& name, const std::string& hash,
                    std::int64_t now) const;
  bool set_role(soci::session& sql, const std::string& name, Role role, std::int64_t now) const;
};

}  // namespace payhost::host::console
