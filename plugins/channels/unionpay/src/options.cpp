#include "options.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "payhost/sdk/crypto.hpp"

namespace payhost::unionpay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;
using sdk::OptionSpec;
namespace option = sdk::option;

constexpr std::size_t kMaxFileBytes = 64 * 1024;
constexpr std::size_t kMaxUrl = 2048;

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

bool is_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
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

// An absolute http(s) URL with a host, and nothing that could change how UnionPay's raw
// k=v strings split or how a form posts it.
sdk::Status check_url(std::string_view name, std::string_view url, bool allow_query) {
  const std::string l = lower(url);
  if (!l.starts_with("http://") && !l.starts_with("https://")) {
    return option_error(name, "must be an absolute http:// or https:// URL");
  }
  if (url.size() > kMaxUrl) return option_error(name, "longer than 2048 bytes");
  if (url_host(url).empty()) return option_error(name, "has no host");
  for (const char c : url) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f || c == '#' || c == '"' || c == '\\' || c == '<' || c == '>' ||
        c == '{' || c == '}' || c == '[' || c == ']' || c == '&' || (!allow_query && c == '?')) {
      return option_error(name,
                          "must not hold spaces, controls, non-ASCII, a fragment, '&', quotes, "
                          "braces or brackets" +
                              std::string(allow_query ? "" : ", or a query"));
    }
  }
  return {};
}

sdk::Result<std::string> read_file(std::string_view name, const std::string& path) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return option_error(name, "cannot read " + path + ": " + ec.message());
  if (size == 0 || size > kMaxFileBytes) {
    return option_error(name, path + " must hold 1 byte to 64 KiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return option_error(name, "cannot open " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A certificate option: its PEM text itself, or the path of a PEM or DER file (the .cer
// files UnionPay hands out).
sdk::Result<std::string> certificate_text(std::string_view name, const std::string& value) {
  std::string_view v = value;
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.front())))
    v.remove_prefix(1);
  if (v.starts_with("-----BEGIN")) return value;
  return read_file(name, value);
}

// What the options themselves hold, parsed; empty/absent where not configured.
struct Configured {
  std::string mer_id, apple_merchant_id, gateway_base, notify_url;
  std::optional<MerchantKey> signer;
  std::string signer_option;  // which option holds the key, for messages
  std::optional<SignerTrust> trust;
  bool root_given = false, middle_given = false;
  std::chrono::milliseconds connect_timeout{3000};
  std::chrono::milliseconds timeout{10000};
};

sdk::Status read_signer(const sdk::Options& options, Configured& c) {
  const std::string pfx = options.get_string("sign_cert_pfx");
  const std::string key_pem = options.get_string("sign_private_key");
  const std::string cert = options.get_string("sign_cert");
  const bool password_given = !options.get("sign_cert_password").is_null();
  if (!pfx.empty() && (!key_pem.empty() || !cert.empty())) {
    return option_error(!key_pem.empty() ? "sign_private_key" : "sign_cert",
                        "give either sign_cert_pfx (with sign_cert_password) or "
                        "sign_private_key with sign_cert, not both");
  }
  if (!pfx.empty()) {
    if (!password_given) {
      return option_error("sign_cert_password", "required with sign_cert_pfx");
    }
    auto der = read_file("sign_cert_pfx", pfx);
    if (!der) return der.error();
    auto loaded = load_pkcs12(*der, options.get_string("sign_cert_password"));
    if (!loaded) {
      const bool password = loaded.error().code == "wrong_password";
      return option_error(password ? "sign_cert_password" : "sign_cert_pfx",
                          loaded.error().message + (password ? " for " + pfx : " (" + pfx + ")"));
    }
    c.signer = std::move(*loaded);
    c.signer_option = "sign_cert_pfx";
  } else if (password_given) {
    return option_error("sign_cert_password", "given without sign_cert_pfx");
  }
  if (key_pem.empty() != cert.empty()) {
    return option_error(key_pem.empty() ? "sign_private_key" : "sign_cert",
                        "sign_private_key and sign_cert go together");
  }
  if (!key_pem.empty()) {
    auto cert_text = certificate_text("sign_cert", cert);
    if (!cert_text) return cert_text.error();
    auto loaded = load_pem_pair(key_pem, *cert_text);
    if (!loaded) {
      const bool key_side = loaded.error().code == "malformed_key" ||
                            loaded.error().code == "not_rsa" ||
                            loaded.error().code == "key_mismatch";
      return option_error(key_side ? "sign_private_key" : "sign_cert", loaded.error().message);
    }
    c.signer = std::move(*loaded);
    c.signer_option = "sign_private_key";
  }
  return {};
}

