// ACP 5.1.0 signatures (signMethod 01) straight over OpenSSL EVP: the fields but
// `signature`, empty ones dropped, sorted by name and joined k=v&… with raw values; the
// lowercase hex SHA-256 of that text; RSA PKCS#1 v1.5 SHA-256 over the hex text; base64.
// The simulator checks what the unionpay channel plugin signs, so it must not share that
// plugin's signing code (nor the SDK's RSA helpers): one shared bug would sign and verify
// consistently and never show up.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/result.hpp"

struct evp_pkey_st;
struct x509_st;

namespace payhost::sandbox_unionpay {

// A message's fields, by name (std::map: sorted by byte value, as ACP sorts).
using Fields = std::map<std::string, std::string>;

class RsaKey {
 public:
  // PEM "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1): what sandbox_keypair() gives.
  static sdk::Result<RsaKey> private_from_pem(std::string_view pem);
  // The public key of a certificate.
  static sdk::Result<RsaKey> public_from_certificate(x509_st* certificate);
  // Takes one reference of `key` (the caller keeps its own).
  static RsaKey share(evp_pkey_st* key);

  evp_pkey_st* get() const noexcept { return key_.get(); }
  bool empty() const noexcept { return !key_; }

 private:
  std::shared_ptr<evp_pkey_st> key_;
};

// Lowercase hex SHA-256 of `data`; throws std::runtime_error only if OpenSSL fails.
std::string sha256_hex(std::string_view data);

// "k=v&k=v" of every field but `signature` with a non-empty value, sorted by name.
std::string signing_string(const Fields& fields);

// base64(RSA-SHA256(sha256_hex(signing_string(fields)))); nullopt if OpenSSL fails.
std::optional<std::string> sign_fields(const RsaKey& private_key, const Fields& fields);

// True when `signature_b64` is sign_fields' result for `fields` under the key's pair.
bool verify_fields(const RsaKey& public_key, const Fields& fields, std::string_view signature_b64);

// The raw RSA-SHA256 primitives under the rule above (exposed for the tamper hooks and
// tests).
std::optional<std::string> rsa_sha256_sign(const RsaKey& private_key, std::string_view data);
bool rsa_sha256_verify(const RsaKey& public_key, std::string_view data, std::string_view signature);

}  // namespace payhost::sandbox_unionpay
