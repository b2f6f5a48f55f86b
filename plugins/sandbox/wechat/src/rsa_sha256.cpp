#include "rsa_sha256.hpp"

#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "payhost/sdk/encoding.hpp"

namespace payhost::sandbox_wechat {
namespace {

struct BioFree {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct X509Free {
  void operator()(X509* cert) const noexcept { X509_free(cert); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

BioPtr memory_bio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// OpenSSL queues failures per thread; one left behind would surface in a later, unrelated
// call on the same worker thread.
void drop_openssl_errors() {
  ERR_clear_error();
}

sdk::Error key_error(const char* what) {
  drop_openssl_errors();
  return sdk::make_error(sdk::ErrorKind::invalid_request, "sandbox_wechat_bad_key", what);
}

EVP_PKEY* decode_public(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return nullptr;
  EVP_PKEY* raw = nullptr;
  OSSL_DECODER_CTX* dctx = OSSL_DECODER_CTX_new_for_pkey(&raw, "PEM", nullptr, "RSA",
                                                         EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
  if (dctx == nullptr) return nullptr;
  const bool decoded = OSSL_DECODER_from_bio(dctx, bio.get()) == 1;
  OSSL_DECODER_CTX_free(dctx);
  if (!decoded) {
    EVP_PKEY_free(raw);
    return nullptr;
  }
  return raw;
}

EVP_PKEY* public_of_certificate(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return nullptr;
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return nullptr;
  return X509_get_pubkey(cert.get());  // a new reference, freed by the caller
}

}  // namespace

sdk::Result<RsaKey> RsaKey::private_from_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return key_error("cannot allocate a BIO");
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (raw == nullptr) return key_error("not a PEM private key");
  RsaKey key;
  key.key_.reset(raw, EVP_PKEY_free);
  if (EVP_PKEY_is_a(raw, "RSA") != 1) return key_error("the private key is not RSA");
  return key;
}

sdk::Result<RsaKey> RsaKey::public_from_pem(std::string_view pem) {
  const bool certificate = pem.find("-----BEGIN CERTIFICATE-----") != std::string_view::npos;
  EVP_PKEY* raw = certificate ? public_of_certificate(pem) : decode_public(pem);
  if (raw == nullptr) {
    return key_error(certificate ? "not a PEM certificate" : "not a PEM public key");
  }
  RsaKey key;
  key.key_.reset(raw, EVP_PKEY_free);
  if (EVP_PKEY_is_a(raw, "RSA") != 1) return key_error("the public key is not RSA");
  drop_openssl_errors();  // the decoder may leave notes from formats it tried first
  return key;
}

std::optional<std::string> rsa_sign_base64(const RsaKey& private_key, std::string_view data) {
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

bool rsa_verify_base64(const RsaKey& public_key, std::string_view data,
                       std::string_view signature_b64) {
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

std::string sha256_digest(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), out, &length, EVP_sha256(), nullptr) != 1) {
    drop_openssl_errors();
    throw std::runtime_error("SHA-256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), length);
}

}  // namespace payhost::sandbox_wechat
