// Cryptography over OpenSSL. Keys are parsed once (at start) and then shared read-only
// across threads; every operation here is thread-safe.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "payhost/sdk/result.hpp"

struct evp_pkey_st;

namespace payhost::sdk::crypto {

// An RSA private key. parse() accepts PEM (PKCS#1 "RSA PRIVATE KEY" or PKCS#8 "PRIVATE
// KEY", wrapped or on one long line, even under the other's header) and bare base64 DER
// of either form, as providers hand out keys in all of these.
class PrivateKey {
 public:
  static Result<PrivateKey> parse(std::string_view text);
  std::string public_key_pem() const;  // SubjectPublicKeyInfo PEM
  evp_pkey_st* get() const noexcept { return key_.get(); }

 private:
  friend Result<std::string> rsa_sha256_sign(const PrivateKey& key, std::string_view data);
  std::shared_ptr<evp_pkey_st> key_;
};

// An RSA public key: PEM "PUBLIC KEY" (SPKI) or "RSA PUBLIC KEY" (PKCS#1), a PEM X.509
// "CERTIFICATE", or bare base64 DER of SPKI or PKCS#1.
class PublicKey {
 public:
  static Result<PublicKey> parse(std::string_view text);
  evp_pkey_st* get() const noexcept { return key_.get(); }

 private:
  friend bool rsa_sha256_verify(const PublicKey& key, std::string_view data,
                                std::string_view signature);
  std::shared_ptr<evp_pkey_st> key_;
};

// RSA PKCS#1 v1.5 with SHA-256 ("RSA2", "SHA256withRSA"). Signatures are raw bytes;
// base64 them for the wire.
Result<std::string> rsa_sha256_sign(const PrivateKey& key, std::string_view data);
bool rsa_sha256_verify(const PublicKey& key, std::string_view data, std::string_view signature);

// Raw digests (bytes); hex them with hex_lower/hex_upper where a protocol wants text.
// These and random_bytes/random_alnum below throw std::runtime_error only when OpenSSL
// itself fails (no digest in the loaded providers, a CSPRNG failure): a broken
// installation, never bad input. The SDK's do_* wrappers and guarded() catch it.
std::string sha256(std::string_view data);
std::string md5(std::string_view data);  // legacy protocols only
std::string hmac_sha256(std::string_view key, std::string_view data);

// AES-GCM with a 16-byte tag appended to the ciphertext (WeChat Pay v3 layout). The key
// length picks AES-128/192/256; any nonce length is accepted.
Result<std::string> aes_gcm_encrypt(std::string_view key, std::string_view nonce,
                                    std::string_view aad, std::string_view plaintext);
Result<std::string> aes_gcm_decrypt(std::string_view key, std::string_view nonce,
                                    std::string_view aad, std::string_view ciphertext_and_tag);

struct GeneratedKeyPair {
  std::string private_key_pem;  // PKCS#8
  std::string public_key_pem;   // SPKI
};
Result<GeneratedKeyPair> generate_rsa_keypair(int bits = 2048);
// The same with a chosen public exponent (odd, at least 3); the one above uses 65537.
Result<GeneratedKeyPair> generate_rsa_keypair(int bits, unsigned long public_exponent);
// The public exponent of an RSA key, or 0 for any other kind of key.
unsigned long rsa_public_exponent(const PublicKey& key);

// From the OS CSPRNG.
std::string random_bytes(std::size_t count);
// Letters and digits [0-9A-Za-z], uniformly distributed.
std::string random_alnum(std::size_t count);
// For primary keys: the first 8 characters are the time in milliseconds, in an alphabet
// that sorts like the numbers, and the rest random_alnum. Keys made later sort after, so a
// B-tree insert lands on the page the previous one did rather than on a random page (a
// random key costs every insert a page of its own). The key shows when it was made; a
// count under 16 leaves too few random characters and throws std::invalid_argument.
std::string time_ordered_alnum(std::size_t count);

bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

}  // namespace payhost::sdk::crypto
