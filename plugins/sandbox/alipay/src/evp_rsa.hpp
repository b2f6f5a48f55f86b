// RSA-SHA256 (PKCS#1 v1.5) straight over OpenSSL EVP. The simulator deliberately does not
// use the SDK's crypto helpers that the Alipay channel uses: if both sides shared one
// signing routine, a bug in it would sign and verify consistently and never show up.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/result.hpp"

struct evp_pkey_st;

namespace payhost::sandbox_alipay::rsa {

class Key {
 public:
  // PEM "PRIVATE KEY" (PKCS#8) or "RSA PRIVATE KEY" (PKCS#1): what sandbox_keypair() gives.
  static sdk::Result<Key> private_from_pem(std::string_view pem);
  // PEM "PUBLIC KEY" (SubjectPublicKeyInfo) or "RSA PUBLIC KEY" (PKCS#1).
  static sdk::Result<Key> public_from_pem(std::string_view pem);

  evp_pkey_st* get() const noexcept { return key_.get(); }
  bool empty() const noexcept { return !key_; }

 private:
  std::shared_ptr<evp_pkey_st> key_;
};

// Base64 (standard, padded, one line) of RSA-SHA256 over `data`; nullopt if OpenSSL fails.
std::optional<std::string> sign_base64(const Key& private_key, std::string_view data);

// False for a bad signature, bad base64 or any OpenSSL error.
bool verify_base64(const Key& public_key, std::string_view data, std::string_view signature_b64);

}  // namespace payhost::sandbox_alipay::rsa
