// The plugin's option table, and the checks that turn validated options into settings:
// the merchant's signing key (.pfx + password, or PEM key + certificate), UnionPay's root
// and intermediate certificates, the merchant and Apple merchant ids, the gateway.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "certificates.hpp"
#include "merchant_key.hpp"
#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::unionpay {

inline constexpr std::string_view kProductionGatewayBase = "https://gateway.95516.com";
// Test mode: appended to host.public_url() when gateway_base is not set.
inline constexpr std::string_view kSandboxGatewayPath = "/sandbox/unionpay";
// Test mode: what the sandbox_unionpay simulator writes under host.data_dir().
inline constexpr std::string_view kSandboxDir = "sandbox-unionpay";
inline constexpr std::string_view kSandboxPfxPassword = "000000";
inline constexpr std::string_view kSandboxMerId = "777290058167151";
inline constexpr std::string_view kSandboxAppleMerchantId = "merchant.com.payhost.sandbox";
// The public exponent of every key pair the host's sandbox generates (never a live key).
inline constexpr unsigned long kSandboxPublicExponent = 65539;

std::vector<sdk::OptionSpec> option_specs();

// Everything needed to sign requests and trust answers; immutable once loaded.
struct Material {
  MerchantKey signer;
  SignerTrust trust;
};

// Where material comes from: configured (parsed at start) or, in test mode, the
// simulator's files, which may appear only after this plugin has started.
struct MaterialSource {
  std::optional<MerchantKey> signer;
  std::string sandbox_pfx;  // used when !signer
  std::optional<SignerTrust> trust;
  std::string sandbox_root;  // used when !trust
  std::string sandbox_middle;
};

// Loads what the source names. A sandbox file that does not exist is the error
// sandbox_not_ready (kind channel) asking to enable the sandbox_unionpay plugin.
sdk::Result<std::shared_ptr<const Material>> load_material(const MaterialSource& source);

struct StartContext {
  bool livemode = false;
  std::string data_dir;
  std::vector<std::string> enabled_channels;  // may be empty when the host cannot tell
};

// Immutable after start; shared read-only by every request thread.
struct Settings {
  bool livemode = false;
  std::string mer_id;
  std::string apple_merchant_id;
  std::string gateway_base;  // no trailing '/'; empty: <public_url>/sandbox/unionpay
  std::string notify_url;    // empty: the host's
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
  std::shared_ptr<const Material> material;  // null until loaded (test mode only)
  MaterialSource source;
  std::vector<std::string> from_sandbox;  // options test mode filled in
};

// Checks every configured value on its own (formats, files, the .pfx and its password,
// the certificates, pairs of options that go together) without the host. Errors are
// invalid_request with `param` naming the option.
sdk::Status check_options(const sdk::Options& options);

// check_options, then the mode's rules. Live mode requires mer_id, a signing key, root_cert,
// middle_cert (and apple_merchant_id when applepay_upacp is enabled), refuses sandbox keys,
// and a gateway that is local, a sandbox, UnionPay's test gateway or not https. Test mode
// fills what is missing from the simulator's files, loading them now if they exist.
sdk::Result<Settings> resolve_settings(const sdk::Options& options, const StartContext& context);

// Whether a gateway base points at a simulator, UnionPay's test gateway or this machine.
bool is_non_production_gateway(std::string_view url);

}  // namespace payhost::unionpay
