#include "certificates.hpp"

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace payhost::unionpay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

constexpr std::string_view kBegin = "-----BEGIN CERTIFICATE-----";
constexpr std::string_view kEnd = "-----END CERTIFICATE-----";

sdk::Error refusal(std::string code, std::string message, std::string param = {}) {
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message),
                    std::move(param));
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

std::size_t count(std::string_view haystack, std::string_view needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size()))
    ++n;
  return n;
}

std::int64_t unix_time(const ASN1_TIME* t) {
  std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> epoch(ASN1_TIME_set(nullptr, 0),
                                                              &ASN1_TIME_free);
  int days = 0;
  int seconds = 0;
  if (!epoch || !t || ASN1_TIME_diff(&days, &seconds, epoch.get(), t) != 1) return 0;
  return static_cast<std::int64_t>(days) * 86400 + seconds;
}

struct StoreFree {
  void operator()(X509_STORE* s) const noexcept { X509_STORE_free(s); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* c) const noexcept { X509_STORE_CTX_free(c); }
};
struct StackFree {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_free(s); }
};

}  // namespace

void X509Free::operator()(x509_st* cert) const noexcept {
  X509_free(cert);
}

sdk::Result<X509Ptr> parse_certificate(std::string_view text) {
  if (text.empty() || text.size() > kMaxCertificateBytes) {
    return refusal("malformed_certificate", "a certificate must be 1 byte to 16 KiB");
  }
  const std::string_view trimmed = trim(text);
  if (trimmed.starts_with("-----")) {
    if (!trimmed.starts_with(kBegin) || !trimmed.ends_with(kEnd) || count(trimmed, "-----") != 4) {
      return refusal("malformed_certificate", "expected exactly one PEM CERTIFICATE block");
    }
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(
        BIO_new_mem_buf(trimmed.data(), static_cast<int>(trimmed.size())), &BIO_free);
    if (!bio) return make_error(ErrorKind::internal, "openssl", "BIO_new_mem_buf failed");
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) return refusal("malformed_certificate", "the PEM certificate does not parse");
    return cert;
  }
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(text.size())));
  if (!cert || p != reinterpret_cast<const unsigned char*>(text.data()) + text.size()) {
    return refusal("malformed_certificate", "neither a PEM nor a DER certificate");
  }
  return cert;
}

std::string serial_decimal(const x509_st* cert) {
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(
      ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr), &BN_free);
  if (!bn) return {};
  char* dec = BN_bn2dec(bn.get());
  if (!dec) return {};
  std::string out(dec);
  OPENSSL_free(dec);
  return out;
}

std::optional<std::string> common_name(const x509_st* cert) {
  const X509_NAME* name = X509_get_subject_name(cert);
  if (!name) return std::nullopt;
  const int first = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (first < 0 || X509_NAME_get_index_by_NID(name, NID_commonName, first) >= 0) {
    return std::nullopt;
  }
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, first));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0 || !utf8) return std::nullopt;
  std::string out(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
  OPENSSL_free(utf8);
  return out;
}

std::int64_t not_before(const x509_st* cert) {
  return unix_time(X509_get0_notBefore(cert));
}

std::int64_t not_after(const x509_st* cert) {
  return unix_time(X509_get0_notAfter(cert));
}

std::string public_key_pem(const x509_st* cert) {
  EVP_PKEY* key = X509_get0_pubkey(cert);
  if (!key) return {};
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) return {};
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return len > 0 && data ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

struct SignerTrust::State {
  X509Ptr root;
  X509Ptr middle;
  std::unique_ptr<X509_STORE, StoreFree> store;
  std::int64_t anchors_from = 0;  // the overlap of root and middle validity
  std::int64_t anchors_until = 0;

  struct Verdict {
    std::optional<sdk::crypto::PublicKey> key;
    std::int64_t valid_from = 0;
    std::int64_t valid_until = 0;
    sdk::Error refusal;
  };
  mutable std::mutex mutex;
  mutable std::unordered_map<std::string, Verdict> verdicts;

  // The full check, without the cache. `time_bound` says whether a refusal came from the
  // clock (expiry), which a later clock could change.
  sdk::Result<Verdict> judge(std::string_view pem, std::int64_t now, bool& time_bound) const;
};

sdk::Result<SignerTrust> SignerTrust::create(std::string_view root_text,
                                             std::string_view middle_text) {
  auto state = std::make_shared<State>();
  auto root = parse_certificate(root_text);
  if (!root) return refusal("malformed_certificate", root.error().message, "root");
  auto middle = parse_certificate(middle_text);
  if (!middle) return refusal("malformed_certificate", middle.error().message, "middle");
  if (X509_check_ca(root->get()) <= 0) {
    return refusal("not_a_ca", "the root certificate is not a CA certificate", "root");
  }
  if (X509_check_issued(root->get(), root->get()) != X509_V_OK) {
    return refusal("not_self_signed", "the root certificate is not self-signed", "root");
  }
  if (X509_check_ca(middle->get()) <= 0) {
    return refusal("not_a_ca", "the intermediate certificate is not a CA certificate", "middle");
  }
  if (X509_check_issued(root->get(), middle->get()) != X509_V_OK) {
    return refusal("not_issued_by_root", "the intermediate certificate is not issued by the root",
                   "middle");
  }
  state->anchors_from = std::max(not_before(root->get()), not_before(middle->get()));
  state->anchors_until = std::min(not_after(root->get()), not_after(middle->get()));
  state->store.reset(X509_STORE_new());
  if (!state->store || X509_STORE_add_cert(state->store.get(), root->get()) != 1) {
    return make_error(ErrorKind::internal, "openssl", "X509_STORE set-up failed");
  }
  state->root = std::move(*root);
  state->middle = std::move(*middle);
  SignerTrust trust;
  trust.state_ = std::move(state);
  return trust;
}

