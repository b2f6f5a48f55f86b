// The names the sandbox keys go by, derived from the PEM text host.sandbox_keypair()
// returns exactly as the test-mode contract with the channel says (README.md), so the
// channel plugin computes the same values on its side without sharing code:
//   certificate serial = first 40 of hex_upper(sha256(public PEM)),
//   public key id      = "PUB_KEY_ID_" + 32 digits, digit i = byte i of sha256(platform
//                        public PEM) % 10,
//   APIv3 key          = first 32 of hex_lower(sha256("payhost-sandbox-apiv3:" + platform
//                        public PEM)).
#pragma once

#include <string>
#include <string_view>

namespace payhost::sandbox_wechat {

std::string certificate_serial(std::string_view public_key_pem);
std::string public_key_id(std::string_view platform_public_key_pem);
std::string apiv3_key(std::string_view platform_public_key_pem);

}  // namespace payhost::sandbox_wechat
