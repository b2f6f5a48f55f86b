#include "options.hpp"

#include <algorithm>
#include <cctype>

#include "signing.hpp"

namespace payhost::alipay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;
using sdk::OptionSpec;
namespace option = sdk::option;

sdk::Error option_error(std::string_view name, std::string message) {
  return make_error(ErrorKind::invalid_request, "invalid_option",
                    std::string(name) + ": " + message, std::string(name));
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "https://user@Host:443/path" -> "host"; "" when it is not an absolute URL.
std::string url_host(std::string_view url) {
  const auto scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (!rest.empty() && rest.front() == '[') {  // IPv6 literal
    const auto close = rest.find(']');
    return lower(rest.substr(0, close == std::string_view::npos ? rest.size() : close + 1));
  }
  return lower(rest.substr(0, rest.find(':')));
}

// The same key pair can be spelled many ways; compare what the keys do instead.
bool same_private_key(const sdk::crypto::PrivateKey& configured, const std::string& sandbox_pem) {
  auto sandbox = load_private_key(sandbox_pem);
  return sandbox && sandbox->public_key_pem() == configured.public_key_pem();
}

bool is_sandbox_public_key(const sdk::crypto::PublicKey& configured,
                           const sdk::KeyPairPem& sandbox_platform) {
  auto sandbox_private = load_private_key(sandbox_platform.private_key);
  if (!sandbox_private) return false;
  static constexpr std::string_view kProbe = "payhost alipay live-mode key probe";
  auto signature = sdk::crypto::rsa_sha256_sign(*sandbox_private, kProbe);
  return signature && sdk::crypto::rsa_sha256_verify(configured, kProbe, *signature);
}

}  // namespace

std::vector<OptionSpec> option_specs() {
  return {
      option::string("app_id",
                     "Alipay APPID of the merchant app (16 digits). Required in live mode; test "
                     "mode defaults to 9021000000000001."),
      option::string(
          "app_private_key",
          "The app's RSA2 private key: PEM PKCS#1 (RSA PRIVATE KEY) or PKCS#8 (PRIVATE KEY), "
          "wrapped or on one line, or bare base64 as Alipay's key tool prints it. Required in "
          "live mode; test mode defaults to the sandbox key pair \"alipay-merchant\".")
          .as_secret(),
      option::string(
          "alipay_public_key",
          "Alipay's RSA2 public key from the console: PEM, bare base64, or the "
          "alipayCertPublicKey_RSA2.crt certificate (of a chain, the first certificate is used). "
          "Not secret, but taking it as a secret lets "
          "you give alipay_public_key_file. Required in live mode; test mode defaults to the "
          "public half of the sandbox key pair \"alipay-platform\".")
          .as_secret(),
      option::string("gateway_url",
                     "OpenAPI gateway. Empty: https://openapi.alipay.com/gateway.do in live mode, "
                     "<public_url>/sandbox/alipay/gateway.do in test mode. Live mode refuses "
                     "sandbox and local gateways.")
          .with_default(""),
      option::string(
          "seller_id",
          "Alipay seller (PID, 2088...). When set, a notification must carry this seller_id or it "
          "is refused (seller_mismatch).")
          .with_default(""),
      option::integer(
          "timeout_ms",
          "Timeout of each server-to-server call (precreate, query, close, refund), in ms.")
          .with_default(10000)
          .in_range(100, 120000),
      option::string("notify_url",
                     "Where Alipay posts notifications. Empty: the host's /notify/alipay URL. Must "
                     "be reachable by Alipay over https in live mode.")
          .with_default(""),
      option::string("return_url",
                     "Browser return URL for alipay_wap and alipay_pc_direct when the charge's "
                     "extra.success_url is absent.")
          .with_default(""),
  };
}

bool is_non_production_gateway(std::string_view url) {
  const std::string lowered = lower(url);
  if (lowered.find("/sandbox/") != std::string::npos) return true;
  // The real Alipay sandbox: live payments must never be confirmed by it.
  if (lowered.find("alipaydev.com") != std::string::npos) return true;
  const std::string host = url_host(url);
  return host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") ||
         host == "0.0.0.0" || host == "[::1]" || host == "[::]" || host.empty();
}

sdk::Result<Settings> resolve_settings(const sdk::Options& options, const StartContext& context) {
  Settings s;
  s.livemode = context.livemode;
  s.app_id = options.get_string("app_id");
  s.gateway_url = options.get_string("gateway_url");
  s.seller_id = options.get_string("seller_id");
  s.notify_url = options.get_string("notify_url");
  s.return_url = options.get_string("return_url");
  s.timeout = std::chrono::milliseconds(options.get_int("timeout_ms", 10000));
  const std::string private_text = options.get_string("app_private_key");
  const std::string public_text = options.get_string("alipay_public_key");

  if (context.livemode) {
    if (s.app_id.empty()) return option_error("app_id", "required in live mode");
    if (private_text.empty()) return option_error("app_private_key", "required in live mode");
    if (public_text.empty()) return option_error("alipay_public_key", "required in live mode");
    if (s.gateway_url.empty()) s.gateway_url = std::string(kProductionGateway);
    if (is_non_production_gateway(s.gateway_url)) {
      return option_error("gateway_url",
                          "live mode refuses a sandbox or local gateway: " + s.gateway_url);
    }
    if (!lower(s.gateway_url).starts_with("https://")) {
      return option_error("gateway_url", "live mode requires an https:// gateway");
    }
  } else if (s.app_id.empty()) {
    s.app_id = std::string(kDefaultTestAppId);
  }

  if (!private_text.empty()) {
    auto key = load_private_key(private_text);
    if (!key) return option_error("app_private_key", key.error().message);
    s.app_private_key = std::move(*key);
  } else if (context.sandbox_merchant) {
    auto key = load_private_key(context.sandbox_merchant->private_key);
    if (!key) return option_error("app_private_key", "sandbox key: " + key.error().message);
    s.app_private_key = std::move(*key);
    s.using_sandbox_keys = true;
  } else {
    return option_error("app_private_key", "not set and no sandbox key pair available");
  }

  if (!public_text.empty()) {
    auto key = load_public_key(public_text);
    if (!key) return option_error("alipay_public_key", key.error().message);
    s.alipay_public_key = std::move(*key);
  } else if (context.sandbox_platform) {
    auto key = load_public_key(context.sandbox_platform->public_key);
    if (!key) return option_error("alipay_public_key", "sandbox key: " + key.error().message);
    s.alipay_public_key = std::move(*key);
    s.using_sandbox_keys = true;
  } else {
    return option_error("alipay_public_key", "not set and no sandbox key pair available");
  }

  if (context.livemode) {
    if (context.sandbox_merchant &&
        same_private_key(s.app_private_key, context.sandbox_merchant->private_key)) {
      return option_error("app_private_key", "live mode refuses the sandbox key pair");
    }
    if (context.sandbox_platform &&
        is_sandbox_public_key(s.alipay_public_key, *context.sandbox_platform)) {
      return option_error("alipay_public_key", "live mode refuses the sandbox key pair");
    }
  }
  return s;
}

}  // namespace payhost::alipay
