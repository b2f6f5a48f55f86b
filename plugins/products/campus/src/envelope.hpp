// The seed API's envelope: {"error":0,"data":...} or {"error":1,"message":"..."}, HTTP 200
// for business errors as the existing clients expect.
#pragma once

#include <string>

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::campus {

inline sdk::HttpResponse ok_response(const sdk::Json& data) {
  return sdk::HttpResponse::json(200, sdk::Json{{"error", 0}, {"data", data}});
}

// The same envelope around data that is JSON text already: the bytes ok_response would send
// for that data's tree.
inline sdk::HttpResponse ok_text_response(const std::string& data) {
  return sdk::HttpResponse::json_text(200, "{\"error\":0,\"data\":" + data + "}");
}

inline sdk::HttpResponse error_response(const std::string& message, int status = 200) {
  return sdk::HttpResponse::json(status, sdk::Json{{"error", 1}, {"message", message}});
}

}  // namespace payhost::campus
