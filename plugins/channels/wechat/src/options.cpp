#include "options.hpp"

#include <algorithm>
#include <cctype>

#include "sandbox_identity.hpp"

namespace payhost::wechat {
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

bool all_of(std::string_view s, bool (*allowed)(char)) {
  return std::all_of(s.begin(), s.end(), allowed);
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}
bool is_alnum(char c) {
  return is_digit(c) || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}
bool is_app_id_char(char c) {
  return is_alnum(c) || c == '_' || c == '-';
}

std::string upper(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
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

sdk::Status check_api_base(std::string_view base) {
  const std::string l = lower(base);
  if (!l.starts_with("http://") && !l.starts_with("https://")) {
    return option_error("api_base", "must be an absolute http:// or https:// URL");
  }
  if (url_host(base).empty()) return option_error("api_base", "has no host");
  for (const char c : base) {
    if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#' || c == '"' || c == '\\') {
      return option_error("api_base",
                          "must not hold spaces, controls, non-ASCII, a query or a fragment");
    }
  }
  return {};
}

sdk::Result<sdk::crypto::PublicKey> rsa_public_key(std::string_view name, std::string_view text) {
  auto key = sdk::crypto::PublicKey::parse(text);
  if (!key) return option_error(name, key.error().message);
  if (sdk::crypto::rsa_public_exponent(*key) == 0) return option_error(name, "not an RSA key");
  return key;
}

sdk::Result<sdk::crypto::PrivateKey> rsa_private_key(std::string_view name, std::string_view text) {
  auto key = sdk::crypto::PrivateKey::parse(text);
  if (!key) return option_error(name, key.error().message);
  auto pub = sdk::crypto::PublicKey::parse(key->public_key_pem());
  if (!pub || sdk::crypto::rsa_public_exponent(*pub) == 0) {
    return option_error(name, "not an RSA key");
  }
  return key;
}

// What the options themselves hold, parsed; empty/absent where not configured.
struct Configured {
  std::string mchid, app_id, pub_app_id, lite_app_id, serial_no, api_v3_key, api_base;
  std::optional<sdk::crypto::PrivateKey> merchant_key;
  std::vector<Certificate> certificates;
  std::optional<sdk::crypto::PublicKey> public_key;
  std::string public_key_id;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
};

sdk::Result<Configured> read_configured(const sdk::Options& options) {
  Configured c;
  c.mchid = options.get_string("mchid");
  if (!c.mchid.empty() && (c.mchid.size() > 32 || !all_of(c.mchid, is_digit))) {
    return option_error("mchid", "must be the merchant number: 1-32 digits");
  }
  for (const char* name : {"app_id", "pub_app_id", "lite_app_id"}) {
    const std::string value = options.get_string(name);
    if (!value.empty() && (value.size() > 32 || !all_of(value, is_app_id_char))) {
      return option_error(name, "must be an AppID: 1-32 letters, digits, '_' or '-'");
    }
  }
  c.app_id = options.get_string("app_id");
  c.pub_app_id = options.get_string("pub_app_id");
  c.lite_app_id = options.get_string("lite_app_id");

  c.serial_no = options.get_string("merchant_serial_no");
  if (!c.serial_no.empty() && (c.serial_no.size() > 64 || !all_of(c.serial_no, is_hex))) {
    return option_error("merchant_serial_no",
                        "must be the merchant API certificate serial in hex (1-64 digits)");
  }
  c.serial_no = upper(c.serial_no);

  c.api_v3_key = options.get_string("api_v3_key");
  if (!c.api_v3_key.empty() && c.api_v3_key.size() != 32) {
    return option_error("api_v3_key", "must be exactly 32 bytes (AES-256), got " +
                                          std::to_string(c.api_v3_key.size()));
  }

  if (const std::string text = options.get_string("merchant_private_key"); !text.empty()) {
    auto key = rsa_private_key("merchant_private_key", text);
    if (!key) return key.error();
    c.merchant_key = std::move(*key);
  }

  const auto certificates = options.get_list("platform_certificates");
  for (std::size_t i = 0; i < certificates.size(); ++i) {
    const std::string name = "platform_certificates[" + std::to_string(i) + "]";
    auto cert = read_certificate(certificates[i]);
    if (!cert) {
      return option_error(
          name, cert.error().message + " (give the PEM text itself, e.g. as a YAML block scalar)");
    }
    for (const auto& earlier : c.certificates) {
      if (earlier.serial == cert->serial) {
        return option_error(name, "serial " + cert->serial + " is listed twice");
      }
    }
    c.certificates.push_back(std::move(*cert));
  }

  const std::string public_key_text = options.get_string("wechatpay_public_key");
  c.public_key_id = options.get_string("wechatpay_public_key_id");
  if (!public_key_text.empty() && c.public_key_id.empty()) {
    return option_error("wechatpay_public_key_id",
                        "required with wechatpay_public_key (the PUB_KEY_ID_... it is named by)");
  }
  if (public_key_text.empty() && !c.public_key_id.empty()) {
    return option_error("wechatpay_public_key", "required with wechatpay_public_key_id");
  }
  if (!c.public_key_id.empty()) {
    const std::string_view rest =
        std::string_view(c.public_key_id)
            .substr(c.public_key_id.starts_with(kPublicKeyIdPrefix) ? kPublicKeyIdPrefix.size()
                                                                    : 0);
    if (!c.public_key_id.starts_with(kPublicKeyIdPrefix) || rest.empty() || rest.size() > 64 ||
        !all_of(rest, is_alnum)) {
      return option_error("wechatpay_public_key_id",
                          "must be \"PUB_KEY_ID_\" followed by 1-64 letters or digits");
    }
    auto key = rsa_public_key("wechatpay_public_key", public_key_text);
    if (!key) return key.error();
    c.public_key = std::move(*key);
  }

  c.api_base = options.get_string("api_base");
  while (!c.api_base.empty() && c.api_base.back() == '/')
    c.api_base.pop_back();
  if (!c.api_base.empty()) {
    if (auto st = check_api_base(c.api_base); !st) return st.error();
  }

  c.connect_timeout = std::chrono::milliseconds(options.get_int("connect_timeout_ms", 3000));
  c.timeout = std::chrono::milliseconds(options.get_int("timeout_ms", 10000));
  if (c.connect_timeout > c.timeout) {
    return option_error("connect_timeout_ms", "must not exceed timeout_ms (" +
                                                  std::to_string(c.timeout.count()) + " ms)");
  }
  return c;
}

// The same key pair can be spelled many ways; compare what the keys do instead.
bool same_private_key(const sdk::crypto::PrivateKey& configured, const std::string& sandbox_pem) {
  auto sandbox = sdk::crypto::PrivateKey::parse(sandbox_pem);
  return sandbox && sandbox->public_key_pem() == configured.public_key_pem();
}

bool is_sandbox_public_key(const sdk::crypto::PublicKey& configured,
                           const sdk::KeyPairPem& sandbox_platform) {
  auto sandbox_private = sdk::crypto::PrivateKey::parse(sandbox_platform.private_key);
  if (!sandbox_private) return false;
  static constexpr std::string_view kProbe = "payhost wechat live-mode key probe";
  auto signature = sdk::crypto::rsa_sha256_sign(*sandbox_private, kProbe);
  return signature && sdk::crypto::rsa_sha256_verify(configured, kProbe, *signature);
}

sdk::Status refuse_sandbox_material(const Configured& c, const StartContext& context) {
  if (context.sandbox_merchant && c.merchant_key &&
      same_private_key(*c.merchant_key, context.sandbox_merchant->private_key)) {
    return option_error("merchant_private_key", "live mode refuses the sandbox key pair");
  }
  if (!context.sandbox_platform) return {};
  for (std::size_t i = 0; i < c.certificates.size(); ++i) {
    if (is_sandbox_public_key(c.certificates[i].key, *context.sandbox_platform)) {
      return option_error("platform_certificates[" + std::to_string(i) + "]",
                          "live mode refuses the sandbox key pair");
    }
  }
  if (c.public_key && is_sandbox_public_key(*c.public_key, *context.sandbox_platform)) {
    return option_error("wechatpay_public_key", "live mode refuses the sandbox key pair");
  }
  if (c.api_v3_key == sandbox_api_v3_key(context.sandbox_platform->public_key)) {
    return option_error("api_v3_key", "live mode refuses the sandbox APIv3 key");
  }
  return {};
}

sdk::Status add_configured_platform_keys(const Configured& c, Settings& s) {
  for (std::size_t i = 0; i < c.certificates.size(); ++i) {
    if (!s.platform_keys.add(c.certificates[i].serial, c.certificates[i].key)) {
      return option_error("platform_certificates[" + std::to_string(i) + "]",
                          "serial " + c.certificates[i].serial + " is listed twice");
    }
    if (c.certificates[i].expired) s.expired_certificates.push_back(c.certificates[i].serial);
  }
  if (c.public_key && !s.platform_keys.add(c.public_key_id, *c.public_key)) {
    return option_error("wechatpay_public_key_id", "clashes with a certificate serial");
  }
  return {};
}

}  // namespace

