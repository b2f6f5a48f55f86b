// ACP 5.1.0 signatures (signMethod 01): the fields other than `signature`, sorted by name
// (byte order), joined "k=v&k=v" with raw values; the lowercase hex SHA-256 of that string
// (64 ASCII characters) is what RSA-SHA256 signs; the signature is base64 on the wire.
#pragma once

#include <string>
#include <string_view>

#include "messages.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::unionpay {

inline constexpr std::string_view kSignatureField = "signature";
inline constexpr std::string_view kCertIdField = "certId";
inline constexpr std::string_view kSignerCertField = "signPubKeyCert";

// Every field but `signature`, sorted, joined. Empty values stay (what answers carry is
// verified as it came); requests drop theirs before signing (sign_request).
std::string signing_string(const Fields& fields);

// Lowercase hex SHA-256 of the signing string.
std::string signing_digest(const Fields& fields);

// A request as UnionPay requires it: empty fields dropped, certId set, signature appended
// last. `fields` must not hold certId or signature already (invalid_request otherwise).
sdk::Result<Fields> sign_request(Fields fields, const sdk::crypto::PrivateKey& key,
                                 std::string_view cert_id);

// Checks `signature` (base64) over the other fields with `key`. Errors are invalid_request:
// missing_signature, malformed_signature, bad_signature.
sdk::Status verify_signature(const Fields& fields, const sdk::crypto::PublicKey& key);

}  // namespace payhost::unionpay
