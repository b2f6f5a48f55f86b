#include "acp_signature.hpp"

#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "payhost/sdk/encoding.hpp"

namespace payhost::sandbox_unionpay {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

sdk::Error key_error(std::string message) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "sandbox_bad_key", std::move(message));
}

}  // namespace

sdk::Result<RsaKey> RsaKey::private_from_pem(std::string_view pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return key_error("out of memory");
  EVP_PKEY* key = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (key == nullptr) return key_error("not a PEM private key");
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return key_error("not an RSA key");
  }
  RsaKey out;
  out.key_.reset(key, EVP_PKEY_free);
  return out;
}

sdk::Result<RsaKey> RsaKey::public_from_certificate(x509_st* certificate) {
  EVP_PKEY* key = certificate == nullptr ? nullptr : X509_get_pubkey(certificate);
  if (key == nullptr) return key_error("the certificate holds no readable public key");
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
    EVP_PKEY_free(key);
    return key_error("the certificate's key is not RSA");
  }
  RsaKey out;
  out.key_.reset(key, EVP_PKEY_free);
  return out;
}

RsaKey RsaKey::share(evp_pkey_st* key) {
  RsaKey out;
  if (key != nullptr && EVP_PKEY_up_ref(key) == 1) out.key_.reset(key, EVP_PKEY_free);
  return out;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (unsigned int i = 0; i < size; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0F];
  }
  return out;
}

std::string signing_string(const Fields& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (name == "signature" || value.empty()) continue;
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    out += value;
  }
  return out;
}

std::optional<std::string> rsa_sha256_sign(const RsaKey& private_key, std::string_view data) {
  if (private_key.empty()) return std::nullopt;
  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, private_key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    return std::nullopt;
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1) {
    return std::nullopt;
  }
  signature.resize(size);
  return signature;
}

bool rsa_sha256_verify(const RsaKey& public_key, std::string_view data,
                       std::string_view signature) {
  if (public_key.empty() || signature.empty()) return false;
  MdCtx ctx(EVP_MD_CTX_new());
  return ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, public_key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                          data.size()) == 1;
}

std::optional<std::string> sign_fields(const RsaKey& private_key, const Fields& fields) {
  auto signature = rsa_sha256_sign(private_key, sha256_hex(signing_string(fields)));
  if (!signature) return std::nullopt;
  return sdk::base64_encode(*signature);
}

bool verify_fields(const RsaKey& public_key, const Fields& fields, std::string_view signature_b64) {
  // A signature is 256 bytes for RSA-2048 (512 for 4096): anything far longer is junk.
  if (signature_b64.empty() || signature_b64.size() > 2048) return false;
  const auto signature = sdk::base64_decode(signature_b64);
  if (!signature) return false;
  return rsa_sha256_verify(public_key, sha256_hex(signing_string(fields)), *signature);
}

}  // namespace payhost::sandbox_unionpay
