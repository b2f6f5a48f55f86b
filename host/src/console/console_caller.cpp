#include "console/console_caller.hpp"

namespace payhost::host::console {

const char* to_string(Role role) noexcept {
  switch (role) {
    case Role::viewer:
      return "viewer";
    case Role::finance:
      return "finance";
    case Role::admin:
      return "admin";
  }
  return "viewer";
}

std::optional<Role> parse_role(const std::string& text) noexcept {
  if (text == "viewer") return Role::viewer;
  if (text == "finance") return Role::finance;
  if (text == "admin") return Role::admin;
  return std::nullopt;
}

}  // namespace payhost::host::console
