// WeChat Pay v3 notifications: a signed JSON envelope whose `resource` is AES-256-GCM
// encrypted with the merchant's APIv3 key. Pure: no host, so published vectors test it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/result.hpp"
#include "signing.hpp"
#include "transaction.hpp"

namespace payhost::wechat {

// Bigger bodies are refused before anything reads them (a payment notification is ~1 KB).
inline constexpr std::size_t kMaxNotificationBytes = 64 * 1024;
inline constexpr std::string_view kPaymentEvent = "TRANSACTION.SUCCESS";
inline constexpr std::string_view kResourceAlgorithm = "AEAD_AES_256_GCM";

// Decrypts a resource: `ciphertext_base64` is base64 of ciphertext || 16-byte tag. The key
// length picks the AES variant (the notification path requires 32 bytes). A wrong key,
// nonce, AAD or tag is `decrypt_failed`; bad base64 is `malformed_resource`.
sdk::Result<std::string> decrypt_resource(std::string_view key, std::string_view nonce,
                                          std::string_view associated_data,
                                          std::string_view ciphertext_base64);

// A notification whose signature verified and whose resource decrypted.
struct OpenedNotification {
  std::string id;
  std::string event_type;
  std::string original_type;
  std::string plaintext;
};

// Size bound, header signature over the exact raw body, JSON (depth-limited), algorithm,
// decryption. Errors are invalid_request with codes body_too_large, the codes of
// verify_signed_message, malformed_body, unsupported_algorithm, malformed_resource,
// decrypt_failed.
sdk::Result<OpenedNotification> open_notification(const PlatformKeys& keys,
                                                  std::string_view api_v3_key,
                                                  const sdk::HttpRequest& request,
                                                  std::int64_t now);

// The app ids a decrypted Transaction may name, by its trade_type.
struct AppIds {
  std::string app;   // APP
  std::string pub;   // JSAPI (official account), MWEB, NATIVE
  std::string lite;  // JSAPI (mini program)
};

// open_notification, then the payment itself: event TRANSACTION.SUCCESS only (other
// events, refunds included, are `unsupported_event`), trade_state SUCCESS, mchid ours,
// appid configured for its trade_type (`unexpected_trade_type` for kinds we never start),
// then read_transaction's checks.
sdk::Result<sdk::TradeStatus> read_payment_notification(
    const PlatformKeys& keys, std::string_view api_v3_key, std::string_view mchid,
    const AppIds& app_ids, const sdk::HttpRequest& request, std::int64_t now);

}  // namespace payhost::wechat