sdk::Status read_trust(const sdk::Options& options, Configured& c) {
  const std::string root = options.get_string("root_cert");
  const std::string middle = options.get_string("middle_cert");
  c.root_given = !root.empty();
  c.middle_given = !middle.empty();
  if (c.root_given != c.middle_given) {
    return option_error(c.root_given ? "middle_cert" : "root_cert",
                        "root_cert and middle_cert go together");
  }
  if (!c.root_given) return {};
  auto root_text = certificate_text("root_cert", root);
  if (!root_text) return root_text.error();
  auto middle_text = certificate_text("middle_cert", middle);
  if (!middle_text) return middle_text.error();
  auto trust = SignerTrust::create(*root_text, *middle_text);
  if (!trust) {
    return option_error(trust.error().param == "root" ? "root_cert" : "middle_cert",
                        trust.error().message);
  }
  c.trust = std::move(*trust);
  return {};
}

sdk::Result<Configured> read_configured(const sdk::Options& options) {
  Configured c;
  c.mer_id = options.get_string("mer_id");
  if (!c.mer_id.empty() &&
      (c.mer_id.size() != 15 || !std::all_of(c.mer_id.begin(), c.mer_id.end(), is_alnum))) {
    return option_error("mer_id", "must be the 15-character UnionPay merchant number (商户号)");
  }
  c.apple_merchant_id = options.get_string("apple_merchant_id");
  if (!c.apple_merchant_id.empty()) {
    const bool printable =
        std::all_of(c.apple_merchant_id.begin(), c.apple_merchant_id.end(),
                    [](char ch) { return ch > 0x20 && ch < 0x7f && ch != '&' && ch != '"'; });
    if (c.apple_merchant_id.size() > 128 || !printable) {
      return option_error("apple_merchant_id",
                          "must be an Apple merchant identifier such as merchant.com.example "
                          "(1-128 printable ASCII characters)");
    }
  }
  c.gateway_base = options.get_string("gateway_base");
  while (!c.gateway_base.empty() && c.gateway_base.back() == '/')
    c.gateway_base.pop_back();
  if (!c.gateway_base.empty()) {
    if (auto st = check_url("gateway_base", c.gateway_base, false); !st) return st.error();
  }
  c.notify_url = options.get_string("notify_url");
  if (!c.notify_url.empty()) {
    if (auto st = check_url("notify_url", c.notify_url, true); !st) return st.error();
  }
  if (auto st = read_signer(options, c); !st) return st.error();
  if (auto st = read_trust(options, c); !st) return st.error();
  c.connect_timeout = std::chrono::milliseconds(options.get_int("connect_timeout_ms", 3000));
  c.timeout = std::chrono::milliseconds(options.get_int("timeout_ms", 10000));
  if (c.connect_timeout > c.timeout) {
    return option_error("connect_timeout_ms", "must not exceed timeout_ms (" +
                                                  std::to_string(c.timeout.count()) + " ms)");
  }
  return c;
}

bool is_sandbox_key(const std::string& public_key_pem) {
  auto key = sdk::crypto::PublicKey::parse(public_key_pem);
  return key && sdk::crypto::rsa_public_exponent(*key) == kSandboxPublicExponent;
}

std::string sandbox_path(std::string_view data_dir, std::string_view file) {
  return (std::filesystem::path(data_dir) / kSandboxDir / file).string();
}

sdk::Error sandbox_not_ready(const std::string& path) {
  return make_error(ErrorKind::channel, "sandbox_not_ready",
                    "UnionPay test-mode material " + path +
                        " does not exist yet: enable the sandbox_unionpay plugin");
}

