#include "http/json_error.hpp"

namespace payhost::host {

sdk::HttpResponse json_error(int status, const std::string& message) {
  return sdk::HttpResponse::json(status, sdk::Json{{"message", message}});
}

}  // namespace payhost::host
