#include "payhost/sdk/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <pthread.h>

#include <array>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "payhost/sdk/encoding.hpp"

namespace payhost::sdk::crypto {
namespace {

constexpr std::size_t kGcmTagSize = 16;

struct PkeyFree {
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const noexcept { EVP_MD_CTX_free(p); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* p) const noexcept { EVP_CIPHER_CTX_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const noexcept { EVP_PKEY_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const noexcept { BIO_free(p); }
};
struct X509Free {
  void operator()(X509* p) const noexcept { X509_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

const unsigned char* bytes(std::string_view s) noexcept {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Failures leave entries on OpenSSL's thread-local error queue; drop them so they cannot
// surface later as a bogus cause of an unrelated call on the same thread.
void clear_openssl_errors() noexcept {
  ERR_clear_error();
}

// Zeroes a buffer that held key material when it goes out of scope, so freed heap memory
// does not keep a copy of the private key.
class Wipe {
 public:
  explicit Wipe(std::string& s) noexcept : s_(s) {}
  ~Wipe() { OPENSSL_cleanse(s_.data(), s_.size()); }
  Wipe(const Wipe&) = delete;
  Wipe& operator=(const Wipe&) = delete;

 private:
  std::string& s_;
};

Error key_error(std::string message) {
  clear_openssl_errors();
  return make_error(ErrorKind::invalid_request, "bad_key", std::move(message));
}

// Providers hand out keys as PEM (wrapped or on one line, sometimes under the wrong
// label), as bare base64, or pasted from JSON/env vars with literal "\n" escapes. Reduce
// all of them to the DER bytes; the DER itself says which structure it is.
std::optional<std::string> armored_to_der(std::string_view text) {
  std::string body;
  body.reserve(text.size());  // no reallocation, so no unwiped copies
  const Wipe wipe_body(body);
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 5, "-----") == 0) {
      // "-----BEGIN X-----" or "-----END X-----", possibly on the same line as the body.
      const auto close = text.find("-----", i + 5);
      if (close == std::string_view::npos) return std::nullopt;
      i = close + 5;
      continue;
    }
    // A backslash is never base64, so "\n"/"\r" here can only be an escaped line break.
    if (text[i] == '\\' && i + 1 < text.size() && (text[i + 1] == 'n' || text[i + 1] == 'r')) {
      i += 2;
      continue;
    }
    body += text[i];
    ++i;
  }
  auto der = base64_decode(body);
  if (!der || der->empty()) return std::nullopt;
  return der;
}

bool is_rsa(const EVP_PKEY* key) noexcept {
  return EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA;
}

// d2i_* stop at the end of the first structure; trailing bytes mean the input was not
// what we think it is, so refuse it rather than silently ignore part of a key.
template <class Ptr, class Fn>
Ptr decode_whole(const std::string& der, Fn&& fn) {
  if (der.size() > static_cast<std::size_t>(LONG_MAX)) return nullptr;
  const unsigned char* p = bytes(der);
  const unsigned char* const end = p + der.size();
  Ptr result(fn(&p, static_cast<long>(der.size())));
  if (result && p != end) result.reset();
  return result;
}

// Fetched once: an explicit fetch avoids OpenSSL 3's per-call implicit algorithm lookup
// (a global lock) on every hot-path sign/verify/decrypt. Deliberately never freed.
const EVP_MD* sha256_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

// A key's deleter, which lives as long as the key, also holds an RSA-SHA256 context set
// up once for that key. Each signature or verification copies it: setting one up looks
// the algorithms up in OpenSSL's provider store, under a lock, on every call.
struct KeyWithContext {
  std::shared_ptr<EVP_MD_CTX> prepared;  // never changed once the key is handed out
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};

// A context ready for one RSA-SHA256 (PKCS#1 v1.5) signature or verification with `pkey`.
MdCtxPtr new_rsa_sha256_context(EVP_PKEY* pkey, bool sign) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  // A null digest would make OpenSSL pick the key type's default instead of failing.
  if (!ctx || sha256_md() == nullptr) return nullptr;
  const int started = sign ? EVP_DigestSignInit(ctx.get(), &pctx, sha256_md(), nullptr, pkey)
                           : EVP_DigestVerifyInit(ctx.get(), &pctx, sha256_md(), nullptr, pkey);
  if (started != 1 || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0) {
    clear_openssl_errors();
    return nullptr;
  }
  return ctx;
}

std::shared_ptr<evp_pkey_st> keep_key(PkeyPtr pkey, bool sign) {
  KeyWithContext deleter;
  if (MdCtxPtr ctx = new_rsa_sha256_context(pkey.get(), sign)) {
    deleter.prepared = std::shared_ptr<EVP_MD_CTX>(ctx.release(), MdCtxFree());
  }
  return std::shared_ptr<evp_pkey_st>(pkey.release(), std::move(deleter));
}

// A copy of the key's prepared context, or one set up now for a key kept otherwise. Each
// call gets its own: the key is shared between threads, contexts are not.
MdCtxPtr rsa_sha256_context(const std::shared_ptr<evp_pkey_st>& key, bool sign) {
  const auto* kept = std::get_deleter<KeyWithContext>(key);
  if (kept != nullptr && kept->prepared) {
    MdCtxPtr ctx(EVP_MD_CTX_new());
    if (ctx && EVP_MD_CTX_copy_ex(ctx.get(), kept->prepared.get()) == 1) {
      // Finalised once: spares OpenSSL a copy of the context made to keep it reusable.
      EVP_MD_CTX_set_flags(ctx.get(), EVP_MD_CTX_FLAG_FINALISE);
      return ctx;
    }
    clear_openssl_errors();
  }
  return new_rsa_sha256_context(key.get(), sign);
}

const EVP_CIPHER* gcm_cipher(std::size_t key_size) {
  static EVP_CIPHER* const aes128 = EVP_CIPHER_fetch(nullptr, "AES-128-GCM", nullptr);
  static EVP_CIPHER* const aes192 = EVP_CIPHER_fetch(nullptr, "AES-192-GCM", nullptr);
  static EVP_CIPHER* const aes256 = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  switch (key_size) {
    case 16:
      return aes128;
    case 24:
      return aes192;
    case 32:
      return aes256;
    default:
      return nullptr;
  }
}

const EVP_MD* md5_md() {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "MD5", nullptr);
  return md;
}

std::string digest(const EVP_MD* md, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  if (md == nullptr || EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1) {
    clear_openssl_errors();
    // Throw rather than return "": an empty digest compared with an empty attacker-supplied
    // value would pass. Only happens when the algorithm is unavailable (e.g. MD5 under a
    // FIPS-only OpenSSL configuration).
    throw std::runtime_error("payhost crypto: digest algorithm unavailable");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

Error gcm_error(std::string code, std::string message) {
  clear_openssl_errors();
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message));
}

// Shared argument checks for both GCM directions.
std::optional<Error> check_gcm_args(std::string_view key, std::string_view nonce,
                                    std::string_view aad, std::string_view text) {
  if (gcm_cipher(key.size()) == nullptr) {
    return make_error(ErrorKind::invalid_request, "bad_key",
                      "AES-GCM key must be 16, 24 or 32 bytes");
  }
  if (nonce.empty() || nonce.size() > static_cast<std::size_t>(INT_MAX)) {
    return make_error(ErrorKind::invalid_request, "bad_nonce", "AES-GCM nonce must not be empty");
  }
  if (aad.size() > static_cast<std::size_t>(INT_MAX) ||
      text.size() > static_cast<std::size_t>(INT_MAX) - EVP_MAX_BLOCK_LENGTH) {
    return make_error(ErrorKind::invalid_request, "too_large", "AES-GCM input too large");
  }
  return std::nullopt;
}

CipherCtxPtr gcm_context(std::string_view key, std::string_view nonce, bool encrypt) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return nullptr;
  const int enc = encrypt ? 1 : 0;
  // Cipher first, then the IV length, then key and IV: the IV length must be known before
  // the IV is set, or a non-12-byte nonce would be truncated or padded.
  if (!EVP_CipherInit_ex(ctx.get(), gcm_cipher(key.size()), nullptr, nullptr, nullptr, enc) ||
      !EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()),
                           nullptr) ||
      !EVP_CipherInit_ex(ctx.get(), nullptr, nullptr, bytes(key), bytes(nonce), enc)) {
    return nullptr;
  }
  return ctx;
}

