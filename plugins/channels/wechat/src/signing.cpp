#include "signing.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <memory>
#include <optional>

#include "payhost/sdk/encoding.hpp"

namespace payhost::wechat {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

// RSA-4096 is the largest key WeChat Pay could plausibly use: 512 signature bytes.
constexpr std::size_t kMaxSignatureBase64 = 700;
constexpr std::size_t kMaxNonce = 64;
constexpr std::size_t kMaxSerial = 64;
constexpr std::size_t kMaxCertificatePem = 16 * 1024;

sdk::Error header_error(std::string code, std::string message) {
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message));
}

// Printable ASCII without spaces: a value that cannot smuggle a line into the message.
bool is_token(std::string_view s, std::size_t max) {
  if (s.empty() || s.size() > max) return false;
  for (const char c : s) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

std::optional<std::int64_t> parse_timestamp(std::string_view s) {
  if (s.empty() || s.size() > 12) return std::nullopt;
  std::int64_t value = 0;
  for (const char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

}  // namespace

std::string request_message(std::string_view method, std::string_view path_and_query,
                            std::int64_t timestamp, std::string_view nonce, std::string_view body) {
  std::string m;
  m.reserve(method.size() + path_and_query.size() + nonce.size() + body.size() + 20);
  m.append(method).append("\n");
  m.append(path_and_query).append("\n");
  m.append(std::to_string(timestamp)).append("\n");
  m.append(nonce).append("\n");
  m.append(body).append("\n");
  return m;
}

std::string authorization_header(std::string_view mchid, std::string_view nonce,
                                 std::int64_t timestamp, std::string_view serial_no,
                                 std::string_view signature_base64) {
  std::string h(kAuthScheme);
  h.append(" mchid=\"").append(mchid);
  h.append("\",nonce_str=\"").append(nonce);
  h.append("\",timestamp=\"").append(std::to_string(timestamp));
  h.append("\",serial_no=\"").append(serial_no);
  h.append("\",signature=\"").append(signature_base64).append("\"");
  return h;
}

std::string app_pay_message(std::string_view app_id, std::int64_t timestamp, std::string_view nonce,
                            std::string_view prepay_id) {
  std::string m;
  m.append(app_id).append("\n");
  m.append(std::to_string(timestamp)).append("\n");
  m.append(nonce).append("\n");
  m.append(prepay_id).append("\n");
  return m;
}

std::string jsapi_pay_message(std::string_view app_id, std::int64_t timestamp,
                              std::string_view nonce, std::string_view package) {
  // The same four lines in the same order; only the fourth value differs from APP's.
  return app_pay_message(app_id, timestamp, nonce, package);
}

sdk::Result<std::string> sign_base64(const sdk::crypto::PrivateKey& key, std::string_view message) {
  auto raw = sdk::crypto::rsa_sha256_sign(key, message);
  if (!raw) return raw.error();
  return sdk::base64_encode(*raw);
}

std::string make_nonce() {
  return sdk::crypto::random_alnum(32);
}

std::string canonical_serial(std::string_view serial) {
  if (serial.starts_with(kPublicKeyIdPrefix)) return std::string(serial);
  std::string out;
  out.reserve(serial.size());
  for (const char c : serial) {
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  const auto first = out.find_first_not_of('0');
  if (first == std::string::npos) return out.empty() ? out : std::string("0");
  return out.substr(first);
}

sdk::Result<Certificate> read_certificate(std::string_view pem) {
  if (pem.size() > kMaxCertificatePem) {
    return make_error(ErrorKind::invalid_request, "invalid_certificate",
                      "a certificate PEM longer than 16 KiB");
  }
  if (count(pem, "-----BEGIN ") != 1 || count(pem, "-----BEGIN CERTIFICATE-----") != 1) {
    return make_error(ErrorKind::invalid_request, "invalid_certificate",
                      "expected exactly one PEM \"CERTIFICATE\" block");
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return make_error(ErrorKind::internal, "openssl", "BIO_new_mem_buf failed");
  std::unique_ptr<X509, decltype(&X509_free)> x509(
      PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!x509) {
    return make_error(ErrorKind::invalid_request, "invalid_certificate",
                      "not a readable X.509 certificate");
  }
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(x509.get()), nullptr), &BN_free);
  if (!bn || BN_is_negative(bn.get())) {
    return make_error(ErrorKind::invalid_request, "invalid_certificate",
                      "the certificate has no usable serial number");
  }
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) return make_error(ErrorKind::internal, "openssl", "BN_bn2hex failed");
  Certificate cert;
  cert.serial = canonical_serial(hex);
  OPENSSL_free(hex);
  cert.expired = X509_cmp_current_time(X509_get0_notAfter(x509.get())) < 0;
  auto key = sdk::crypto::PublicKey::parse(pem);
  if (!key) {
    return make_error(ErrorKind::invalid_request, "invalid_certificate",
                      "the certificate's public key: " + key.error().message);
  }
  if (sdk::crypto::rsa_public_exponent(*key) == 0) {
    return make_error(ErrorKind::invalid_request, "invalid_certificate",
                      "the certificate's key is not an RSA key");
  }
  cert.key = std::move(*key);
  return cert;
}

bool PlatformKeys::add(std::string_view serial, sdk::crypto::PublicKey key) {
  return keys_.emplace(canonical_serial(serial), std::move(key)).second;
}

const sdk::crypto::PublicKey* PlatformKeys::find(std::string_view serial) const {
  const auto it = keys_.find(canonical_serial(serial));
  return it == keys_.end() ? nullptr : &it->second;
}

sdk::Status verify_signed_message(const PlatformKeys& keys, const sdk::Headers& headers,
                                  std::string_view body, std::int64_t now) {
  const std::array<std::string_view, 4> names = {"Wechatpay-Timestamp", "Wechatpay-Nonce",
                                                 "Wechatpay-Signature", "Wechatpay-Serial"};
  std::array<std::optional<std::string>, 4> values;
  std::string missing;
  for (std::size_t i = 0; i < names.size(); ++i) {
    // A repeated header would let two readers see two different messages.
    std::size_t seen = 0;
    for (const auto& [name, value] : headers.all()) {
      if (iequals(name, names[i])) {
        ++seen;
        values[i] = value;
      }
    }
    if (seen > 1) return header_error("bad_header", std::string(names[i]) + " is repeated");
    if (seen == 0) missing += (missing.empty() ? "" : ", ") + std::string(names[i]);
  }
  if (!missing.empty()) return header_error("missing_header", "unsigned: missing " + missing);
  const std::string& ts_text = *values[0];
  const std::string& nonce = *values[1];
  const std::string& signature = *values[2];
  const std::string& serial = *values[3];
  const auto ts = parse_timestamp(ts_text);
  if (!ts) return header_error("bad_header", "Wechatpay-Timestamp is not Unix seconds");
  if (!is_token(nonce, kMaxNonce)) {
    return header_error("bad_header", "Wechatpay-Nonce is empty, too long or not printable");
  }
  if (!is_token(serial, kMaxSerial)) {
    return header_error("bad_header", "Wechatpay-Serial is empty, too long or not printable");
  }
  const std::int64_t skew = *ts > now ? *ts - now : now - *ts;
  if (skew >= kMaxClockSkewSeconds) {
    return header_error("stale_timestamp", "Wechatpay-Timestamp is " + std::to_string(skew) +
                                               " s away from the host clock (limit 300 s)");
  }
  if (signature.starts_with(kProbeSignaturePrefix)) {
    return header_error("signature_probe", "a WECHATPAY/SIGNTEST/ probe signature");
  }
  const sdk::crypto::PublicKey* key = keys.find(serial);
  if (key == nullptr) {
    return header_error("unknown_serial", "Wechatpay-Serial " + serial +
                                              " is neither a configured platform certificate "
                                              "nor the configured public key id");
  }
  if (signature.size() > kMaxSignatureBase64) {
    return header_error("bad_signature", "Wechatpay-Signature is too long");
  }
  const auto raw = sdk::base64_decode(signature);
  if (!raw || raw->empty())
    return header_error("bad_signature", "Wechatpay-Signature is not base64");
  std::string message;
  message.reserve(ts_text.size() + nonce.size() + body.size() + 3);
  message.append(ts_text).append("\n").append(nonce).append("\n").append(body).append("\n");
  if (!sdk::crypto::rsa_sha256_verify(*key, message, *raw)) {
    return header_error("bad_signature", "the signature does not match the body");
  }
  return {};
}

}  // namespace payhost::wechat
