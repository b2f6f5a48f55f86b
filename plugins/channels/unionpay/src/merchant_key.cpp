#include "merchant_key.hpp"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <memory>

#include "certificates.hpp"

namespace payhost::unionpay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

constexpr std::size_t kMaxPfxBytes = 64 * 1024;

sdk::Error refusal(std::string code, std::string message) {
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message));
}

sdk::Result<MerchantKey> describe(sdk::crypto::PrivateKey key, const x509_st* cert) {
  if (X509_check_private_key(cert, key.get()) != 1) {
    return refusal("key_mismatch", "the private key does not belong to the certificate");
  }
  MerchantKey m{std::move(key), serial_decimal(cert), common_name(cert).value_or(""),
                not_after(cert), public_key_pem(cert)};
  if (m.cert_id.empty()) return refusal("malformed_certificate", "no readable serial number");
  return m;
}

// PKCS#8 PEM of an in-memory key, handed to the SDK's parser and wiped afterwards.
sdk::Result<sdk::crypto::PrivateKey> to_sdk_key(EVP_PKEY* pkey) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_secmem()), &BIO_free);
  if (!bio) bio.reset(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PKCS8PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return make_error(ErrorKind::internal, "openssl", "could not export the .pfx key");
  }
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || !data) return make_error(ErrorKind::internal, "openssl", "empty key export");
  std::string pem(data, static_cast<std::size_t>(len));
  auto key = sdk::crypto::PrivateKey::parse(pem);
  OPENSSL_cleanse(pem.data(), pem.size());
  return key;
}

}  // namespace

sdk::Result<MerchantKey> load_pkcs12(std::string_view der, std::string_view password) {
  if (der.empty() || der.size() > kMaxPfxBytes) {
    return refusal("malformed_pfx", "a .pfx file must be 1 byte to 64 KiB");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<PKCS12, decltype(&PKCS12_free)> p12(
      d2i_PKCS12(nullptr, &p, static_cast<long>(der.size())), &PKCS12_free);
  if (!p12) return refusal("malformed_pfx", "not a PKCS#12 (.pfx) file");
  const std::string pass(password);
  if (PKCS12_mac_present(p12.get()) &&
      PKCS12_verify_mac(p12.get(), pass.c_str(), static_cast<int>(pass.size())) != 1) {
    return refusal("wrong_password", "the .pfx password is wrong");
  }
  EVP_PKEY* raw_key = nullptr;
  X509* raw_cert = nullptr;
  STACK_OF(X509)* raw_ca = nullptr;
  const int parsed = PKCS12_parse(p12.get(), pass.c_str(), &raw_key, &raw_cert, &raw_ca);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(raw_key, &EVP_PKEY_free);
  X509Ptr cert(raw_cert);
  sk_X509_pop_free(raw_ca, X509_free);
  if (parsed != 1) {
    return refusal("malformed_pfx",
                   "the .pfx does not open with this password (or a cipher "
                   "OpenSSL does not offer)");
  }
  if (!pkey) return refusal("malformed_pfx", "the .pfx holds no private key");
  if (!cert) return refusal("no_certificate", "the .pfx holds no certificate for its key");
  if (EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) {
    return refusal("not_rsa", "the .pfx key is not an RSA key");
  }
  auto key = to_sdk_key(pkey.get());
  if (!key) return key.error();
  return describe(std::move(*key), cert.get());
}

sdk::Result<MerchantKey> load_pem_pair(std::string_view private_key_pem,
                                       std::string_view certificate_pem) {
  auto key = sdk::crypto::PrivateKey::parse(private_key_pem);
  if (!key) return refusal("malformed_key", key.error().message);
  if (EVP_PKEY_get_base_id(key->get()) != EVP_PKEY_RSA) {
    return refusal("not_rsa", "the private key is not an RSA key");
  }
  auto cert = parse_certificate(certificate_pem);
  if (!cert) return cert.error();
  return describe(std::move(*key), cert->get());
}

}  // namespace payhost::unionpay
