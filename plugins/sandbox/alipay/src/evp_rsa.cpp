#include "evp_rsa.hpp"

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "payhost/sdk/encoding.hpp"

namespace payhost::sandbox_alipay::rsa {
namespace {

struct BioFree {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

BioPtr memory_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// OpenSSL keeps failures in a per-thread queue; leaving them there would make a later,
// unrelated OpenSSL call on this worker thread report our stale error.
void drop_openssl_errors() {
  ERR_clear_error();
}

sdk::Error key_error(const char* what) {
  drop_openssl_errors();
  return sdk::make_error(sdk::ErrorKind::invalid_request, "sandbox_bad_key", what);
}

}  // namespace

sdk::Result<Key> Key::private_from_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return key_error("cannot allocate a BIO");
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (raw == nullptr) return key_error("not a PEM private key");
  Key key;
  key.key_.reset(raw, EVP_PKEY_free);
  if (EVP_PKEY_is_a(raw, "RSA") != 1) return key_error("the private key is not RSA");
  return key;
}

sdk::Result<Key> Key::public_from_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return key_error("cannot allocate a BIO");
  // The decoder takes both SubjectPublicKeyInfo and PKCS#1 PEM without deprecated APIs.
  EVP_PKEY* raw = nullptr;
  OSSL_DECODER_CTX* dctx = OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, "RSA",
                                                         EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
  if (dctx == nullptr) return key_error("cannot create a key decoder");
  const bool decoded = OSSL_DECODER_from_bio(dctx, bio.get()) == 1;
  OSSL_DECODER_CTX_free(dctx);
  if (!decoded) {
    EVP_PKEY_free(raw);
    raw = nullptr;
  }
  if (raw == nullptr) return key_error("not a PEM public key");
  Key key;
  key.key_.reset(raw, EVP_PKEY_free);
  if (EVP_PKEY_is_a(raw, "RSA") != 1) return key_error("the public key is not RSA");
  return key;
}

std::optional<std::string> sign_base64(const Key& private_key, std::string_view data) {
  if (private_key.empty()) return std::nullopt;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return std::nullopt;
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestSignInit(ctx.get(), &pctx, EVP_sha256(), nullptr, private_key.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0) {
    drop_openssl_errors();
    return std::nullopt;
  }
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  std::size_t length = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &length, bytes, data.size()) != 1) {
    drop_openssl_errors();
    return std::nullopt;
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &length, bytes,
                     data.size()) != 1) {
    drop_openssl_errors();
    return std::nullopt;
  }
  signature.resize(length);
  return sdk::base64_encode(signature);
}

bool verify_base64(const Key& public_key, std::string_view data, std::string_view signature_b64) {
  if (public_key.empty()) return false;
  const auto signature = sdk::base64_decode(signature_b64);
  if (!signature || signature->empty()) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  EVP_PKEY_CTX* pctx = nullptr;
  if (EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, public_key.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) <= 0) {
    drop_openssl_errors();
    return false;
  }
  const int rc = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
      reinterpret_cast<const unsigned char*>(data.data()), data.size());
  if (rc != 1) drop_openssl_errors();
  return rc == 1;
}

}  // namespace payhost::sandbox_alipay::rsa
