#include "charges/public_error.hpp"

#include <string>

#include "observability/logging.hpp"

namespace payhost::host {

sdk::Error public_error(const sdk::Error& error, std::string_view during) {
  if (error.kind != sdk::ErrorKind::internal && error.kind != sdk::ErrorKind::retry) return error;
  host_log().error(std::string(during) + " failed: " + error.code + ": " + error.message);
  return sdk::make_error(sdk::ErrorKind::internal, error.code, kInternalErrorMessage);
}

}  // namespace payhost::host
