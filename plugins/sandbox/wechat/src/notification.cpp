#include "notification.hpp"

#include "aes_gcm.hpp"
#include "notifier.hpp"
#include "payhost/sdk/encoding.hpp"
#include "random_ids.hpp"
#include "rfc3339.hpp"

namespace payhost::sandbox_wechat {
namespace {

// Another value of the same shape, never equal to `text`.
std::string altered(std::string text, char replacement, char fallback) {
  if (text.empty()) return std::string(1, replacement);
  text.back() = text.back() == replacement ? fallback : replacement;
  return text;
}

}  // namespace

const char* trade_state_desc(std::string_view trade_state) {
  if (trade_state == kSuccess) return "支付成功";
  if (trade_state == kRefund) return "转入退款";
  if (trade_state == kNotPay) return "订单未支付";
  if (trade_state == kClosed) return "订单已关闭";
  if (trade_state == kPayError) return "支付失败，请重新下单支付";
  return "";
}

sdk::Json transaction_json(const Trade& trade) {
  const bool paid = trade.paid();
  sdk::Json out = sdk::Json::object();
  out["appid"] = trade.appid;
  out["mchid"] = trade.mchid;
  out["out_trade_no"] = trade.out_trade_no;
  if (paid) out["transaction_id"] = trade.transaction_id;
  out["trade_type"] = trade.trade_type;
  out["trade_state"] = trade.trade_state;
  out["trade_state_desc"] = trade_state_desc(trade.trade_state);
  if (paid) out["bank_type"] = "OTHERS";
  if (!trade.attach.empty()) out["attach"] = trade.attach;
  if (paid) {
    out["success_time"] = format_rfc3339_beijing(trade.success_at);
    out["payer"] = sdk::Json{{"openid", trade.payer_openid}};
  }
  sdk::Json amount = sdk::Json::object();
  amount["total"] = trade.amount;
  if (paid) amount["payer_total"] = trade.amount;
  amount["currency"] = "CNY";
  amount["payer_currency"] = "CNY";
  out["amount"] = std::move(amount);
  return out;
}

std::optional<std::string> notification_body(std::string_view plaintext, std::string_view apiv3_key,
                                             std::int64_t now, bool break_tag) {
  const std::string nonce = random_alnum(12);
  auto sealed = aes_gcm_seal(apiv3_key, nonce, "transaction", plaintext);
  if (!sealed) return std::nullopt;
  if (break_tag) sealed->back() = static_cast<char>(sealed->back() ^ 0x01);
  sdk::Json resource = sdk::Json::object();
  resource["original_type"] = "transaction";
  resource["algorithm"] = "AEAD_AES_256_GCM";
  resource["ciphertext"] = sdk::base64_encode(*sealed);
  resource["associated_data"] = "transaction";
  resource["nonce"] = nonce;
  sdk::Json body = sdk::Json::object();
  body["id"] = make_notification_id();
  body["create_time"] = format_rfc3339_beijing(now);
  body["resource_type"] = "encrypt-resource";
  body["event_type"] = "TRANSACTION.SUCCESS";
  body["summary"] = "支付成功";
  body["resource"] = std::move(resource);
  return sdk::json_dump(body);
}

Trade as_paid(Trade trade, std::int64_t now) {
  if (!trade.paid()) {
    trade.trade_state = kSuccess;
    trade.success_at = now;
  }
  if (trade.payer_openid.empty()) trade.payer_openid = make_openid();
  return trade;
}

std::optional<Tamper> tamper_from_string(std::string_view text) {
  if (text == "signature") return Tamper::signature;
  if (text == "amount") return Tamper::amount;
  if (text == "mchid") return Tamper::mchid;
  if (text == "appid") return Tamper::appid;
  if (text == "gcm_tag") return Tamper::gcm_tag;
  if (text == "timestamp") return Tamper::timestamp;
  if (text == "serial") return Tamper::serial;
  if (text == "unknown_order") return Tamper::unknown_order;
  if (text == "probe") return Tamper::probe;
  return std::nullopt;
}

std::optional<OutgoingNotification> tampered_notification(const Trade& trade, Tamper tamper,
                                                          const PlatformSigner& signer,
                                                          std::string_view apiv3_key,
                                                          std::int64_t now) {
  Trade claimed = as_paid(trade, now);
  switch (tamper) {
    case Tamper::amount:
      claimed.amount += 1;
      break;
    case Tamper::mchid:
      claimed.mchid = altered(claimed.mchid, '7', '8');
      break;
    case Tamper::appid:
      claimed.appid = altered(claimed.appid, 'X', 'Y');
      break;
    case Tamper::unknown_order:
      claimed.out_trade_no = "UNKNOWN" + random_alnum(20);
      break;
    default:
      break;
  }
  auto body = notification_body(sdk::json_dump(transaction_json(claimed)), apiv3_key, now,
                                tamper == Tamper::gcm_tag);
  if (!body) return std::nullopt;

  const std::int64_t signed_at = tamper == Tamper::timestamp ? now - 3600 : now;
  // The signature tamper signs other bytes, so the signature is well-formed but wrong.
  const std::string signed_bytes = tamper == Tamper::signature ? *body + " " : *body;
  auto headers = signer.sign(signed_bytes, signed_at);
  if (!headers) return std::nullopt;
  if (tamper == Tamper::serial) {
    headers->serial = altered(headers->serial, 'A', 'B');
  }
  if (tamper == Tamper::probe) {
    headers->signature = "WECHATPAY/SIGNTEST/" + sdk::base64_encode(random_alnum(190));
  }
  return OutgoingNotification{std::move(*body), notification_headers(*headers)};
}

}  // namespace payhost::sandbox_wechat
