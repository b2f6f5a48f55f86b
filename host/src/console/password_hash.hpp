// Operators' passwords, kept only as scrypt hashes:
// "scrypt$<log2 N>$<r>$<p>$<salt, base64>$<key, base64>" (N=2^15, r=8, p=1, 16-byte salt,
// 32-byte key when made here), compared in constant time.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace payhost::host::console {

struct ScryptParams {
  int log2_n = 15;
  int r = 8;
  int p = 1;
};

struct PasswordHash {
  ScryptParams params;
  std::string salt;  // raw bytes
  std::string key;   // raw bytes
};

inline constexpr std::size_t kMinPasswordBytes = 10;
inline constexpr std::size_t kMaxPasswordBytes = 256;

// Whether `password` may be set: 10..256 bytes.
bool is_acceptable_password(std::string_view password) noexcept;

// A fresh hash of `password` with a random salt. Throws std::runtime_error if OpenSSL fails.
std::string hash_password(std::string_view password);
// The same with a given salt and parameters (tests, the dummy hash).
std::string hash_password(std::string_view password, std::string_view salt,
                          const ScryptParams& params);

// The stored form read back; nullopt if it is not one, or its parameters are outside
// what is accepted (log2 N 10..20, r 1..32, p 1..4, salt 8..64 bytes, key 16..64 bytes:
// a tampered row must not buy unbounded work or memory).
std::optional<PasswordHash> parse_password_hash(std::string_view stored) noexcept;

// Whether `password` matches `stored`; false for a malformed `stored`.
bool verify_password(std::string_view password, std::string_view stored) noexcept;

// Does the work verify_password does for a real operator, and answers false: sign-in for
// a name that does not exist costs the same time.
bool verify_against_dummy(std::string_view password) noexcept;

}  // namespace payhost::host::console
