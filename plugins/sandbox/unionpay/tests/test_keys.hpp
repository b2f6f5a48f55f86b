// RSA key pairs for tests, generated with OpenSSL directly (once per process: 2048-bit
// generation is slow enough to matter).
#pragma once

#include <string>

namespace payhost::sandbox_unionpay::testing {

struct PemPair {
  std::string private_pem;  // PKCS#8
  std::string public_pem;   // SubjectPublicKeyInfo
};

// Slots 0-6 are the sandbox pairs unionpay-root, -middle, -sign, -merchant, -foreign,
// -expired, -outsider (see SandboxHost in harness.hpp); 7 and up are strangers' keys.
const PemPair& test_keypair(int slot);

inline constexpr int kMerchantSlot = 3;
inline constexpr int kSignSlot = 2;
inline constexpr int kStrangerSlot = 7;

}  // namespace payhost::sandbox_unionpay::testing