std::vector<OptionSpec> option_specs() {
  return {
      option::string("mchid",
                     "WeChat Pay merchant number (商户号). Required in live mode; test mode "
                     "defaults to 1230000109."),
      option::string("app_id",
                     "AppID of the mobile app (wx). Required in live mode; test mode defaults to "
                     "wxd678efh567hg6787."),
      option::string(
          "pub_app_id",
          "AppID of the official account, used by wx_pub, wx_wap and wx_pub_qr. Empty: app_id."),
      option::string("lite_app_id", "AppID of the mini program, used by wx_lite. Empty: app_id."),
      option::string(
          "merchant_private_key",
          "The merchant API private key (apiclient_key.pem): PEM PKCS#8 or PKCS#1, or bare base64. "
          "Required in live mode; test mode defaults to the sandbox key pair \"wechat-merchant\".")
          .as_secret(),
      option::string("merchant_serial_no",
                     "Serial number (hex) of the merchant API certificate that goes with "
                     "merchant_private_key. Required in live mode, and in test mode when "
                     "merchant_private_key is set."),
      option::string("api_v3_key",
                     "The APIv3 key (exactly 32 bytes) that decrypts notifications. Required in "
                     "live mode; test mode derives the sandbox's.")
          .as_secret(),
      option::string_list("platform_certificates",
                          "WeChat Pay platform certificates, each the PEM text of one certificate; "
                          "an answer is verified with the one whose serial its Wechatpay-Serial "
                          "names. Live mode needs these and/or wechatpay_public_key.")
          .with_default(sdk::Json::array()),
      option::string(
          "wechatpay_public_key",
          "The WeChat Pay public key (public-key mode, pub_key.pem). Not secret; declared secret "
          "so that wechatpay_public_key_file works. Needs wechatpay_public_key_id.")
          .as_secret(),
      option::string("wechatpay_public_key_id",
                     "The id of wechatpay_public_key (\"PUB_KEY_ID_...\"), as answers name it in "
                     "Wechatpay-Serial."),
      option::string("api_base",
                     "API base URL. Empty: https://api.mch.weixin.qq.com in live mode, "
                     "<public_url>/sandbox/wechat in test mode. Live mode refuses sandbox and "
                     "local bases and requires https.")
          .with_default(""),
      option::integer("connect_timeout_ms",
                      "Connect (TCP and TLS) timeout of each API call, in ms.")
          .with_default(3000)
          .in_range(100, 60000),
      option::integer("timeout_ms",
                      "Total timeout of each API call (prepay, query, close, refund), in ms.")
          .with_default(10000)
          .in_range(100, 120000),
  };
}