bool gcm_aad(EVP_CIPHER_CTX* ctx, std::string_view aad) {
  if (aad.empty()) return true;
  int len = 0;
  return EVP_CipherUpdate(ctx, nullptr, &len, bytes(aad), static_cast<int>(aad.size())) == 1;
}

}  // namespace

Result<PrivateKey> PrivateKey::parse(std::string_view text) {
  // Both markers contain characters outside base64, so a key body cannot trigger them.
  if (text.find("-----BEGIN ENCRYPTED") != std::string_view::npos ||
      text.find("Proc-Type:") != std::string_view::npos) {
    return key_error("encrypted private keys are not supported; provide the key unencrypted");
  }
  auto der = armored_to_der(text);
  if (!der) return key_error("private key is neither PEM nor base64 DER");
  const Wipe wipe_der(*der);
  auto pkey = decode_whole<PkeyPtr>(
      *der, [](const unsigned char** p, long n) { return d2i_AutoPrivateKey(nullptr, p, n); });
  if (!pkey) return key_error("not a PKCS#1 or PKCS#8 private key");
  if (!is_rsa(pkey.get())) return key_error("private key is not an RSA key");
  clear_openssl_errors();
  PrivateKey key;
  key.key_ = keep_key(std::move(pkey), true);
  return key;
}

