// Alipay OpenAPI signatures (RSA2 = RSA PKCS#1 v1.5 with SHA-256). Everything here is pure:
// no network, no host, so it is tested against published vectors.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::alipay {

// Request or notification parameters, unencoded, in any order.
using Params = std::vector<std::pair<std::string, std::string>>;

// Keys as deployers paste them: PEM (PKCS#1/PKCS#8, wrapped or one line), bare base64, or
// for the Alipay key also an X.509 certificate. Alipay's certificate files may hold a
// chain; only the first certificate is the Alipay key.
sdk::Result<sdk::crypto::PrivateKey> load_private_key(std::string_view text);
sdk::Result<sdk::crypto::PublicKey> load_public_key(std::string_view text);

// The string Alipay signs: every parameter with a non-empty value except the excluded
// names, sorted by key in byte order, joined as k=v with '&', values NOT percent-encoded.
std::string sign_content(const Params& params, const std::vector<std::string_view>& excluded);

// Requests sign every parameter except `sign` itself (so `sign_type` is included).
std::string request_sign_content(const Params& params);

// Signs a request: returns its non-empty parameters in sign order, with `sign` appended.
sdk::Result<Params> sign_request(const sdk::crypto::PrivateKey& key, const Params& params);

// base64(RSA2(content)).
sdk::Result<std::string> rsa2_sign(const sdk::crypto::PrivateKey& key, std::string_view content);
bool rsa2_verify(const sdk::crypto::PublicKey& key, std::string_view content,
                 std::string_view signature_base64);

// "k=v&..." with every key and value percent-encoded: the app SDK's order string and the
// server-to-server form body alike.
std::string order_string(const Params& params);

// Where a top-level member of a JSON object sits in the raw text.
enum class MemberLookup { found, absent, duplicate, malformed };
struct MemberText {
  MemberLookup status = MemberLookup::absent;
  std::string_view text;  // the member's value exactly as received (status == found)
};

// Finds the value of top-level member `name` in the JSON object `body` by scanning the
// raw text (strings and backslash escapes respected, nesting counted), so the bytes Alipay
// signed are returned untouched: re-serialising would turn "\/" into "/" and break the
// signature.
MemberText find_member(std::string_view body, std::string_view name);

// "alipay.trade.query" -> "alipay_trade_query_response".
std::string response_node_name(std::string_view method);

// A gateway answer whose signature checked out.
struct VerifiedResponse {
  sdk::Json node;         // the parsed `<method>_response` object
  std::string node_text;  // its raw bytes, as signed
};

// Checks the response signature over the raw `<method>_response` text with the Alipay key.
// Anything that is not a correctly signed response object (unsigned gateway errors
// included) is an `unavailable` error: the outcome of the call is unknown.
sdk::Result<VerifiedResponse> verify_response(std::string_view body, std::string_view method,
                                              const sdk::crypto::PublicKey& alipay_key);

// Verifies an asynchronous notification body (application/x-www-form-urlencoded): decoded
// exactly once, `sign` and `sign_type` dropped, empty values dropped, sorted, RSA2.
// Only notifications whose signed string splits back one way are accepted: names of
// [A-Za-z0-9_], no '&' in any value (code `ambiguous_notification`), no repeated name
// (`duplicate_parameter`). Returns the decoded non-empty parameters, i.e. exactly what
// was signed; a signature that does not verify is `bad_signature`. All are
// `invalid_request`.
sdk::Result<std::map<std::string, std::string>> verify_notification(
    std::string_view body, const sdk::crypto::PublicKey& alipay_key);

}  // namespace payhost::alipay
