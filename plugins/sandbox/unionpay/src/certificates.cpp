#include "certificates.hpp"

#include <stdexcept>

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include "payhost/sdk/encoding.hpp"

namespace payhost::sandbox_unionpay {
namespace {

sdk::Error cert_error(std::string message) {
  return sdk::make_error(sdk::ErrorKind::internal, "sandbox_certificate", std::move(message));
}

struct BioFree {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

struct NameFree {
  void operator()(X509_NAME* n) const noexcept { X509_NAME_free(n); }
};
struct BnFree {
  void operator()(BIGNUM* b) const noexcept { BN_free(b); }
};
struct StoreFree {
  void operator()(X509_STORE* s) const noexcept { X509_STORE_free(s); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* c) const noexcept { X509_STORE_CTX_free(c); }
};
struct StackFree {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_free(s); }
};
struct StackPopFree {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_pop_free(s, X509_free); }
};
struct Pkcs12Free {
  void operator()(PKCS12* p) const noexcept { PKCS12_free(p); }
};

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<std::size_t>(size));
}

bool add_extension(X509* certificate, X509V3_CTX* ctx, int nid, const char* value) {
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
  if (ext == nullptr) return false;
  const int ok = X509_add_ext(certificate, ext, -1);
  X509_EXTENSION_free(ext);
  return ok == 1;
}

bool add_name_entry(X509_NAME* name, const char* field, const std::string& value) {
  return X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                                    reinterpret_cast<const unsigned char*>(value.c_str()), -1, -1,
                                    0) == 1;
}

}  // namespace

void X509Free::operator()(x509_st* certificate) const noexcept {
  X509_free(certificate);
}

std::string random_serial_hex(std::size_t bytes) {
  std::string raw(bytes, '\0');
  if (bytes == 0 ||
      RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(bytes)) != 1) {
    throw std::runtime_error("RAND_bytes failed");
  }
  // Positive (top bit clear) and of full length (first byte not zero).
  raw[0] = static_cast<char>((static_cast<unsigned char>(raw[0]) & 0x7F) | 0x10);
  return sdk::hex_lower(raw);
}

sdk::Result<Certificate> issue_certificate(const CertificateSpec& spec, const RsaKey& subject_key,
                                           x509_st* issuer, const RsaKey& issuer_key) {
  if (subject_key.empty() || (!spec.root && (issuer == nullptr || issuer_key.empty()))) {
    return cert_error("a certificate needs its subject key and, unless self-signed, an issuer");
  }
  Certificate certificate(X509_new());
  if (!certificate) return cert_error("out of memory");
  X509* x = certificate.get();

  BIGNUM* serial_raw = nullptr;
  if (BN_hex2bn(&serial_raw, spec.serial_hex.c_str()) == 0) return cert_error("bad serial");
  std::unique_ptr<BIGNUM, BnFree> serial(serial_raw);
  std::unique_ptr<X509_NAME, NameFree> name(X509_NAME_new());
  if (X509_set_version(x, X509_VERSION_3) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(x)) == nullptr ||
      ASN1_TIME_set(X509_getm_notBefore(x), static_cast<time_t>(spec.not_before)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(x), static_cast<time_t>(spec.not_after)) == nullptr) {
    return cert_error("setting serial or validity failed");
  }
  if (!name || !add_name_entry(name.get(), "C", "CN") ||
      (!spec.organization.empty() && !add_name_entry(name.get(), "O", spec.organization)) ||
      !add_name_entry(name.get(), "CN", spec.common_name) ||
      X509_set_subject_name(x, name.get()) != 1 ||
      X509_set_issuer_name(x, spec.root ? name.get() : X509_get_subject_name(issuer)) != 1 ||
      X509_set_pubkey(x, subject_key.get()) != 1) {
    return cert_error("setting the names or the public key failed (CN " + spec.common_name + ")");
  }

  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, spec.root ? x : issuer, x, nullptr, nullptr, 0);
  bool ok = true;
  if (spec.root) {
    ok = add_extension(x, &ctx, NID_basic_constraints, "critical,CA:TRUE") &&
         add_extension(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign") &&
         add_extension(x, &ctx, NID_subject_key_identifier, "hash");
  } else if (spec.ca) {
    ok = add_extension(x, &ctx, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
         add_extension(x, &ctx, NID_key_usage, "critical,keyCertSign,cRLSign") &&
         add_extension(x, &ctx, NID_subject_key_identifier, "hash") &&
         add_extension(x, &ctx, NID_authority_key_identifier, "keyid:always");
  } else {
    ok = add_extension(x, &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
         add_extension(x, &ctx, NID_key_usage, "critical,digitalSignature,nonRepudiation") &&
         add_extension(x, &ctx, NID_subject_key_identifier, "hash") &&
         add_extension(x, &ctx, NID_authority_key_identifier, "keyid:always");
  }
  if (!ok) return cert_error("adding the X.509v3 extensions failed");
  const RsaKey& signer = spec.root ? subject_key : issuer_key;
  if (X509_sign(x, signer.get(), EVP_sha256()) <= 0) return cert_error("signing failed");
  return certificate;
}

std::string certificate_pem(x509_st* certificate) {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate) != 1) return {};
  return bio_text(bio.get());
}