std::string PrivateKey::public_key_pem() const {
  if (!key_) return {};
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || !PEM_write_bio_PUBKEY(bio.get(), key_.get())) {
    clear_openssl_errors();
    return {};
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

Result<PublicKey> PublicKey::parse(std::string_view text) {
  const auto der = armored_to_der(text);
  if (!der) return key_error("public key is neither PEM nor base64 DER");
  // The DER decides, not the PEM label: labels are often wrong in provider consoles.
  auto pkey = decode_whole<PkeyPtr>(*der, [](const unsigned char** p, long n) {
    return d2i_PUBKEY(nullptr, p, n);  // SubjectPublicKeyInfo
  });
  if (!pkey) {
    pkey = decode_whole<PkeyPtr>(*der, [](const unsigned char** p, long n) {
      return d2i_PublicKey(EVP_PKEY_RSA, nullptr, p, n);  // PKCS#1 RSAPublicKey
    });
  }
  if (!pkey) {
    auto cert = decode_whole<X509Ptr>(
        *der, [](const unsigned char** p, long n) { return d2i_X509(nullptr, p, n); });
    if (cert) pkey.reset(X509_get_pubkey(cert.get()));
  }
  if (!pkey) return key_error("not an SPKI or PKCS#1 public key or an X.509 certificate");
  if (!is_rsa(pkey.get())) return key_error("public key is not an RSA key");
  clear_openssl_errors();
  PublicKey key;
  key.key_ = keep_key(std::move(pkey), false);
  return key;
}

Result<std::string> rsa_sha256_sign(const PrivateKey& key, std::string_view data) {
  auto fail = [](std::string message) {
    clear_openssl_errors();
    return make_error(ErrorKind::internal, "sign_failed", std::move(message));
  };
  if (key.get() == nullptr) return fail("no private key loaded");
  MdCtxPtr ctx = rsa_sha256_context(key.key_, true);
  if (!ctx) return fail("RSA-SHA256 signing could not start");
  std::size_t len = static_cast<std::size_t>(EVP_PKEY_get_size(key.get()));
  std::string signature(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     bytes(data), data.size()) != 1) {
    return fail("RSA-SHA256 signing failed");
  }
  signature.resize(len);
  return signature;
}

bool rsa_sha256_verify(const PublicKey& key, std::string_view data, std::string_view signature) {
  if (key.get() == nullptr || signature.empty()) return false;
  MdCtxPtr ctx = rsa_sha256_context(key.key_, false);
  const bool ok = ctx && EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(),
                                          bytes(data), data.size()) == 1;
  clear_openssl_errors();
  return ok;
}

std::string sha256(std::string_view data) {
  return digest(sha256_md(), data);
}

