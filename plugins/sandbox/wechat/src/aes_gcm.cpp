#include "aes_gcm.hpp"

#include <climits>
#include <memory>

#include <openssl/err.h>
#include <openssl/evp.h>

namespace payhost::sandbox_wechat {
namespace {

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const noexcept { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

const EVP_CIPHER* cipher_for(std::size_t key_bytes) {
  switch (key_bytes) {
    case 16:
      return EVP_aes_128_gcm();
    case 24:
      return EVP_aes_192_gcm();
    case 32:
      return EVP_aes_256_gcm();
    default:
      return nullptr;
  }
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

bool fits_int(std::string_view s) {
  return s.size() <= static_cast<std::size_t>(INT_MAX);
}

// Sets cipher, IV length (GCM's default is 12 bytes), key and IV, then feeds the AAD.
bool start(EVP_CIPHER_CTX* ctx, bool encrypt, std::string_view key, std::string_view nonce,
           std::string_view aad) {
  const EVP_CIPHER* cipher = cipher_for(key.size());
  if (cipher == nullptr || nonce.empty() || !fits_int(nonce) || !fits_int(aad)) return false;
  const auto init = encrypt ? EVP_EncryptInit_ex : EVP_DecryptInit_ex;
  if (init(ctx, cipher, nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(nonce.size()), nullptr) !=
          1 ||
      init(ctx, nullptr, nullptr, bytes(key), bytes(nonce)) != 1) {
    return false;
  }
  int ignored = 0;
  if (!aad.empty()) {
    const auto update = encrypt ? EVP_EncryptUpdate : EVP_DecryptUpdate;
    if (update(ctx, nullptr, &ignored, bytes(aad), static_cast<int>(aad.size())) != 1) {
      return false;
    }
  }
  return true;
}

}  // namespace

std::optional<std::string> aes_gcm_seal(std::string_view key, std::string_view nonce,
                                        std::string_view aad, std::string_view plaintext) {
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || !fits_int(plaintext) || !start(ctx.get(), true, key, nonce, aad)) {
    ERR_clear_error();
    return std::nullopt;
  }
  std::string out(plaintext.size() + kGcmTagBytes, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int written = 0, final_bytes = 0;
  if ((!plaintext.empty() && EVP_EncryptUpdate(ctx.get(), dst, &written, bytes(plaintext),
                                               static_cast<int>(plaintext.size())) != 1) ||
      EVP_EncryptFinal_ex(ctx.get(), dst + written, &final_bytes) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes),
                          dst + plaintext.size()) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return out;
}

std::optional<std::string> aes_gcm_open(std::string_view key, std::string_view nonce,
                                        std::string_view aad, std::string_view ciphertext_and_tag) {
  if (ciphertext_and_tag.size() < kGcmTagBytes) return std::nullopt;
  const std::string_view ciphertext =
      ciphertext_and_tag.substr(0, ciphertext_and_tag.size() - kGcmTagBytes);
  std::string tag(ciphertext_and_tag.substr(ciphertext.size()));
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  if (!ctx || !fits_int(ciphertext) || !start(ctx.get(), false, key, nonce, aad)) {
    ERR_clear_error();
    return std::nullopt;
  }
  std::string out(ciphertext.size(), '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  int written = 0, final_bytes = 0;
  if ((!ciphertext.empty() && EVP_DecryptUpdate(ctx.get(), dst, &written, bytes(ciphertext),
                                                static_cast<int>(ciphertext.size())) != 1) ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagBytes),
                          tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), dst + written, &final_bytes) != 1) {
    ERR_clear_error();
    return std::nullopt;
  }
  return out;
}

}  // namespace payhost::sandbox_wechat
