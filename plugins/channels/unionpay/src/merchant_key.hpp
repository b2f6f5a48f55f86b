// The merchant's signing key and certificate as UnionPay issues them: a PKCS#12 (.pfx)
// file with a password, or (accepted too) a PEM private key with its PEM certificate.
// certId, which every request carries, is the certificate's serial number in decimal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::unionpay {

struct MerchantKey {
  sdk::crypto::PrivateKey key;
  std::string cert_id;     // decimal serial of the certificate
  std::string subject_cn;  // e.g. 041@Z2014-11-11@700000000000001:SIGN@00000003
  std::int64_t not_after = 0;
  std::string public_key_pem;  // the certificate's, which is the key's
};

// Dates are not checked (UnionPay's own SDK loads expired test files); the caller warns.
// Errors are invalid_request: malformed_pfx, wrong_password, no_certificate, not_rsa,
// key_mismatch.
sdk::Result<MerchantKey> load_pkcs12(std::string_view der, std::string_view password);
sdk::Result<MerchantKey> load_pem_pair(std::string_view private_key_pem,
                                       std::string_view certificate_pem);

}  // namespace payhost::unionpay