std::string md5(std::string_view data) {
  return digest(md5_md(), data);
}

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  // HMAC() treats a null key as "no key"; an empty key is legal HMAC, so never pass null.
  static const unsigned char kEmpty = 0;
  const unsigned char* key_bytes = key.empty() ? &kEmpty : bytes(key);
  if (key.size() > static_cast<std::size_t>(INT_MAX) ||
      HMAC(sha256_md(), key_bytes, static_cast<int>(key.size()), bytes(data), data.size(),
           out.data(), &len) == nullptr) {
    clear_openssl_errors();
    throw std::runtime_error("payhost crypto: HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

Result<std::string> aes_gcm_encrypt(std::string_view key, std::string_view nonce,
                                    std::string_view aad, std::string_view plaintext) {
  if (auto bad = check_gcm_args(key, nonce, aad, plaintext)) return *bad;
  auto ctx = gcm_context(key, nonce, true);
  if (!ctx || !gcm_aad(ctx.get(), aad)) return gcm_error("encrypt_failed", "AES-GCM setup failed");
  std::string out(plaintext.size() + kGcmTagSize, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int len = 0;
  int total = 0;
  if (!plaintext.empty()) {
    if (EVP_CipherUpdate(ctx.get(), dst, &len, bytes(plaintext),
                         static_cast<int>(plaintext.size())) != 1) {
      return gcm_error("encrypt_failed", "AES-GCM encryption failed");
    }
    total = len;
  }
  if (EVP_CipherFinal_ex(ctx.get(), dst + total, &len) != 1) {
    return gcm_error("encrypt_failed", "AES-GCM encryption failed");
  }
  total += len;  // GCM is a stream mode: total == plaintext.size()
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                          dst + total) != 1) {
    return gcm_error("encrypt_failed", "AES-GCM tag unavailable");
  }
  out.resize(static_cast<std::size_t>(total) + kGcmTagSize);
  return out;
}

Result<std::string> aes_gcm_decrypt(std::string_view key, std::string_view nonce,
                                    std::string_view aad, std::string_view ciphertext_and_tag) {
  if (auto bad = check_gcm_args(key, nonce, aad, ciphertext_and_tag)) return *bad;
  if (ciphertext_and_tag.size() < kGcmTagSize) {
    return gcm_error("bad_ciphertext", "AES-GCM ciphertext shorter than its tag");
  }
  const auto ciphertext = ciphertext_and_tag.substr(0, ciphertext_and_tag.size() - kGcmTagSize);
  std::array<unsigned char, kGcmTagSize> tag{};
  ciphertext_and_tag.substr(ciphertext.size())
      .copy(reinterpret_cast<char*>(tag.data()), kGcmTagSize);

  auto ctx = gcm_context(key, nonce, false);
  if (!ctx || !gcm_aad(ctx.get(), aad)) return gcm_error("decrypt_failed", "AES-GCM setup failed");
  std::string out(ciphertext.size() + EVP_MAX_BLOCK_LENGTH, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  // Unauthenticated plaintext must not outlive a failed tag check.
  auto wipe_and_fail = [&out](std::string message) {
    OPENSSL_cleanse(out.data(), out.size());
    return gcm_error("bad_ciphertext", std::move(message));
  };
  int len = 0;
  int total = 0;
  if (!ciphertext.empty()) {
    if (EVP_CipherUpdate(ctx.get(), dst, &len, bytes(ciphertext),
                         static_cast<int>(ciphertext.size())) != 1) {
      return wipe_and_fail("AES-GCM decryption failed");
    }
    total = len;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagSize),
                          tag.data()) != 1 ||
      EVP_CipherFinal_ex(ctx.get(), dst + total, &len) != 1) {
    return wipe_and_fail("AES-GCM authentication failed (wrong key, nonce, AAD or data)");
  }
  total += len;
  out.resize(static_cast<std::size_t>(total));
  return out;
}

Result<GeneratedKeyPair> generate_rsa_keypair(int bits) {
  return generate_rsa_keypair(bits, RSA_F4);
}

unsigned long rsa_public_exponent(const PublicKey& key) {
  BIGNUM* e = nullptr;
  if (key.get() == nullptr || EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e) != 1) {
    clear_openssl_errors();
    return 0;
  }
  const BN_ULONG word = BN_get_word(e);
  BN_free(e);
  return word == static_cast<BN_ULONG>(-1) ? 0 : static_cast<unsigned long>(word);
}

Result<GeneratedKeyPair> generate_rsa_keypair(int bits, unsigned long public_exponent) {
  auto fail = [](std::string message) {
    clear_openssl_errors();
    return make_error(ErrorKind::internal, "keygen_failed", std::move(message));
  };
  if (bits < 2048 || bits > 16384) {
    return make_error(ErrorKind::invalid_request, "bad_key_size",
                      "RSA key size must be between 2048 and 16384 bits");
  }
  if (public_exponent < 3 || public_exponent % 2 == 0) {
    return make_error(ErrorKind::invalid_request, "bad_public_exponent",
                      "an RSA public exponent must be odd and at least 3");
  }
  std::unique_ptr<BIGNUM, decltype(&BN_free)> exponent(BN_new(), &BN_free);
  if (!exponent || BN_set_word(exponent.get(), public_exponent) != 1) {
    return fail("RSA key generation failed");
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), bits) <= 0 ||
      EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx.get(), exponent.get()) <= 0 ||
      EVP_PKEY_generate(ctx.get(), &raw) != 1) {
    return fail("RSA key generation failed");
  }
  PkeyPtr pkey(raw);

  auto to_string = [](BIO* bio) {
    char* data = nullptr;
    const long len = BIO_get_mem_data(bio, &data);
    return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
  };
  BioPtr priv(BIO_new(BIO_s_mem()));
  BioPtr pub(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 ("PRIVATE KEY") in OpenSSL 3.
  if (!priv || !pub ||
      !PEM_write_bio_PrivateKey(priv.get(), pkey.get(), nullptr, nullptr, 0, nullptr, nullptr) ||
      !PEM_write_bio_PUBKEY(pub.get(), pkey.get())) {
    return fail("RSA key export failed");
  }
  GeneratedKeyPair pair{to_string(priv.get()), to_string(pub.get())};
  // The private PEM just copied out still sits in the BIO's buffer.
  char* data = nullptr;
  const long len = BIO_get_mem_data(priv.get(), &data);
  if (len > 0) OPENSSL_cleanse(data, static_cast<std::size_t>(len));
  return pair;
}

