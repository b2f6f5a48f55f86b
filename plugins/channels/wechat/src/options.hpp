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
#include "signing.hpp"

namespace payhost::wechat {

inline constexpr std::string_view kProductionApiBase = "https://api.mch.weixin.qq.com";

std::vector<sdk::OptionSpec> option_specs();

// What start-up knows besides the options: the mode, and the sandbox key pairs when the
// host could provide them (it does not in live mode).
struct StartContext {
  bool livemode = false;
  std::optional<sdk::KeyPairPem> sandbox_merchant;
  std::optional<sdk::KeyPairPem> sandbox_platform;
};

// Immutable after start; shared read-only by every request thread.
struct Settings {
  bool livemode = false;
  std::string mchid;
  std::string app_id;       // APP (wx)
  std::string pub_app_id;   // official account: wx_pub, and wx_wap / wx_pub_qr
  std::string lite_app_id;  // mini program: wx_lite
  sdk::crypto::PrivateKey merchant_key;
  std::string merchant_serial_no;  // upper-case hex
  std::string api_v3_key;          // exactly 32 bytes
  PlatformKeys platform_keys;
  std::string api_base;  // no trailing '/'; empty: <public_url>/sandbox/wechat, per request
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
  std::vector<std::string> from_sandbox;          // options test mode filled in
  std::vector<std::string> expired_certificates;  // serials, for a start-up warning
};

// Checks every configured value on its own (formats, keys, certificates, pairs of options
// that go together) without the host: what `payhostd config check` can say. Errors are
// invalid_request with `param` naming the option.
sdk::Status check_options(const sdk::Options& options);

// check_options, then the mode's rules: live mode requires mchid, app_id,
// merchant_private_key, merchant_serial_no, api_v3_key and a platform key source, refuses a
// sandbox or local api_base and the sandbox key pairs; test mode fills what is missing from
// the sandbox (a configured value wins). Keys are parsed here, once.
sdk::Result<Settings> resolve_settings(const sdk::Options& options, const StartContext& context);

// Whether an API base points at a simulator or this machine (refused in live mode).
bool is_non_production_base(std::string_view url);

}  // namespace payhost::wechat
