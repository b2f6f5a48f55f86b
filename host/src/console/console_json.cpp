#include "console/console_json.hpp"

#include "payhost/sdk/json.hpp"

namespace payhost::host::console {

sdk::HttpResponse console_error(int status, const std::string& code, const std::string& message) {
  return sdk::HttpResponse::json(
      status, sdk::Json{{"error", sdk::Json{{"code", code}, {"message", message}}}});
}

}  // namespace payhost::host::console
