// The console API's error envelope: {"error":{"code","message"}}. The routes add the
// console's headers (no-store, CSP) to every answer (console_routes.cpp).
#pragma once

#include <string>

#include "payhost/sdk/http.hpp"

namespace payhost::host::console {

sdk::HttpResponse console_error(int status, const std::string& code, const std::string& message);

}  // namespace payhost::host::console
