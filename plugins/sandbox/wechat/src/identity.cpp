#include "identity.hpp"

#include "payhost/sdk/encoding.hpp"
#include "rsa_sha256.hpp"

namespace payhost::sandbox_wechat {

std::string certificate_serial(std::string_view public_key_pem) {
  return sdk::hex_upper(sha256_digest(public_key_pem)).substr(0, 40);
}

std::string public_key_id(std::string_view platform_public_key_pem) {
  const std::string digest = sha256_digest(platform_public_key_pem);
  std::string out = "PUB_KEY_ID_";
  for (std::size_t i = 0; i < 32; ++i) {
    out += static_cast<char>('0' + static_cast<unsigned char>(digest[i]) % 10);
  }
  return out;
}

std::string apiv3_key(std::string_view platform_public_key_pem) {
  std::string input = "payhost-sandbox-apiv3:";
  input.append(platform_public_key_pem);
  return sdk::hex_lower(sha256_digest(input)).substr(0, 32);
}

}  // namespace payhost::sandbox_wechat