sdk::Result<std::string> read_sandbox_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return sandbox_not_ready(path);
  auto text = read_file("sandbox", path);
  if (!text) {
    return make_error(ErrorKind::channel, "sandbox_unreadable",
                      "UnionPay test-mode material: " + text.error().message);
  }
  return text;
}

}  // namespace

std::vector<OptionSpec> option_specs() {
  return {
      option::string("mer_id",
                     "UnionPay merchant number (商户号, 15 characters). Required in live mode; "
                     "test mode defaults to 777290058167151."),
      option::string("sign_cert_pfx",
                     "Path of the merchant signing certificate as UnionPay issues it: a PKCS#12 "
                     "(.pfx) file holding the private key and its certificate (certId is the "
                     "certificate's serial). Live mode needs this or sign_private_key with "
                     "sign_cert; test mode defaults to <data_dir>/sandbox-unionpay/merchant.pfx."),
      option::string("sign_cert_password",
                     "Password of sign_cert_pfx (secret: sign_cert_password_file and ${ENV} work).")
          .as_secret(),
      option::string("sign_private_key",
                     "Instead of a .pfx: the merchant signing private key, PEM (PKCS#8 or PKCS#1). "
                     "Needs sign_cert.")
          .as_secret(),
      option::string("sign_cert",
                     "With sign_private_key: the merchant signing certificate, its PEM text or the "
                     "path of a PEM or DER file."),
      option::string("root_cert",
                     "UnionPay's root certificate (acp_prod_root.cer): its PEM text or the path of "
                     "a PEM or DER file. Answers and notifications are trusted only when their "
                     "signer certificate chains to it through middle_cert. Required in live mode; "
                     "test mode defaults to <data_dir>/sandbox-unionpay/root.cer."),
      option::string(
          "middle_cert",
          "UnionPay's intermediate certificate (acp_prod_middle.cer), as root_cert. Required in "
          "live mode; test mode defaults to <data_dir>/sandbox-unionpay/middle.cer."),
      option::string("apple_merchant_id",
                     "Apple Pay merchant identifier handed to the app in applepay_upacp "
                     "credentials (merchant_id). Required in live mode when applepay_upacp is "
                     "enabled; test mode defaults to merchant.com.payhost.sandbox."),
      option::string("gateway_base",
                     "Gateway base URL. Empty: https://gateway.95516.com in live mode, "
                     "<public_url>/sandbox/unionpay in test mode. Live mode refuses local, sandbox "
                     "and UnionPay test (gateway.test.95516.com) bases and requires https.")
          .with_default(""),
      option::string("notify_url",
                     "The backUrl UnionPay posts notifications to. Empty: the host's "
                     "<public_url>/notify/unionpay. Live mode requires https.")
          .with_default(""),
      option::integer("connect_timeout_ms",
                      "Connect (TCP and TLS) timeout of each gateway call, in ms.")
          .with_default(3000)
          .in_range(100, 60000),
      option::integer(
          "timeout_ms",
          "Total timeout of each gateway call (appTransReq, queryTrans, backTransReq), in ms.")
          .with_default(10000)
          .in_range(100, 120000),
  };
}

bool is_non_production_gateway(std::string_view url) {
  const std::string lowered = lower(url);
  if (lowered.find("/sandbox") != std::string::npos) return true;
  const std::string host = url_host(url);
  if (host == "gateway.test.95516.com" || host.ends_with(".test.95516.com")) return true;
  return host == "localhost" || host.ends_with(".localhost") || host.starts_with("127.") ||
         host == "0.0.0.0" || host == "[::1]" || host == "[::]" || host.empty();
}

