// HTTP/1.1 answers as the bytes the listener writes.
#pragma once

#include <string>

#include "payhost/sdk/http.hpp"

namespace payhost::host {

// Status line, the handler's headers (Content-Length and Connection are the listener's;
// a header with a control character in it is dropped), X-Request-Id, Connection,
// Content-Length, then the body unless `head_request`.
std::string response_wire(const sdk::HttpResponse& response, const std::string& request_id,
                          bool keep_alive, bool head_request);

}  // namespace payhost::host
