#include "storage/sqlite_health.hpp"

#include <array>

namespace payhost::host {

bool is_storage_fault(std::string_view message) noexcept {
  // sqlite3_errstr() texts of the result codes above.
  static constexpr std::array<std::string_view, 6> kFaults = {
      "database or disk is full",
      "disk I/O error",
      "database disk image is malformed",
      "file is not a database",
      "attempt to write a readonly database",
      "unable to open database file"};
  for (const auto fault : kFaults) {
    if (message.find(fault) != std::string_view::npos) return true;
  }
  return false;
}

std::string sqlite_quick_check(soci::session& sql) {
  std::string first;
  sql << "PRAGMA quick_check(1)", soci::into(first);
  return first == "ok" ? std::string() : first;
}

}  // namespace payhost::host
