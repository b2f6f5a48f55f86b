// What "WeChat Pay" signs with: the platform private key and the serial that names it.
// Answers and notifications carry Wechatpay-Timestamp, -Nonce, -Signature (RSA-SHA256 over
// TIMESTAMP\nNONCE\nBODY\n of the exact body bytes) and -Serial.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/http.hpp"
#include "rsa_sha256.hpp"

namespace payhost::sandbox_wechat {

struct SignedHeaders {
  std::string timestamp;
  std::string nonce;
  std::string signature;
  std::string serial;

  // Sets the four Wechatpay-* headers and a fresh Request-ID.
  void apply(sdk::Headers& headers) const;
};

struct PlatformSigner {
  RsaKey private_key;
  std::string serial;  // certificate serial or PUB_KEY_ID_…, per serial_style

  // nullopt only when OpenSSL fails.
  std::optional<SignedHeaders> sign(std::string_view body, std::int64_t now) const;
};

}  // namespace payhost::sandbox_wechat
