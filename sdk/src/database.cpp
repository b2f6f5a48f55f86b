#include "payhost/sdk/database.hpp"

#include <exception>
#include <string>

#include <soci/soci-backend.h>

namespace payhost::sdk {
namespace {

bool contains(const std::string& text, const char* needle) {
  return text.find(needle) != std::string::npos;
}

// Lock contention and serialization failures are worth running the transaction again.
bool is_contention(const std::string& m) {
  return contains(m, "database is locked") || contains(m, "database table is locked") ||
         contains(m, "SQLITE_BUSY") || contains(m, "could not serialize") ||
         contains(m, "deadlock detected") || contains(m, "40001") || contains(m, "40P01") ||
         contains(m, "could not obtain lock");
}

}  // namespace

Error database_error_from_current_exception() {
  std::string what = "unknown database exception";
  try {
    throw;
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
  }
  if (is_contention(what)) return make_error(ErrorKind::retry, "db_contention", what);
  return make_error(ErrorKind::internal, "db_error", what);
}

}  // namespace payhost::sdk
