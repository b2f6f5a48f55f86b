// RSA key pairs for tests, generated with OpenSSL directly (once per process: 2048-bit
// generation is slow enough to matter).
#pragma once

#include <string>

namespace payhost::sandbox_alipay::testing {

struct PemPair {
  std::string private_pem;  // PKCS#8
  std::string public_pem;   // SubjectPublicKeyInfo
};

// `slot` picks one of a few cached pairs, so tests can hold "merchant" and "platform" keys.
const PemPair& test_keypair(int slot);

}  // namespace payhost::sandbox_alipay::testing
