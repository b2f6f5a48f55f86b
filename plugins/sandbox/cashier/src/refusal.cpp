#include "refusal.hpp"

namespace payhost::cashier {

int status_for(const sdk::Error& error) {
  switch (error.kind) {
    case sdk::ErrorKind::not_found:
      return 404;
    case sdk::ErrorKind::conflict:
      return 409;
    case sdk::ErrorKind::unavailable:
    case sdk::ErrorKind::retry:
      return 503;
    case sdk::ErrorKind::channel:
      return 502;
    case sdk::ErrorKind::internal:
      return 500;
    case sdk::ErrorKind::invalid_request:
    case sdk::ErrorKind::unauthorized:
    case sdk::ErrorKind::forbidden:
      return 400;
  }
  return 400;
}

Refusal simulator_refusal(const sdk::Error& error) {
  const int status = status_for(error);
  std::string title = status == 409   ? "不能这样做 Not possible in this state"
                      : status >= 500 ? "模拟器出错 The simulator failed"
                                      : "模拟器拒绝 Refused by the simulator";
  return Refusal{status, error.code.empty() ? "simulator_refused" : error.code, std::move(title),
                 error.message};
}

}  // namespace payhost::cashier
