// Test mode: the identifiers the channel and payhost's WeChat Pay simulator both derive
// from the sandbox key pairs (host.sandbox_keypair), so neither needs the other's code or
// configuration. The rules are the shared test-mode contract; real WeChat Pay values come
// from the merchant platform instead.
#pragma once

#include <string>
#include <string_view>

namespace payhost::wechat {

// host.sandbox_keypair names shared with the simulator.
inline constexpr std::string_view kSandboxMerchantKeyPair = "wechat-merchant";
inline constexpr std::string_view kSandboxPlatformKeyPair = "wechat-platform";
inline constexpr std::string_view kSandboxMchid = "1230000109";
inline constexpr std::string_view kSandboxAppId = "wxd678efh567hg6787";
// Appended to host.public_url() when api_base is not set in test mode.
inline constexpr std::string_view kSandboxApiPath = "/sandbox/wechat";

// First 40 characters of the upper-case hex SHA-256 of the public key PEM text, exactly as
// host.sandbox_keypair returned it: the merchant or platform "certificate serial".
std::string sandbox_certificate_serial(std::string_view public_key_pem);
// "PUB_KEY_ID_" + 32 digits, digit i = byte i of SHA-256(platform public key PEM) mod 10.
std::string sandbox_public_key_id(std::string_view platform_public_key_pem);
// First 32 characters of the lower-case hex SHA-256 of "payhost-sandbox-apiv3:" + PEM.
std::string sandbox_api_v3_key(std::string_view platform_public_key_pem);

}  // namespace payhost::wechat
