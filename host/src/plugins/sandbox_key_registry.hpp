// Every key pair the sandbox uses is recognisable later, wherever the deployment got a
// copy of it: the host generates it with a public exponent of its own (providers' keys use
// 65537), so a live host that shares nothing with the test host that made it still knows
// it; and its public-key fingerprint is recorded in the database (shared by every host of
// a deployment) when the host hands it out, with the key files kept in
// <data_dir>/sandbox-keys, which also covers pairs made before the exponent mark. Live mode
// refuses to start with any configured key that carries the mark or whose fingerprint is
// recorded.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"
#include "storage/database.hpp"

namespace payhost::host {

// The public exponent of every RSA key pair the sandbox generates (a prime; never what a
// provider issues).
inline constexpr unsigned long kSandboxPublicExponent = 65539;

// "sha256:" + hex of the SHA-256 of the public key's DER SubjectPublicKeyInfo: the same
// for every spelling (PEM, base64, certificate, the private key) of one key pair.
std::string key_fingerprint(const sdk::crypto::PublicKey& key);

// The fingerprint of the key `text` holds (private key: of its public half; public key or
// certificate), or nullopt if `text` is not a key.
std::optional<std::string> fingerprint_of_key_text(std::string_view text);

// Records a sandbox key pair's public half in the `test_key_fingerprints` table (once).
sdk::Status record_sandbox_key(Db& db, std::string_view name, std::string_view public_key_pem,
                               std::int64_t now);

// Fingerprint -> where it was recorded ("database, key pair <name>" / "<file>").
using SandboxFingerprints = std::map<std::string, std::string>;
sdk::Result<SandboxFingerprints> recorded_sandbox_keys(Db& db, const std::string& key_dir);

// Live mode: the first string option of `options` holding a sandbox key (by its exponent or
// a recorded fingerprint), as an
// error naming `where` (e.g. "payhost.yaml: plugins.alipay.options"), the option (and the
// file it was read from, if any), the key pair and why. `option_files` maps an option to
// the file it was read from.
sdk::Status refuse_sandbox_keys(const SandboxFingerprints& recorded, const sdk::Options& options,
                                const std::map<std::string, std::string>& option_files,
                                const std::string& where);

}  // namespace payhost::host
