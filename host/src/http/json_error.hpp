// The host's own error answer outside the /v1 API: {"message": "..."} with a status.
#pragma once

#include <string>

#include "payhost/sdk/http.hpp"

namespace payhost::host {

sdk::HttpResponse json_error(int status, const std::string& message);

}  // namespace payhost::host
