// Ping++'s error envelope: {"error":{"type","message","code"?,"param"?}} with Ping++'s
// statuses. `code` and `param` are left out when unused: Go's SDK type-asserts them as
// strings and panics on null.
#pragma once

#include <string>

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host::api {

// Ping++'s three error types; the SDKs map only these strings.
inline constexpr const char* kInvalidRequestError = "invalid_request_error";
inline constexpr const char* kApiError = "api_error";
inline constexpr const char* kChannelError = "channel_error";

// Whether the request could have changed something: an unknown outcome is answered 500
// there, since every SDK repeats a 502 once and a repeated create is a second order.
enum class Effect { read, write };

int error_status(const sdk::Error& error, Effect effect);
const char* error_type(int status);

// The envelope's text, fields in Ping++'s order.
std::string error_body(const char* type, const std::string& message, const std::string& code,
                       const std::string& param);

// `error` as Ping++ answers it. Internal failures keep their kind and code but never
// their text (public_error logs it).
sdk::HttpResponse error_response(const sdk::Error& error, Effect effect = Effect::read);
sdk::HttpResponse error_response(int status, const std::string& message,
                                 const std::string& code = {}, const std::string& param = {});

}  // namespace payhost::host::api
