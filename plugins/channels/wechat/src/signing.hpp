// WeChat Pay API v3 signatures (RSA PKCS#1 v1.5 with SHA-256, base64): the merchant signs
// requests and the client-side payment parameters; WeChat Pay signs every answer and
// notification, naming its key by the Wechatpay-Serial header. Pure: no host, no network.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::wechat {

inline constexpr std::string_view kAuthScheme = "WECHATPAY2-SHA256-RSA2048";
// A signature WeChat sends on purpose to check that merchants really verify.
inline constexpr std::string_view kProbeSignaturePrefix = "WECHATPAY/SIGNTEST/";
inline constexpr std::string_view kPublicKeyIdPrefix = "PUB_KEY_ID_";
// How far a signed timestamp may be from the host clock, exclusive.
inline constexpr std::int64_t kMaxClockSkewSeconds = 300;

// "METHOD\nPATH?QUERY\nTIMESTAMP\nNONCE\nBODY\n": what a request's Authorization signs.
// `body` is the exact bytes sent (empty for GET).
std::string request_message(std::string_view method, std::string_view path_and_query,
                            std::int64_t timestamp, std::string_view nonce, std::string_view body);

// The Authorization header value for a signed request.
std::string authorization_header(std::string_view mchid, std::string_view nonce,
                                 std::int64_t timestamp, std::string_view serial_no,
                                 std::string_view signature_base64);

// APP (wx): "appid\ntimestamp\nnoncestr\nprepayid\n".
std::string app_pay_message(std::string_view app_id, std::int64_t timestamp, std::string_view nonce,
                            std::string_view prepay_id);
// JSAPI / mini program: "appId\ntimeStamp\nnonceStr\npackage\n", package = "prepay_id=...".
std::string jsapi_pay_message(std::string_view app_id, std::int64_t timestamp,
                              std::string_view nonce, std::string_view package);

// base64(RSA-SHA256(message)).
sdk::Result<std::string> sign_base64(const sdk::crypto::PrivateKey& key, std::string_view message);

// Nonces for requests and client parameters: 32 random letters and digits.
std::string make_nonce();

// Serials as compared: a certificate serial in upper-case hex without leading zeros (SDKs
// print it with and without them), a public key id ("PUB_KEY_ID_...") exactly as written.
std::string canonical_serial(std::string_view serial);

// A PEM X.509 certificate's serial number in upper-case hex, and its public key. Exactly
// one certificate per text.
struct Certificate {
  std::string serial;
  sdk::crypto::PublicKey key;
  bool expired = false;  // notAfter is in the past (by the machine's clock)
};
sdk::Result<Certificate> read_certificate(std::string_view pem);

// WeChat Pay's verification keys by serial: platform certificates and/or the public key of
// the public-key mode. Immutable once built; shared read-only by request threads.
class PlatformKeys {
 public:
  // False if the serial is already taken by another key.
  bool add(std::string_view serial, sdk::crypto::PublicKey key);
  const sdk::crypto::PublicKey* find(std::string_view serial) const;
  bool empty() const { return keys_.empty(); }
  std::size_t size() const { return keys_.size(); }

 private:
  std::map<std::string, sdk::crypto::PublicKey, std::less<>> keys_;
};

// Checks the Wechatpay-{Timestamp,Nonce,Signature,Serial} headers of an answer or a
// notification over its exact raw `body` ("ts\nnonce\nbody\n"; a 204 has an empty body):
// all four present and well-formed, |now - ts| < 300 s, serial known, no probe signature,
// signature valid. Errors are invalid_request with codes missing_header, bad_header,
// stale_timestamp, unknown_serial, signature_probe, bad_signature; callers reading an
// answer turn them into `unavailable` (the outcome is unknown).
sdk::Status verify_signed_message(const PlatformKeys& keys, const sdk::Headers& headers,
                                  std::string_view body, std::int64_t now);

}  // namespace payhost::wechat
