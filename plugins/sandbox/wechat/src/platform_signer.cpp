#include "platform_signer.hpp"

#include "authorization.hpp"
#include "random_ids.hpp"

namespace payhost::sandbox_wechat {

void SignedHeaders::apply(sdk::Headers& headers) const {
  headers.set("Wechatpay-Timestamp", timestamp);
  headers.set("Wechatpay-Nonce", nonce);
  headers.set("Wechatpay-Signature", signature);
  headers.set("Wechatpay-Serial", serial);
  headers.set("Request-ID", make_request_id());
}

std::optional<SignedHeaders> PlatformSigner::sign(std::string_view body, std::int64_t now) const {
  SignedHeaders out;
  out.timestamp = std::to_string(now);
  out.nonce = random_alnum(32);
  auto signature = rsa_sign_base64(private_key, answer_message(out.timestamp, out.nonce, body));
  if (!signature) return std::nullopt;
  out.signature = std::move(*signature);
  out.serial = serial;
  return out;
}

}  // namespace payhost::sandbox_wechat
