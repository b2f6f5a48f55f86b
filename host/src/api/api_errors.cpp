#include "api/api_errors.hpp"

#include "charges/public_error.hpp"

namespace payhost::host::api {

using sdk::ErrorKind;

int error_status(const sdk::Error& error, Effect effect) {
  switch (error.kind) {
    case ErrorKind::invalid_request:
    case ErrorKind::forbidden:  // Node's SDK reads 403 as a rate limit: never sent
      return 400;
    case ErrorKind::unauthorized:
      return 401;
    case ErrorKind::not_found:
      return 404;
    case ErrorKind::conflict:
      return 409;
    case ErrorKind::channel:
      return 402;
    case ErrorKind::unavailable:
      return effect == Effect::read ? 502 : 500;
    case ErrorKind::retry:
    case ErrorKind::internal:
      return 500;
  }
  return 500;
}

const char* error_type(int status) {
  if (status == 402) return kChannelError;
  if (status >= 500 || status == 429) return kApiError;
  return kInvalidRequestError;
}

std::string error_body(const char* type, const std::string& message, const std::string& code,
                       const std::string& param) {
  std::string out = "{\"error\":{\"type\":";
  sdk::append_json_string(out, type);
  out += ",\"message\":";
  sdk::append_json_string(out, message);
  if (!code.empty()) {
    out += ",\"code\":";
    sdk::append_json_string(out, code);
  }
  if (!param.empty()) {
    out += ",\"param\":";
    sdk::append_json_string(out, param);
  }
  out += "}}";
  return out;
}

sdk::HttpResponse error_response(int status, const std::string& message, const std::string& code,
                                 const std::string& param) {
  return sdk::HttpResponse::json_text(status, error_body(error_type(status), message, code, param));
}

sdk::HttpResponse error_response(const sdk::Error& error, Effect effect) {
  const sdk::Error shown = public_error(error, "the /v1 API");
  const int status = error_status(shown, effect);
  std::string message = shown.message;
  if (message.empty()) message = status >= 500 ? kInternalErrorMessage : "invalid request";
  return error_response(status, message, shown.code, shown.param);
}

}  // namespace payhost::host::api
