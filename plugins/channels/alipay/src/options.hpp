// The plugin's option table and the checks that turn validated options into settings.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/host.hpp"
#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::alipay {

inline constexpr std::string_view kProductionGateway = "https://openapi.alipay.com/gateway.do";
// Appended to host.public_url() in test mode: the sandbox plugin's Alipay simulator.
inline constexpr std::string_view kSandboxGatewayPath = "/sandbox/alipay/gateway.do";
// Used in test mode when app_id is not configured (the shipped config sets the same).
inline constexpr std::string_view kDefaultTestAppId = "9021000000000001";
// host.sandbox_keypair names shared with the sandbox simulator.
inline constexpr std::string_view kSandboxMerchantKeyPair = "alipay-merchant";
inline constexpr std::string_view kSandboxPlatformKeyPair = "alipay-platform";

std::vector<sdk::OptionSpec> option_specs();

// What start-up knows besides the options: the mode, and the sandbox key pairs when the
// host could provide them (it need not in live mode).
struct StartContext {
  bool livemode = false;
  std::optional<sdk::KeyPairPem> sandbox_merchant;
  std::optional<sdk::KeyPairPem> sandbox_platform;
};

// Immutable after start; shared read-only by every request thread.
struct Settings {
  bool livemode = false;
  std::string app_id;
  sdk::crypto::PrivateKey app_private_key;
  sdk::crypto::PublicKey alipay_public_key;
  std::string gateway_url;  // empty: <public_url>/sandbox/alipay/gateway.do, per request
  std::string seller_id;
  std::string notify_url;  // empty: the host's notify URL
  std::string return_url;
  std::chrono::milliseconds timeout{10000};
  bool using_sandbox_keys = false;
};

// Parses the keys (once) and applies the live-mode safety rules: app_id and both keys
// required, no sandbox/localhost gateway, no sandbox key pairs. Errors are invalid_request
// with `param` naming the option.
sdk::Result<Settings> resolve_settings(const sdk::Options& options, const StartContext& context);

// Whether a gateway URL points at a simulator or this machine (refused in live mode).
bool is_non_production_gateway(std::string_view url);

}  // namespace payhost::alipay
