// DemoPay's wire protocol, the signing half the merchant needs. DemoPay is a made-up
// provider shaped like the real ones (a JSON REST API, HMAC-SHA256 signatures both ways,
// signed notifications with a timestamp); see README.md for the whole protocol.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <payhost/sdk/result.hpp>

namespace demopay {

// A notification or an answer older or newer than this (by its t=) is refused: a captured
// one cannot be replayed later.
inline constexpr std::int64_t kSignatureWindowSeconds = 300;
// Notifications are ~300 bytes; anything bigger is refused before it is parsed.
inline constexpr std::size_t kMaxNotificationBytes = 16 * 1024;

// The Authorization header of a request to DemoPay:
//   DEMOPAY-HMAC-SHA256 merchant=<id>,timestamp=<unix s>,nonce=<nonce>,signature=<hex>
// signature = hex(HMAC-SHA256(secret, METHOD "\n" path "\n" timestamp "\n" nonce "\n" body)).
std::string authorization(std::string_view merchant_id, std::string_view secret,
                          std::string_view method, std::string_view path, std::int64_t timestamp,
                          std::string_view nonce, std::string_view body);

// Checks X-Demopay-Signature ("t=<unix s>,v1=<hex>", v1 = hex(HMAC-SHA256(secret, t "." body)))
// on an answer or a notification. Errors: invalid_request bad_signature / stale_signature.
payhost::sdk::Status verify_signature(std::string_view secret, std::string_view header,
                                      std::string_view body, std::int64_t now);

}  // namespace demopay