sdk::Result<std::shared_ptr<const Material>> load_material(const MaterialSource& source) {
  std::optional<MerchantKey> signer = source.signer;
  if (!signer) {
    auto der = read_sandbox_file(source.sandbox_pfx);
    if (!der) return der.error();
    auto loaded = load_pkcs12(*der, kSandboxPfxPassword);
    if (!loaded) {
      return make_error(ErrorKind::channel, "sandbox_unreadable",
                        source.sandbox_pfx + ": " + loaded.error().message);
    }
    signer = std::move(*loaded);
  }
  std::optional<SignerTrust> trust = source.trust;
  if (!trust) {
    auto root = read_sandbox_file(source.sandbox_root);
    if (!root) return root.error();
    auto middle = read_sandbox_file(source.sandbox_middle);
    if (!middle) return middle.error();
    auto created = SignerTrust::create(*root, *middle);
    if (!created) {
      return make_error(ErrorKind::channel, "sandbox_unreadable",
                        "the sandbox UnionPay certificates: " + created.error().message);
    }
    trust = std::move(*created);
  }
  return std::make_shared<const Material>(Material{std::move(*signer), std::move(*trust)});
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
  s.gateway_base = c.gateway_base;
  s.notify_url = c.notify_url;
  s.mer_id = c.mer_id;
  s.apple_merchant_id = c.apple_merchant_id;

  if (context.livemode) {
    if (s.mer_id.empty()) return option_error("mer_id", "required in live mode");
    if (!c.signer) {
      return option_error("sign_cert_pfx",
                          "required in live mode (or sign_private_key with sign_cert)");
    }
    if (!c.trust) return option_error("root_cert", "required in live mode (with middle_cert)");
    const auto& enabled = context.enabled_channels;
    if (s.apple_merchant_id.empty() &&
        std::find(enabled.begin(), enabled.end(), "applepay_upacp") != enabled.end()) {
      return option_error("apple_merchant_id", "required in live mode with applepay_upacp");
    }
    if (s.gateway_base.empty()) s.gateway_base = std::string(kProductionGatewayBase);
    if (is_non_production_gateway(s.gateway_base)) {
      return option_error(
          "gateway_base",
          "live mode refuses a local, sandbox or UnionPay test gateway: " + s.gateway_base);
    }
    if (!lower(s.gateway_base).starts_with("https://")) {
      return option_error("gateway_base", "live mode requires an https:// gateway");
    }
    if (!s.notify_url.empty() && !lower(s.notify_url).starts_with("https://")) {
      return option_error("notify_url", "live mode requires an https:// notify_url");
    }
    if (is_sandbox_key(c.signer->public_key_pem)) {
      return option_error(c.signer_option, "live mode refuses a sandbox key pair");
    }
    if (is_sandbox_key(c.trust->root_public_key_pem())) {
      return option_error("root_cert", "live mode refuses the sandbox root certificate");
    }
    if (is_sandbox_key(c.trust->middle_public_key_pem())) {
      return option_error("middle_cert", "live mode refuses the sandbox intermediate certificate");
    }
    s.source.signer = std::move(c.signer);
    s.source.trust = std::move(c.trust);
    auto material = load_material(s.source);
    if (!material) return material.error();
    s.material = std::move(*material);
  } else {
    if (s.mer_id.empty()) {
      s.mer_id = std::string(kSandboxMerId);
      s.from_sandbox.emplace_back("mer_id");
    }
    if (s.apple_merchant_id.empty()) {
      s.apple_merchant_id = std::string(kSandboxAppleMerchantId);
      s.from_sandbox.emplace_back("apple_merchant_id");
    }
    s.source.signer = std::move(c.signer);
    s.source.trust = std::move(c.trust);
    if (!s.source.signer) {
      s.source.sandbox_pfx = sandbox_path(context.data_dir, "merchant.pfx");
      s.from_sandbox.emplace_back("sign_cert_pfx");
    }
    if (!s.source.trust) {
      s.source.sandbox_root = sandbox_path(context.data_dir, "root.cer");
      s.source.sandbox_middle = sandbox_path(context.data_dir, "middle.cer");
      s.from_sandbox.emplace_back("root_cert");
      s.from_sandbox.emplace_back("middle_cert");
    }
    // The simulator may start after this plugin and write its files then: a missing file
    // is loaded on first use instead. Anything else wrong with them stops start-up.
    auto material = load_material(s.source);
    if (material) {
      s.material = std::move(*material);
    } else if (material.error().code != "sandbox_not_ready") {
      return material.error();
    }
  }
  return s;
}

}  // namespace payhost::unionpay
