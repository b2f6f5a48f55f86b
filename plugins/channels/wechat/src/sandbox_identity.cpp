#include "sandbox_identity.hpp"

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "signing.hpp"

namespace payhost::wechat {

std::string sandbox_certificate_serial(std::string_view public_key_pem) {
  return sdk::hex_upper(sdk::crypto::sha256(public_key_pem)).substr(0, 40);
}

std::string sandbox_public_key_id(std::string_view platform_public_key_pem) {
  const std::string digest = sdk::crypto::sha256(platform_public_key_pem);
  std::string id(kPublicKeyIdPrefix);
  for (std::size_t i = 0; i < 32; ++i) {
    id.push_back(static_cast<char>('0' + static_cast<unsigned char>(digest[i]) % 10));
  }
  return id;
}

std::string sandbox_api_v3_key(std::string_view platform_public_key_pem) {
  std::string input = "payhost-sandbox-apiv3:";
  input.append(platform_public_key_pem);
  return sdk::hex_lower(sdk::crypto::sha256(input)).substr(0, 32);
}

}  // namespace payhost::wechat