std::string certificate_pem_crlf(x509_st* certificate) {
  const std::string pem = certificate_pem(certificate);
  std::string out;
  out.reserve(pem.size() + pem.size() / 32);
  std::size_t start = 0;
  while (start < pem.size()) {
    std::size_t end = pem.find('\n', start);
    if (end == std::string::npos) end = pem.size();
    if (end > start) {
      if (!out.empty()) out += "\r\n";
      out.append(pem, start, end - start);
    }
    start = end + 1;
  }
  return out;
}

sdk::Result<Certificate> certificate_from_pem(std::string_view pem) {
  if (pem.size() > 64 * 1024) return cert_error("certificate PEM too large");
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return cert_error("out of memory");
  Certificate certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!certificate) return cert_error("not a PEM certificate");
  return certificate;
}

Certificate copy_certificate(x509_st* certificate) {
  if (certificate == nullptr || X509_up_ref(certificate) != 1) return Certificate();
  return Certificate(certificate);
}

std::string common_name(x509_st* certificate) {
  X509_NAME* name = X509_get_subject_name(certificate);
  const int index = name == nullptr ? -1 : X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  unsigned char* utf8 = nullptr;
  const int size = ASN1_STRING_to_UTF8(&utf8, data);
  if (size < 0 || utf8 == nullptr) return {};
  std::string out(reinterpret_cast<char*>(utf8), static_cast<std::size_t>(size));
  OPENSSL_free(utf8);
  return out;
}

std::string serial_decimal(x509_st* certificate) {
  std::unique_ptr<BIGNUM, BnFree> bn(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(certificate), nullptr));
  if (!bn) return {};
  char* text = BN_bn2dec(bn.get());
  if (text == nullptr) return {};
  std::string out(text);
  OPENSSL_free(text);
  return out;
}

bool certificate_matches_key(x509_st* certificate, const RsaKey& key) {
  EVP_PKEY* public_key = X509_get0_pubkey(certificate);
  return public_key != nullptr && !key.empty() && EVP_PKEY_eq(public_key, key.get()) == 1;
}

std::optional<std::string> chain_error(x509_st* leaf, x509_st* root,
                                       const std::vector<x509_st*>& intermediates,
                                       std::optional<std::int64_t> at) {
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx || X509_STORE_add_cert(store.get(), root) != 1) {
    return "setting up the verification failed";
  }
  for (x509_st* middle : intermediates) {
    if (sk_X509_push(untrusted.get(), middle) <= 0) return "out of memory";
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1) {
    return "setting up the verification failed";
  }
  if (at) X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(*at));
  if (X509_verify_cert(ctx.get()) == 1) return std::nullopt;
  return X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
}

sdk::Result<std::string> make_pkcs12(const RsaKey& key, x509_st* certificate,
                                     const std::vector<x509_st*>& chain,
                                     const std::string& password,
                                     const std::string& friendly_name) {
  std::unique_ptr<STACK_OF(X509), StackFree> cas(sk_X509_new_null());
  if (!cas) return cert_error("out of memory");
  for (x509_st* c : chain) {
    if (sk_X509_push(cas.get(), c) <= 0) return cert_error("out of memory");
  }
  // OpenSSL 3's defaults: AES-256-CBC with PBKDF2 for both bags and an HMAC-SHA256 MAC.
  std::unique_ptr<PKCS12, Pkcs12Free> p12(PKCS12_create(
      password.c_str(), friendly_name.c_str(), key.get(), certificate, cas.get(), 0, 0, 0, 0, 0));
  if (!p12) return cert_error("PKCS12_create failed");
  const int size = i2d_PKCS12(p12.get(), nullptr);
  if (size <= 0) return cert_error("encoding the PKCS#12 failed");
  std::string der(static_cast<std::size_t>(size), '\0');
  unsigned char* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_PKCS12(p12.get(), &out) != size) return cert_error("encoding the PKCS#12 failed");
  return der;
}

sdk::Result<Pkcs12Contents> read_pkcs12(std::string_view der, const std::string& password) {
  if (der.size() > 1024 * 1024) return cert_error("PKCS#12 file too large");
  const unsigned char* in = reinterpret_cast<const unsigned char*>(der.data());
  std::unique_ptr<PKCS12, Pkcs12Free> p12(d2i_PKCS12(nullptr, &in, static_cast<long>(der.size())));
  if (!p12) return cert_error("not a PKCS#12 file");
  EVP_PKEY* key = nullptr;
  X509* certificate = nullptr;
  STACK_OF(X509)* cas = nullptr;
  if (PKCS12_parse(p12.get(), password.c_str(), &key, &certificate, &cas) != 1) {
    return cert_error("the PKCS#12 file does not open with this password");
  }
  Pkcs12Contents out;
  out.key = RsaKey::share(key);
  EVP_PKEY_free(key);
  out.certificate.reset(certificate);
  std::unique_ptr<STACK_OF(X509), StackPopFree> chain(cas);
  if (chain) {
    for (int i = 0; i < sk_X509_num(chain.get()); ++i) {
      out.chain.push_back(copy_certificate(sk_X509_value(chain.get(), i)));
    }
  }
  if (out.key.empty() || !out.certificate) {
    return cert_error("the PKCS#12 file holds no key or no certificate");
  }
  return out;
}

}  // namespace payhost::sandbox_unionpay
