// X.509 for UnionPay: reading certificates, and deciding whether the certificate an answer
// or notification carries (signPubKeyCert) is UnionPay's signing certificate: it must
// chain leaf -> the configured intermediate -> the configured root, be valid at the host
// clock, and name 中国银联股份有限公司 as element [2] of its CN split on '@'.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/result.hpp"

struct x509_st;

namespace payhost::unionpay {

inline constexpr std::string_view kUnionPayCompany = "中国银联股份有限公司";
inline constexpr std::size_t kMaxCertificateBytes = 16 * 1024;

struct X509Free {
  void operator()(x509_st* cert) const noexcept;
};
using X509Ptr = std::unique_ptr<x509_st, X509Free>;

// One certificate: exactly one PEM "CERTIFICATE" block (CRLF or LF, nothing but
// whitespace around it) or DER. Errors: invalid_request malformed_certificate.
sdk::Result<X509Ptr> parse_certificate(std::string_view pem_or_der);

std::string serial_decimal(const x509_st* cert);
// The subject's CN as UTF-8 when there is exactly one.
std::optional<std::string> common_name(const x509_st* cert);
std::int64_t not_before(const x509_st* cert);  // Unix seconds
std::int64_t not_after(const x509_st* cert);
// The certificate's public key (SPKI PEM), or "" when it has none OpenSSL can write.
std::string public_key_pem(const x509_st* cert);

// Thread-safe; copies share one verdict cache. Verdicts are kept per certificate text
// (at most kMaxCachedVerdicts; when full, refusals are dropped first, and if only trusted
// certificates remain the cache starts over): a good certificate with
// the period it is good for (the overlap of the three certificates' validity), a refusal
// that time cannot change (chain, name, format) as such.
class SignerTrust {
 public:
  static constexpr std::size_t kMaxCachedVerdicts = 64;

  // Errors: invalid_request, `param` "root" or "middle": malformed_certificate, not_a_ca,
  // not_self_signed, not_issued_by_root.
  static sdk::Result<SignerTrust> create(std::string_view root_pem_or_der,
                                         std::string_view middle_pem_or_der);

  // The signer's public key when `certificate_pem` is trusted at `now` (Unix seconds).
  // Errors are invalid_request: missing_certificate, malformed_certificate,
  // untrusted_certificate, certificate_expired, certificate_not_yet_valid,
  // foreign_certificate.
  sdk::Result<sdk::crypto::PublicKey> signer_key(std::string_view certificate_pem,
                                                 std::int64_t now) const;

  std::size_t cached_verdicts() const;
  // Public keys of the configured root and intermediate (for live-mode checks).
  std::string root_public_key_pem() const;
  std::string middle_public_key_pem() const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace payhost::unionpay
