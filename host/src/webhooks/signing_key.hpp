// The key webhooks are signed with (X-Pingplusplus-Signature). Every host on one database
// signs with the same key, so receivers configure one public key however many hosts send.
#pragma once

#include <cstdint>

#include "payhost/sdk/crypto.hpp"
#include "storage/database.hpp"

namespace payhost::host::webhooks {

// Its row in host_secrets (PKCS#8 PEM).
inline constexpr const char* kSigningKeyName = "webhook_signing_key";

// Reads the key; the first host to need it generates an RSA-2048 key and inserts it
// unless another host inserted one meanwhile, then every host uses the row that won.
sdk::Result<sdk::crypto::PrivateKey> load_or_create_signing_key(Db& db, std::int64_t now);

}  // namespace payhost::host::webhooks
