#include "api/request_signature.hpp"

#include <charconv>

#include "payhost/sdk/encoding.hpp"

namespace payhost::host::api {

namespace {

constexpr std::size_t kMaxSignatureChars = 2048;  // base64 of an 8192-bit RSA signature: 1368

sdk::Error refused(std::string code, std::string message) {
  return sdk::make_error(sdk::ErrorKind::unauthorized, std::move(code), std::move(message));
}

}  // namespace

std::string string_to_sign(std::string_view body, std::string_view target,
                           std::string_view timestamp) {
  std::string out;
  out.reserve(body.size() + target.size() + timestamp.size());
  out.append(body).append(target).append(timestamp);
  return out;
}

sdk::Status verify_request_signature(const sdk::crypto::PublicKey& key, const SignedRequest& r,
                                     std::int64_t now, std::int64_t window_seconds) {
  std::int64_t at = 0;
  const char* end = r.timestamp.data() + r.timestamp.size();
  const auto parsed = std::from_chars(r.timestamp.data(), end, at);
  if (r.timestamp.empty() || r.timestamp.size() > 12 || parsed.ec != std::errc() ||
      parsed.ptr != end || r.timestamp.front() == '-') {
    return refused("request_timestamp_invalid",
                   "Pingplusplus-Request-Timestamp must be the request's Unix time in seconds");
  }
  if (at < now - window_seconds || at > now + window_seconds) {
    return refused("request_timestamp_expired", "Pingplusplus-Request-Timestamp is more than " +
                                                    std::to_string(window_seconds) +
                                                    " seconds from the server's time");
  }
  if (r.signature.size() > kMaxSignatureChars) {
    return refused("signature_invalid", "Pingplusplus-Signature is not a valid signature");
  }
  const auto raw = sdk::base64_decode(r.signature);
  if (!raw || raw->empty()) {
    return refused("signature_invalid", "Pingplusplus-Signature is not valid base64");
  }
  std::string target(r.path);
  if (!r.raw_query.empty()) target.append("?").append(r.raw_query);
  if (sdk::crypto::rsa_sha256_verify(key, string_to_sign(r.body, target, r.timestamp), *raw)) {
    return {};
  }
  if (r.raw_query.empty() && sdk::crypto::rsa_sha256_verify(
                                 key, string_to_sign(r.body, target + "?", r.timestamp), *raw)) {
    return {};
  }
  return refused("signature_invalid", "Pingplusplus-Signature does not match the request");
}

}  // namespace payhost::host::api