sdk::Result<SignerTrust::State::Verdict> SignerTrust::State::judge(std::string_view pem,
                                                                   std::int64_t now,
                                                                   bool& time_bound) const {
  time_bound = false;
  if (trim(pem).empty()) return refusal("missing_certificate", "no signPubKeyCert");
  if (!trim(pem).starts_with(kBegin)) {
    return refusal("malformed_certificate", "signPubKeyCert is not a PEM certificate");
  }
  auto leaf = parse_certificate(pem);
  if (!leaf) return leaf.error();

  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
  if (!ctx || !untrusted || sk_X509_push(untrusted.get(), middle.get()) <= 0 ||
      X509_STORE_CTX_init(ctx.get(), store.get(), leaf->get(), untrusted.get()) != 1) {
    return make_error(ErrorKind::internal, "openssl", "X509_STORE_CTX set-up failed");
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx.get()), static_cast<time_t>(now));
  if (X509_verify_cert(ctx.get()) != 1) {
    const int err = X509_STORE_CTX_get_error(ctx.get());
    const std::string why = X509_verify_cert_error_string(err);
    if (err == X509_V_ERR_CERT_HAS_EXPIRED) {
      time_bound = true;
      return refusal("certificate_expired", "the signer certificate chain has expired: " + why);
    }
    if (err == X509_V_ERR_CERT_NOT_YET_VALID) {
      time_bound = true;
      return refusal("certificate_not_yet_valid",
                     "the signer certificate chain is not valid yet: " + why);
    }
    return refusal("untrusted_certificate",
                   "the signer certificate does not chain to the configured UnionPay root: " + why);
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  if (!chain || sk_X509_num(chain) != 3 || X509_cmp(sk_X509_value(chain, 1), middle.get()) != 0) {
    return refusal("untrusted_certificate",
                   "the signer certificate is not issued by the configured intermediate");
  }
  const auto cn = common_name(leaf->get());
  std::vector<std::string_view> parts;
  if (cn) {
    std::string_view rest = *cn;
    for (auto at = rest.find('@'); at != std::string_view::npos; at = rest.find('@')) {
      parts.push_back(rest.substr(0, at));
      rest.remove_prefix(at + 1);
    }
    parts.push_back(rest);
  }
  if (parts.size() < 3 || parts[2] != kUnionPayCompany) {
    return refusal("foreign_certificate",
                   "the signer certificate's CN does not name 中国银联股份有限公司 as its third "
                   "'@' element");
  }
  auto key = sdk::crypto::PublicKey::parse(public_key_pem(leaf->get()));
  if (!key || sdk::crypto::rsa_public_exponent(*key) == 0) {
    return refusal("untrusted_certificate", "the signer certificate holds no RSA key");
  }
  Verdict v;
  v.key = std::move(*key);
  v.valid_from = std::max(anchors_from, not_before(leaf->get()));
  v.valid_until = std::min(anchors_until, not_after(leaf->get()));
  return v;
}

sdk::Result<sdk::crypto::PublicKey> SignerTrust::signer_key(std::string_view certificate_pem,
                                                            std::int64_t now) const {
  if (certificate_pem.size() > kMaxCertificateBytes) {
    return refusal("malformed_certificate", "signPubKeyCert is longer than 16 KiB");
  }
  const std::string text(certificate_pem);
  {
    std::lock_guard lock(state_->mutex);
    const auto it = state_->verdicts.find(text);
    if (it != state_->verdicts.end()) {
      const State::Verdict& v = it->second;
      if (!v.key) return v.refusal;
      if (now >= v.valid_from && now <= v.valid_until) return *v.key;
      // Outside the period it was good for: judge again (and refuse as the clock says).
    }
  }
  bool time_bound = false;
  auto verdict = state_->judge(text, now, time_bound);
  if (!verdict && (time_bound || verdict.error().kind != ErrorKind::invalid_request)) {
    return verdict.error();
  }
  State::Verdict stored;
  if (verdict) {
    stored = *verdict;
  } else {
    stored.refusal = verdict.error();
  }
  {
    std::lock_guard lock(state_->mutex);
    if (state_->verdicts.size() >= kMaxCachedVerdicts) {
      // Refusals go first, so that a stream of junk certificates cannot keep pushing the
      // good one out and cost every real notification a chain validation.
      std::erase_if(state_->verdicts, [](const auto& entry) { return !entry.second.key; });
      if (state_->verdicts.size() >= kMaxCachedVerdicts) state_->verdicts.clear();
    }
    state_->verdicts.insert_or_assign(text, stored);
  }
  if (!verdict) return verdict.error();
  return *verdict->key;
}

std::size_t SignerTrust::cached_verdicts() const {
  std::lock_guard lock(state_->mutex);
  return state_->verdicts.size();
}

std::string SignerTrust::root_public_key_pem() const {
  return public_key_pem(state_->root.get());
}

std::string SignerTrust::middle_public_key_pem() const {
  return public_key_pem(state_->middle.get());
}

}  // namespace payhost::unionpay
