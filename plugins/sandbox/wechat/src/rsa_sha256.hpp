// RSA PKCS#1 v1.5 with SHA-256 ("SHA256-RSA2048" in WeChat's words) straight over OpenSSL
// EVP, plus the SHA-256 digest. The simulator checks what the wechat channel plugin signs,
// so it must not share that plugin's signing code (the SDK's crypto helpers): one shared
// bug would sign and verify consistently and never show up.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/result.hpp"

struct evp_pkey_st;

namespace payhost::sandbox_wechat {

class RsaKey {
 public:
  // PEM "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1): what sandbox_keypair() gives.
  static sdk::Result<RsaKey> private_from_pem(std::string_view pem);
  // PEM "PUBLIC KEY" (SubjectPublicKeyInfo), "RSA PUBLIC KEY" (PKCS#1) or an X.509
  // "CERTIFICATE" (WeChat hands out platform keys as certificates).
  static sdk::Result<RsaKey> public_from_pem(std::string_view pem);

  evp_pkey_st* get() const noexcept { return key_.get(); }
  bool empty() const noexcept { return !key_; }

 private:
  std::shared_ptr<evp_pkey_st> key_;
};

// Standard base64 (padded, one line) of the signature over `data`; nullopt if OpenSSL fails.
std::optional<std::string> rsa_sign_base64(const RsaKey& private_key, std::string_view data);

// False for a bad signature, bad base64 or any OpenSSL error.
bool rsa_verify_base64(const RsaKey& public_key, std::string_view data,
                       std::string_view signature_b64);

// Raw 32-byte digest; throws std::runtime_error only if OpenSSL itself fails.
std::string sha256_digest(std::string_view data);

}  // namespace payhost::sandbox_wechat
