// Ping++'s request signatures (Pingplusplus-Signature): base64 RSA-SHA256 (PKCS#1 v1.5)
// over the raw body, the request-target exactly as sent and the decimal timestamp of
// Pingplusplus-Request-Timestamp, verified with the public key the merchant configured.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host::api {

struct SignedRequest {
  std::string_view body;       // raw bytes (empty for GET)
  std::string_view path;       // as received, not decoded
  std::string_view raw_query;  // as received, without '?'
  std::string_view timestamp;  // header text
  std::string_view signature;  // header text (base64)
};

// body + target + timestamp. The target is path, then "?" and the query when there is one.
std::string string_to_sign(std::string_view body, std::string_view target,
                           std::string_view timestamp);

// Checks the timestamp (decimal Unix seconds within `window_seconds` of `now`) and the
// signature; unauthorized with the reason otherwise. The host keeps no sign of a bare
// trailing "?" (Node's SDK sends `/v1/charges/ch_x?` and signs it), so a request without
// a query is accepted signed either way: both spell the same request.
sdk::Status verify_request_signature(const sdk::crypto::PublicKey& key, const SignedRequest& r,
                                     std::int64_t now, std::int64_t window_seconds);

}  // namespace payhost::host::api
