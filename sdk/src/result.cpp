#include "payhost/sdk/result.hpp"

namespace payhost::sdk {

const char* to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::invalid_request:
      return "invalid_request";
    case ErrorKind::unauthorized:
      return "unauthorized";
    case ErrorKind::forbidden:
      return "forbidden";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::conflict:
      return "conflict";
    case ErrorKind::channel:
      return "channel";
    case ErrorKind::unavailable:
      return "unavailable";
    case ErrorKind::retry:
      return "retry";
    case ErrorKind::internal:
      return "internal";
  }
  return "internal";
}

}  // namespace payhost::sdk
