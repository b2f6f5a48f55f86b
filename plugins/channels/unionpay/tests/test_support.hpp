// Test doubles for the host services the UnionPay plugin uses (a fake Host with a movable
// clock and a scripted HttpClient), a test PKI shaped like UnionPay's (root ->
// intermediate -> a signing certificate naming 中国银联股份有限公司, a merchant .pfx, and the
// bad certificates refusals need), a stand-in for UnionPay's signing side written apart
// from the plugin's own, and fixtures.
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/testing/fake_host.hpp"

namespace payhost::unionpay::testing {

inline constexpr std::int64_t kNow = 1796459400;  // 2026-12-05T16:30:00+08:00
inline constexpr const char* kUnionPayCn = "041@8310000000083040@中国银联股份有限公司@00016495";
inline constexpr const char* kMerId = "777290058167151";

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(UNIONPAY_FIXTURE_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline void write_file(const std::filesystem::path& path, const std::string& bytes) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

// ---- a small PKI --------------------------------------------------------------------

struct Key {
  std::string private_pem;
  std::string public_pem;
  std::shared_ptr<EVP_PKEY> pkey;
};

inline Key make_key(unsigned long exponent = 65537) {
  auto g = sdk::crypto::generate_rsa_keypair(2048, exponent);
  if (!g) throw std::runtime_error("keygen failed");
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(g->private_key_pem.data(), static_cast<int>(g->private_key_pem.size())),
      &BIO_free);
  EVP_PKEY* raw = PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (!raw) throw std::runtime_error("cannot read generated key");
  return Key{g->private_key_pem, g->public_key_pem, std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free)};
}

struct Cert {
  std::shared_ptr<X509> x509;
  std::string pem;  // LF line ends, as OpenSSL writes it
  // As UnionPay sends signPubKeyCert: CRLF line ends.
  std::string crlf() const {
    std::string out;
    for (const char c : pem) {
      if (c == '\n') out.push_back('\r');
      out.push_back(c);
    }
    while (out.size() >= 2 && out.ends_with("\r\n"))
      out.resize(out.size() - 2);
    return out;
  }
};

inline void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (!ext) throw std::runtime_error("bad extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A certificate for `key` named `cn`, signed by `issuer_key` (self-signed when issuer is
// null), valid from `from` to `until` (Unix seconds).
inline Cert make_cert(const std::string& cn, const Key& key, const Cert* issuer,
                      const Key& issuer_key, bool ca, std::int64_t from, std::int64_t until,
                      long serial) {
  std::shared_ptr<X509> x(X509_new(), X509_free);
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), serial);
  ASN1_TIME_set(X509_getm_notBefore(x.get()), static_cast<time_t>(from));
  ASN1_TIME_set(X509_getm_notAfter(x.get()), static_cast<time_t>(until));
  X509_set_pubkey(x.get(), key.pkey.get());
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "C", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("CN"),
                             -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x.get(), issuer ? X509_get_subject_name(issuer->x509.get()) : name);
  X509* issuer_x = issuer ? issuer->x509.get() : x.get();
  add_ext(x.get(), issuer_x, NID_basic_constraints, ca ? "critical,CA:TRUE" : "CA:FALSE");
  add_ext(x.get(), issuer_x, NID_key_usage,
          ca ? "critical,keyCertSign,cRLSign" : "critical,digitalSignature,nonRepudiation");
  add_ext(x.get(), issuer_x, NID_subject_key_identifier, "hash");
  if (X509_sign(x.get(), issuer_key.pkey.get(), EVP_sha256()) == 0) {
    throw std::runtime_error("X509_sign failed");
  }
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  PEM_write_bio_X509(bio.get(), x.get());
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return Cert{x, std::string(data, static_cast<std::size_t>(len))};
}

inline std::string make_pfx(const Key& key, const Cert& cert, const std::string& password) {
  PKCS12* p12 = PKCS12_create(password.c_str(), "test merchant", key.pkey.get(), cert.x509.get(),
                              nullptr, 0, 0, 0, 0, 0);
  if (!p12) throw std::runtime_error("PKCS12_create failed");
  unsigned char* der = nullptr;
  const int len = i2d_PKCS12(p12, &der);
  PKCS12_free(p12);
  std::string out(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

inline std::string serial_of(const Cert& cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert.x509.get()), nullptr);
  char* dec = BN_bn2dec(bn);
  std::string out(dec);
  OPENSSL_free(dec);
  BN_free(bn);
  return out;
}

// Everything the tests need, made once (key generation is slow).
struct Pki {
  static constexpr std::int64_t kDay = 86400;
  static constexpr std::int64_t kYear = 365 * kDay;

