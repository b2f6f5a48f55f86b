// What WeChat Pay says about a trade: the Transaction object (query answers, and the
// plaintext of payment notifications) and the encrypted TRANSACTION.SUCCESS notification
// body, plus the deliberately wrong notifications the test hooks send.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"
#include "platform_signer.hpp"
#include "trade_store.hpp"

namespace payhost::sandbox_wechat {

const char* trade_state_desc(std::string_view trade_state);

// appid, mchid, out_trade_no, then (once paid) transaction_id, trade_type, trade_state,
// trade_state_desc, bank_type, attach, success_time, payer{openid}, amount{total,
// payer_total, currency, payer_currency}; before payment the paid-only fields are absent
// (as WeChat answers a NOTPAY query).
sdk::Json transaction_json(const Trade& trade);

// The notification body, exact text: {id, create_time, resource_type "encrypt-resource",
// event_type "TRANSACTION.SUCCESS", summary "支付成功", resource{original_type "transaction",
// algorithm "AEAD_AES_256_GCM", ciphertext, associated_data "transaction", nonce}}, the
// resource being `plaintext` sealed with AES-256-GCM under the APIv3 key and a fresh
// 12-character nonce. `break_tag` flips a bit of the GCM tag (for the gcm_tag tamper).
// nullopt only when OpenSSL fails.
std::optional<std::string> notification_body(std::string_view plaintext, std::string_view apiv3_key,
                                             std::int64_t now, bool break_tag = false);

// The trade as a successful payment notification describes it: SUCCESS, success_time and
// a payer, whatever its stored state (the tamper hook claims success for unpaid trades).
Trade as_paid(Trade trade, std::int64_t now);

enum class Tamper {
  signature,      // the genuine body under a signature over other bytes
  amount,         // amount.total (and payer_total) one fen more, correctly signed
  mchid,          // another merchant id, correctly signed
  appid,          // another app id, correctly signed
  gcm_tag,        // the resource's GCM tag broken, the body correctly signed
  timestamp,      // signed correctly, but an hour old
  serial,         // signed correctly, named by a serial the merchant does not know
  unknown_order,  // a correctly signed notification for an out_trade_no that does not exist
  probe,          // WeChat's WECHATPAY/SIGNTEST/ probe signature, which must fail
};

std::optional<Tamper> tamper_from_string(std::string_view text);

struct OutgoingNotification {
  std::string body;
  sdk::Headers headers;
};

// One notification for `trade`, changed as `tamper` says; nullopt when OpenSSL fails.
std::optional<OutgoingNotification> tampered_notification(const Trade& trade, Tamper tamper,
                                                          const PlatformSigner& signer,
                                                          std::string_view apiv3_key,
                                                          std::int64_t now);

}  // namespace payhost::sandbox_wechat