namespace {

void fill_random(unsigned char* out, std::size_t count) {
  if (count > static_cast<std::size_t>(INT_MAX) || RAND_bytes(out, static_cast<int>(count)) != 1) {
    clear_openssl_errors();
    // Nonces and ids built from a failed CSPRNG would be predictable: never return them.
    throw std::runtime_error("payhost crypto: CSPRNG failure");
  }
}

// A call into OpenSSL's CSPRNG costs a few microseconds whatever its size, and ids ask for
// a few dozen bytes at a time: each thread draws a block and hands it out. Handed-out bytes
// are wiped from the block; a forked child draws its own (it must not repeat the parent's).
struct RandomBlock {
  static constexpr std::size_t kSize = 512;
  unsigned char bytes[kSize];
  std::size_t used = kSize;
  unsigned generation = 0;  // fork_generation() when drawn
};

// Counts forks, so a block can tell it was drawn before one without a getpid() system call
// per id (three per charge). glibc drops the handler if the library holding it is unloaded.
std::atomic<unsigned> forks{0};

unsigned fork_generation() {
  static const bool registered = [] {
    return pthread_atfork(nullptr, nullptr, [] { forks.fetch_add(1); }) == 0;
  }();
  // Without the handler, every call counts as a new generation: a fresh block each time.
  return registered ? forks.load(std::memory_order_relaxed) + 1 : 0;
}

}  // namespace

std::string random_bytes(std::size_t count) {
  std::string out(count, '\0');
  if (count == 0) return out;
  auto* dest = reinterpret_cast<unsigned char*>(out.data());
  if (count > RandomBlock::kSize / 4) {
    fill_random(dest, count);
    return out;
  }
  thread_local RandomBlock block;  // trivially destructible: safe in a plugin unloaded later
  const unsigned generation = fork_generation();
  if (generation == 0 || block.generation != generation ||
      RandomBlock::kSize - block.used < count) {
    fill_random(block.bytes, RandomBlock::kSize);
    block.used = 0;
    block.generation = generation;
  }
  std::memcpy(dest, block.bytes + block.used, count);
  OPENSSL_cleanse(block.bytes + block.used, count);
  block.used += count;
  return out;
}

namespace {
// In ASCII order, so that strings of these sort like the numbers they spell.
constexpr char kAlphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
}  // namespace

std::string random_alnum(std::size_t count) {
  constexpr unsigned kSize = sizeof(kAlphabet) - 1;  // 62
  // 248 = 4 * 62: bytes at or above it are rejected, so each symbol has odds 4/248.
  constexpr unsigned kLimit = 256 / kSize * kSize;
  std::string out;
  out.reserve(count);
  while (out.size() < count) {
    // Rejection discards about 3%; ask for a little more than needed.
    const std::string pool = random_bytes((count - out.size()) * 9 / 8 + 8);
    for (char c : pool) {
      const auto v = static_cast<unsigned char>(c);
      if (v >= kLimit) continue;
      out += kAlphabet[v % kSize];
      if (out.size() == count) break;
    }
  }
  return out;
}

std::string time_ordered_alnum(std::size_t count) {
  constexpr std::size_t kTimeDigits = 8;  // 62^8 ms from 1970: until the year 8889
  if (count < 16) throw std::invalid_argument("time_ordered_alnum: count under 16");
  auto ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  std::string out(kTimeDigits, '0');
  for (std::size_t i = kTimeDigits; i-- > 0; ms /= 62)
    out[i] = kAlphabet[ms % 62];
  return out + random_alnum(count - kTimeDigits);
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
  // Length is not secret in any of our protocols (tags, digests and signatures have fixed
  // sizes), so an early return on it leaks nothing useful.
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace payhost::sdk::crypto
