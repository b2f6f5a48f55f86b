// X.509 and PKCS#12 with OpenSSL directly: issuing the sandbox CA's certificates, reading
// them back, chain checks, the PEM UnionPay puts in signPubKeyCert, and the merchant .pfx.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "acp_signature.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sandbox_unionpay {

struct X509Free {
  void operator()(x509_st* certificate) const noexcept;
};
using Certificate = std::unique_ptr<x509_st, X509Free>;

struct CertificateSpec {
  std::string common_name;   // UTF-8
  std::string organization;  // UTF-8; omitted when empty
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;  // Unix seconds
  bool ca = false;             // CA:TRUE with pathLen 0 below the root; else an end entity
  bool root = false;           // self-signed (issuer and issuer_key are ignored)
  std::string serial_hex;      // the serial number in hex, positive
};

// Issues a certificate for `subject_key` signed by `issuer_key` (RSA-SHA256) under
// `issuer`, or self-signed when spec.root.
sdk::Result<Certificate> issue_certificate(const CertificateSpec& spec, const RsaKey& subject_key,
                                           x509_st* issuer, const RsaKey& issuer_key);

// A positive random serial of `bytes` bytes, in hex (the first byte below 0x80, never 0).
std::string random_serial_hex(std::size_t bytes);

std::string certificate_pem(x509_st* certificate);  // PEM with \n line ends
// The same with \r\n between lines and none after the END line: what UnionPay's
// signPubKeyCert carries.
std::string certificate_pem_crlf(x509_st* certificate);
sdk::Result<Certificate> certificate_from_pem(std::string_view pem);
Certificate copy_certificate(x509_st* certificate);

// The subject's CN as UTF-8, "" if none.
std::string common_name(x509_st* certificate);
// The serial number in decimal (UnionPay's certId).
std::string serial_decimal(x509_st* certificate);
// The certificate's public key is `key`'s.
bool certificate_matches_key(x509_st* certificate, const RsaKey& key);

// Verifies `leaf` to the trusted `root` through `intermediates` (X509_verify_cert), at
// `at` (Unix seconds) when given, else now. nullopt when it verifies, else why not.
std::optional<std::string> chain_error(x509_st* leaf, x509_st* root,
                                       const std::vector<x509_st*>& intermediates,
                                       std::optional<std::int64_t> at = std::nullopt);

// A PKCS#12 file (DER) holding `key`, its `certificate` and the `chain` certificates,
// protected by `password`, the key bag named `friendly_name`.
sdk::Result<std::string> make_pkcs12(const RsaKey& key, x509_st* certificate,
                                     const std::vector<x509_st*>& chain,
                                     const std::string& password, const std::string& friendly_name);

struct Pkcs12Contents {
  RsaKey key;
  Certificate certificate;
  std::vector<Certificate> chain;
};
sdk::Result<Pkcs12Contents> read_pkcs12(std::string_view der, const std::string& password);

}  // namespace payhost::sandbox_unionpay
