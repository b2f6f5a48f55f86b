#include "signing.hpp"

#include <algorithm>

#include "payhost/sdk/encoding.hpp"

namespace payhost::unionpay {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

// RSA-4096 is the largest key a certificate here could plausibly hold: 512 bytes.
constexpr std::size_t kMaxSignatureBase64 = 700;

}  // namespace

std::string signing_string(const Fields& fields) {
  std::vector<const std::pair<std::string, std::string>*> sorted;
  sorted.reserve(fields.size());
  for (const auto& f : fields) {
    if (f.first != kSignatureField) sorted.push_back(&f);
  }
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  std::string out;
  for (const auto* f : sorted) {
    if (!out.empty()) out.push_back('&');
    out += f->first;
    out.push_back('=');
    out += f->second;
  }
  return out;
}

std::string signing_digest(const Fields& fields) {
  return sdk::hex_lower(sdk::crypto::sha256(signing_string(fields)));
}

sdk::Result<Fields> sign_request(Fields fields, const sdk::crypto::PrivateKey& key,
                                 std::string_view cert_id) {
  std::erase_if(fields, [](const auto& f) { return f.second.empty(); });
  for (const auto& [name, unused] : fields) {
    if (name == kCertIdField || name == kSignatureField) {
      return make_error(ErrorKind::invalid_request, "preset_signature_field",
                        name + " is set by the signer");
    }
  }
  fields.emplace_back(std::string(kCertIdField), std::string(cert_id));
  auto raw = sdk::crypto::rsa_sha256_sign(key, signing_digest(fields));
  if (!raw) return raw.error();
  fields.emplace_back(std::string(kSignatureField), sdk::base64_encode(*raw));
  return fields;
}

sdk::Status verify_signature(const Fields& fields, const sdk::crypto::PublicKey& key) {
  const auto signature = field(fields, kSignatureField);
  if (!signature || signature->empty()) {
    return make_error(ErrorKind::invalid_request, "missing_signature", "no signature field");
  }
  if (signature->size() > kMaxSignatureBase64) {
    return make_error(ErrorKind::invalid_request, "malformed_signature",
                      "the signature is longer than any RSA key gives");
  }
  const auto raw = sdk::base64_decode(*signature);
  if (!raw || raw->empty()) {
    return make_error(ErrorKind::invalid_request, "malformed_signature",
                      "the signature is not base64");
  }
  if (!sdk::crypto::rsa_sha256_verify(key, signing_digest(fields), *raw)) {
    return make_error(ErrorKind::invalid_request, "bad_signature",
                      "the signature does not verify with the signer certificate");
  }
  return {};
}

}  // namespace payhost::unionpay