  Key root_key = make_key(), middle_key = make_key(), sign_key = make_key(),
      merchant_key = make_key(), outsider_key = make_key();
  Cert root = make_cert("payhost test UnionPay root", root_key, nullptr, root_key, true,
                        kNow - kYear, kNow + 10 * kYear, 1);
  Cert middle = make_cert("payhost test UnionPay intermediate", middle_key, &root, root_key, true,
                          kNow - kYear, kNow + 10 * kYear, 2);
  Cert sign = make_cert(kUnionPayCn, sign_key, &middle, middle_key, false, kNow - kDay,
                        kNow + 2 * kYear, 69678957876);
  Cert foreign = make_cert("041@8310000000083040@某某科技有限公司@00016495", sign_key, &middle,
                           middle_key, false, kNow - kDay, kNow + 2 * kYear, 11);
  Cert expired = make_cert(kUnionPayCn, sign_key, &middle, middle_key, false, kNow - 2 * kYear,
                           kNow - kYear, 12);
  Cert direct =
      make_cert(kUnionPayCn, sign_key, &root, root_key, false, kNow - kDay, kNow + 2 * kYear, 13);
  Cert outsider_root = make_cert("outsider root", outsider_key, nullptr, outsider_key, true,
                                 kNow - kYear, kNow + 10 * kYear, 14);
  Cert outsider = make_cert(kUnionPayCn, sign_key, &outsider_root, outsider_key, false, kNow - kDay,
                            kNow + 2 * kYear, 15);
  Cert merchant = make_cert("041@Z2026-12-05@777290058167151:SIGN@00000001", merchant_key, &middle,
                            middle_key, false, kNow - kDay, kNow + 10 * kYear, 69903319369);
  std::string merchant_pfx = make_pfx(merchant_key, merchant, "000000");
};

inline const Pki& pki() {
  static const Pki instance;
  return instance;
}

// Writes what the simulator writes into <data_dir>/sandbox-unionpay/.
inline void write_sandbox_files(const std::filesystem::path& data_dir) {
  const auto dir = data_dir / "sandbox-unionpay";
  write_file(dir / "root.cer", pki().root.pem);
  write_file(dir / "middle.cer", pki().middle.pem);
  write_file(dir / "merchant.pfx", pki().merchant_pfx);
}

inline std::filesystem::path fresh_dir(const std::string& tag) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("payhost-unionpay-" + tag + "-" + sdk::crypto::random_alnum(10));
  std::filesystem::create_directories(dir);
  return dir;
}

// ---- UnionPay's side, written apart from the plugin's signing code --------------------

using Pairs = std::vector<std::pair<std::string, std::string>>;

inline std::string sorted_join(const Pairs& fields) {
  std::map<std::string, std::string> sorted;
  for (const auto& [k, v] : fields) {
    if (k != "signature") sorted[k] = v;
  }
  std::string out;
  for (const auto& [k, v] : sorted) {
    if (!out.empty()) out += "&";
    out += k + "=" + v;
  }
  return out;
}

inline std::string sign_pairs(const std::string& private_pem, const Pairs& fields) {
  auto key = sdk::crypto::PrivateKey::parse(private_pem);
  if (!key) throw std::runtime_error("bad test key");
  const std::string digest = sdk::hex_lower(sdk::crypto::sha256(sorted_join(fields)));
  auto raw = sdk::crypto::rsa_sha256_sign(*key, digest);
  if (!raw) throw std::runtime_error("sign failed");
  return sdk::base64_encode(*raw);
}

inline bool verifies_with(const std::string& public_pem, const Pairs& fields) {
  std::string signature;
  for (const auto& [k, v] : fields) {
    if (k == "signature") signature = v;
  }
  auto key = sdk::crypto::PublicKey::parse(public_pem);
  auto raw = sdk::base64_decode(signature);
  const std::string digest = sdk::hex_lower(sdk::crypto::sha256(sorted_join(fields)));
  return key && raw && sdk::crypto::rsa_sha256_verify(*key, digest, *raw);
}

// Adds signPubKeyCert (CRLF PEM) and signature as UnionPay does.
inline Pairs unionpay_signed(Pairs fields, const Cert& cert = pki().sign,
                             const std::string& private_pem = pki().sign_key.private_pem) {
  fields.emplace_back("signPubKeyCert", cert.crlf());
  fields.emplace_back("signature", sign_pairs(private_pem, fields));
  return fields;
}

// A synchronous answer body: raw k=v joined with '&', nothing encoded.
inline std::string raw_answer(const Pairs& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += "&";
    out += k + "=" + v;
  }
  return out;
}

inline Pairs parse_request_form(const std::string& body) {
  Pairs out;
  std::size_t start = 0;
  while (start <= body.size()) {
    auto amp = body.find('&', start);
    if (amp == std::string::npos) amp = body.size();
    const std::string pair = body.substr(start, amp - start);
    const auto eq = pair.find('=');
    out.emplace_back(*sdk::url_decode(pair.substr(0, eq)), *sdk::url_decode(pair.substr(eq + 1)));
    start = amp + 1;
  }
  return out;
}

inline std::string value_of(const Pairs& fields, const std::string& name) {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return "<absent>";
}

// ---- host doubles ----------------------------------------------------------------------

// The kit's host as these tests want it: reached at http://127.0.0.1:8080, its clock at
// kNow; its data directory starts empty (write_sandbox_files fills it).
class TestHost final : public sdk::testing::FakeHost {
 public:
  TestHost() {
    base_url = "http://127.0.0.1:8080";
    time.set(kNow);
  }
};

}  // namespace payhost::unionpay::testing
