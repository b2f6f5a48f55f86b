#include "protocol.hpp"

#include <charconv>

#include <payhost/sdk/crypto.hpp>
#include <payhost/sdk/encoding.hpp>

namespace demopay {

using payhost::sdk::ErrorKind;
using payhost::sdk::make_error;

namespace {

bool same_text(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

payhost::sdk::Error bad_signature(std::string message) {
  return make_error(ErrorKind::invalid_request, "bad_signature", std::move(message));
}

}  // namespace

std::string authorization(std::string_view merchant_id, std::string_view secret,
                          std::string_view method, std::string_view path, std::int64_t timestamp,
                          std::string_view nonce, std::string_view body) {
  const std::string ts = std::to_string(timestamp);
  std::string message;
  message.append(method).append("\n").append(path).append("\n").append(ts).append("\n");
  message.append(nonce).append("\n").append(body);
  const std::string signature =
      payhost::sdk::hex_lower(payhost::sdk::crypto::hmac_sha256(secret, message));
  std::string out = "DEMOPAY-HMAC-SHA256 merchant=";
  out.append(merchant_id).append(",timestamp=").append(ts).append(",nonce=").append(nonce);
  out.append(",signature=").append(signature);
  return out;
}

payhost::sdk::Status verify_signature(std::string_view secret, std::string_view header,
                                      std::string_view body, std::int64_t now) {
  // Exactly "t=<digits>,v1=<64 hex>": anything else is refused, not guessed at.
  if (!header.starts_with("t=")) return bad_signature("X-Demopay-Signature is not t=...,v1=...");
  const auto comma = header.find(",v1=");
  if (comma == std::string_view::npos) return bad_signature("X-Demopay-Signature has no v1=");
  const std::string_view t = header.substr(2, comma - 2);
  const std::string_view v1 = header.substr(comma + 4);
  std::int64_t timestamp = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), timestamp);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty() || t.size() > 12) {
    return bad_signature("X-Demopay-Signature's t= is not Unix seconds");
  }
  std::string message(t);
  message.append(".").append(body);
  const std::string expected =
      payhost::sdk::hex_lower(payhost::sdk::crypto::hmac_sha256(secret, message));
  if (!same_text(expected, v1)) return bad_signature("the signature does not match");
  if (timestamp < now - kSignatureWindowSeconds || timestamp > now + kSignatureWindowSeconds) {
    return make_error(ErrorKind::invalid_request, "stale_signature",
                      "signed at " + std::string(t) + ", more than " +
                          std::to_string(kSignatureWindowSeconds) + " s from now");
  }
  return {};
}

}  // namespace demopay
