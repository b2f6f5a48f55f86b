// What the host tells plugins (and so, through them, clients) about its own failures.
#pragma once

#include <string_view>

#include "payhost/sdk/result.hpp"

namespace payhost::host {

// Text an internal failure carries out of the host: no exception text, no SQL.
inline constexpr const char* kInternalErrorMessage = "internal error";

// `error` as it may leave the host. Failures that are the host's or a plugin's own
// (internal, retry: exception texts, SQL, driver messages) are logged with `during` and the
// request id, and come back with their kind and code and the generic message only; any
// other error (the caller's or the provider's) comes back unchanged.
sdk::Error public_error(const sdk::Error& error, std::string_view during);

}  // namespace payhost::host
