#include "console/password_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <charconv>
#include <semaphore>
#include <stdexcept>
#include <vector>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"

namespace payhost::host::console {

namespace {

constexpr std::size_t kSaltBytes = 16;
constexpr std::size_t kKeyBytes = 32;
// N=2^15, r=8 needs 128 * r * N = 32 MiB plus a little: above OpenSSL's default 32 MiB cap.
constexpr std::uint64_t kMaxMemBytes = 64ull << 20;
// For log2 N up to 20 with r up to 32 (what parse accepts) the need is larger still.
std::uint64_t max_mem_for(const ScryptParams& p) {
  const std::uint64_t need = 128ull * static_cast<std::uint64_t>(p.r) *
                                 ((1ull << p.log2_n) + static_cast<std::uint64_t>(p.p) + 2) +
                             (1 << 20);
  return need > kMaxMemBytes ? need : kMaxMemBytes;
}

// A derivation holds 32 MiB (more for stronger stored parameters) for about 0.1 s of one
// core: a burst of sign-ins queues here instead of taking workers x 32 MiB at once.
constexpr std::ptrdiff_t kConcurrentDerivations = 2;
std::counting_semaphore<kConcurrentDerivations> derivation_slots(kConcurrentDerivations);

struct DerivationSlot {
  DerivationSlot() { derivation_slots.acquire(); }
  ~DerivationSlot() { derivation_slots.release(); }
  DerivationSlot(const DerivationSlot&) = delete;
  DerivationSlot& operator=(const DerivationSlot&) = delete;
};

bool derive(std::string_view password, std::string_view salt, const ScryptParams& p,
            std::string& key, std::size_t key_bytes) noexcept {
  key.assign(key_bytes, '\0');
  const DerivationSlot slot;
  return EVP_PBE_scrypt(password.data(), password.size(),
                        reinterpret_cast<const unsigned char*>(salt.data()), salt.size(),
                        std::uint64_t{1} << p.log2_n, static_cast<std::uint64_t>(p.r),
                        static_cast<std::uint64_t>(p.p), max_mem_for(p),
                        reinterpret_cast<unsigned char*>(key.data()), key.size()) == 1;
}

std::optional<int> small_int(std::string_view text) noexcept {
  if (text.empty() || text.size() > 3 || (text.size() > 1 && text[0] == '0')) return std::nullopt;
  int value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto at = text.find(sep, start);
    out.push_back(
        text.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

}  // namespace

bool is_acceptable_password(std::string_view password) noexcept {
  return password.size() >= kMinPasswordBytes && password.size() <= kMaxPasswordBytes;
}

std::string hash_password(std::string_view password, std::string_view salt,
                          const ScryptParams& params) {
  std::string key;
  if (!derive(password, salt, params, key, kKeyBytes)) {
    throw std::runtime_error("scrypt failed");
  }
  return "scrypt$" + std::to_string(params.log2_n) + "$" + std::to_string(params.r) + "$" +
         std::to_string(params.p) + "$" + sdk::base64_encode(salt) + "$" + sdk::base64_encode(key);
}

std::string hash_password(std::string_view password) {
  return hash_password(password, sdk::crypto::random_bytes(kSaltBytes), ScryptParams{});
}

std::optional<PasswordHash> parse_password_hash(std::string_view stored) noexcept {
  try {
    const auto parts = split(stored, '$');
    if (parts.size() != 6 || parts[0] != "scrypt") return std::nullopt;
    const auto log2_n = small_int(parts[1]), r = small_int(parts[2]), p = small_int(parts[3]);
    if (!log2_n || !r || !p || *log2_n < 10 || *log2_n > 20 || *r < 1 || *r > 32 || *p < 1 ||
        *p > 4) {
      return std::nullopt;
    }
    auto salt = sdk::base64_decode(parts[4]);
    auto key = sdk::base64_decode(parts[5]);
    if (!salt || !key || salt->size() < 8 || salt->size() > 64 || key->size() < 16 ||
        key->size() > 64) {
      return std::nullopt;
    }
    // Only the canonical spelling: base64_decode skips whitespace, the stored form has none.
    if (sdk::base64_encode(*salt) != parts[4] || sdk::base64_encode(*key) != parts[5]) {
      return std::nullopt;
    }
    return PasswordHash{ScryptParams{*log2_n, *r, *p}, std::move(*salt), std::move(*key)};
  } catch (...) {
    return std::nullopt;
  }
}

bool verify_password(std::string_view password, std::string_view stored) noexcept {
  const auto parsed = parse_password_hash(stored);
  if (!parsed) return false;
  std::string key;
  if (!derive(password, parsed->salt, parsed->params, key, parsed->key.size())) return false;
  return CRYPTO_memcmp(key.data(), parsed->key.data(), key.size()) == 0;
}

bool verify_against_dummy(std::string_view password) noexcept {
  // A fixed salt: the point is the work, not the secret.
  static const std::string dummy_salt(kSaltBytes, '\x5a');
  std::string key;
  (void)derive(password, dummy_salt, ScryptParams{}, key, kKeyBytes);
  return false;
}

}  // namespace payhost::host::console