bool is_non_production_base(std::string_view url) {
  const std::string lowered = lower(url);
  if (lowered.find("/sandbox") != std::string::npos) return true;
  const std::string host = url_host(url);
  return host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") ||
         host == "0.0.0.0" || host == "[::1]" || host == "[::]" || host.empty();
}

sdk::Status check_options(const sdk::Options& options) {
  auto configured = read_configured(options);
  if (!configured) return configured.error();
  return {};
}

sdk::Result<Settings> resolve_settings(const sdk::Options& options, const StartContext& context) {
  auto read = read_configured(options);
  if (!read) return read.error();
  Configured& c = *read;

  Settings s;
  s.livemode = context.livemode;
  s.connect_timeout = c.connect_timeout;
  s.timeout = c.timeout;
  s.api_base = c.api_base;

  if (context.livemode) {
    if (c.mchid.empty()) return option_error("mchid", "required in live mode");
    if (c.app_id.empty()) return option_error("app_id", "required in live mode");
    if (!c.merchant_key) return option_error("merchant_private_key", "required in live mode");
    if (c.serial_no.empty()) return option_error("merchant_serial_no", "required in live mode");
    if (c.api_v3_key.empty()) return option_error("api_v3_key", "required in live mode");
    if (c.certificates.empty() && !c.public_key) {
      return option_error("platform_certificates",
                          "live mode needs platform_certificates and/or wechatpay_public_key "
                          "with wechatpay_public_key_id");
    }
    if (s.api_base.empty()) s.api_base = std::string(kProductionApiBase);
    if (is_non_production_base(s.api_base)) {
      return option_error("api_base",
                          "live mode refuses a sandbox or local API base: " + s.api_base);
    }
    if (!lower(s.api_base).starts_with("https://")) {
      return option_error("api_base", "live mode requires an https:// API base");
    }
    if (auto st = refuse_sandbox_material(c, context); !st) return st.error();
    s.mchid = c.mchid;
    s.app_id = c.app_id;
    s.merchant_key = std::move(*c.merchant_key);
    s.merchant_serial_no = c.serial_no;
    s.api_v3_key = c.api_v3_key;
    if (auto st = add_configured_platform_keys(c, s); !st) return st.error();
  } else {
    auto fill = [&](std::string& value, const std::string& configured, std::string_view fallback,
                    const char* name) {
      value = configured;
      if (value.empty()) {
        value = std::string(fallback);
        s.from_sandbox.emplace_back(name);
      }
    };
    fill(s.mchid, c.mchid, kSandboxMchid, "mchid");
    fill(s.app_id, c.app_id, kSandboxAppId, "app_id");

    if (c.merchant_key) {
      if (c.serial_no.empty()) {
        return option_error("merchant_serial_no", "required when merchant_private_key is set");
      }
      s.merchant_key = std::move(*c.merchant_key);
      s.merchant_serial_no = c.serial_no;
    } else if (context.sandbox_merchant) {
      auto key = rsa_private_key("merchant_private_key", context.sandbox_merchant->private_key);
      if (!key) return key.error();
      s.merchant_key = std::move(*key);
      s.from_sandbox.emplace_back("merchant_private_key");
      s.merchant_serial_no = c.serial_no;
      if (s.merchant_serial_no.empty()) {
        s.merchant_serial_no = sandbox_certificate_serial(context.sandbox_merchant->public_key);
        s.from_sandbox.emplace_back("merchant_serial_no");
      }
    } else {
      return option_error("merchant_private_key", "not set and no sandbox key pair available");
    }

    const bool platform_configured = !c.certificates.empty() || c.public_key.has_value();
    if ((c.api_v3_key.empty() || !platform_configured) && !context.sandbox_platform) {
      return option_error(c.api_v3_key.empty() ? "api_v3_key" : "platform_certificates",
                          "not set and no sandbox key pair available");
    }
    fill(s.api_v3_key, c.api_v3_key,
         c.api_v3_key.empty() ? sandbox_api_v3_key(context.sandbox_platform->public_key) : "",
         "api_v3_key");
    if (platform_configured) {
      if (auto st = add_configured_platform_keys(c, s); !st) return st.error();
    } else {
      // The simulator names its key either way (its serial_style option).
      const std::string& pem = context.sandbox_platform->public_key;
      auto key = rsa_public_key("wechatpay_public_key", pem);
      if (!key) return key.error();
      s.platform_keys.add(sandbox_certificate_serial(pem), *key);
      s.platform_keys.add(sandbox_public_key_id(pem), *key);
      s.from_sandbox.emplace_back("wechatpay_public_key");
    }
  }
  s.pub_app_id = c.pub_app_id.empty() ? s.app_id : c.pub_app_id;
  s.lite_app_id = c.lite_app_id.empty() ? s.app_id : c.lite_app_id;
  return s;
}

}  // namespace payhost::wechat
