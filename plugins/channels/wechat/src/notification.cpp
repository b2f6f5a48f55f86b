#include "notification.hpp"

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::wechat {
namespace {

using sdk::ErrorKind;
using sdk::make_error;

sdk::Error invalid(std::string code, std::string message) {
  return make_error(ErrorKind::invalid_request, std::move(code), std::move(message));
}

// A string member of a JSON object: absent -> "", another type -> nullopt.
std::optional<std::string> string_member(const sdk::Json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) return std::string();
  if (!it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

sdk::Result<std::string> decrypt_resource(std::string_view key, std::string_view nonce,
                                          std::string_view associated_data,
                                          std::string_view ciphertext_base64) {
  const auto sealed = sdk::base64_decode(ciphertext_base64);
  if (!sealed) return invalid("malformed_resource", "resource.ciphertext is not base64");
  if (sealed->size() < 16) return invalid("malformed_resource", "resource.ciphertext has no tag");
  if (nonce.empty()) return invalid("malformed_resource", "resource.nonce is empty");
  auto plain = sdk::crypto::aes_gcm_decrypt(key, nonce, associated_data, *sealed);
  if (!plain) {
    return invalid("decrypt_failed",
                   "resource does not decrypt with the APIv3 key (wrong key, nonce, "
                   "associated_data or tag)");
  }
  return plain;
}

sdk::Result<OpenedNotification> open_notification(const PlatformKeys& keys,
                                                  std::string_view api_v3_key,
                                                  const sdk::HttpRequest& request,
                                                  std::int64_t now) {
  if (request.body.size() > kMaxNotificationBytes) {
    return invalid("body_too_large", "a notification of " + std::to_string(request.body.size()) +
                                         " bytes (limit 65536)");
  }
  if (auto st = verify_signed_message(keys, request.headers, request.body, now); !st) {
    return st.error();
  }
  const sdk::Json envelope = sdk::parse_json(request.body);
  if (envelope.is_discarded() || !envelope.is_object()) {
    return invalid("malformed_body", "the notification is not a JSON object");
  }
  OpenedNotification opened;
  const auto id = string_member(envelope, "id");
  const auto event_type = string_member(envelope, "event_type");
  const auto resource_it = envelope.find("resource");
  if (!id || !event_type || resource_it == envelope.end() || !resource_it->is_object()) {
    return invalid("malformed_body", "the notification has no resource object");
  }
  const sdk::Json& resource = *resource_it;
  const auto algorithm = string_member(resource, "algorithm");
  const auto ciphertext = string_member(resource, "ciphertext");
  const auto nonce = string_member(resource, "nonce");
  const auto associated_data = string_member(resource, "associated_data");
  const auto original_type = string_member(resource, "original_type");
  if (!algorithm || !ciphertext || !nonce || !associated_data || !original_type) {
    return invalid("malformed_resource", "a resource field is not a string");
  }
  if (*algorithm != kResourceAlgorithm) {
    return invalid("unsupported_algorithm", "resource.algorithm is \"" + short_text(*algorithm) +
                                                "\", not AEAD_AES_256_GCM");
  }
  auto plaintext = decrypt_resource(api_v3_key, *nonce, *associated_data, *ciphertext);
  if (!plaintext) return plaintext.error();
  opened.id = *id;
  opened.event_type = *event_type;
  opened.original_type = *original_type;
  opened.plaintext = std::move(*plaintext);
  return opened;
}

sdk::Result<sdk::TradeStatus> read_payment_notification(
    const PlatformKeys& keys, std::string_view api_v3_key, std::string_view mchid,
    const AppIds& app_ids, const sdk::HttpRequest& request, std::int64_t now) {
  auto opened = open_notification(keys, api_v3_key, request, now);
  if (!opened) return opened.error();
  if (opened->event_type != kPaymentEvent) {
    // Refund results (REFUND.*) are not trade outcomes; refund() and query_refund() learn
    // them by asking.
    return invalid("unsupported_event",
                   "event " + short_text(opened->event_type) + " is not a payment result");
  }
  const sdk::Json transaction = sdk::parse_json(opened->plaintext);
  if (transaction.is_discarded() || !transaction.is_object()) {
    return invalid("malformed_resource", "the decrypted resource is not a JSON object");
  }
  const auto trade_type = string_member(transaction, "trade_type");
  const auto trade_state = string_member(transaction, "trade_state");
  if (!trade_type || !trade_state) {
    return invalid("invalid_transaction", "trade_type or trade_state is not a string");
  }
  Owner owner;
  owner.mchid = std::string(mchid);
  if (*trade_type == "APP") {
    owner.app_ids = {app_ids.app};
  } else if (*trade_type == "MWEB" || *trade_type == "NATIVE") {
    owner.app_ids = {app_ids.pub};
  } else if (*trade_type == "JSAPI") {
    owner.app_ids = {app_ids.pub, app_ids.lite};
  } else {
    return invalid("unexpected_trade_type",
                   "trade_type \"" + short_text(*trade_type) + "\" is none this plugin starts");
  }
  auto status = read_transaction(transaction, owner);
  if (!status) return status.error();
  if (*trade_state != "SUCCESS") {
    return invalid("trade_state_mismatch",
                   "a TRANSACTION.SUCCESS event with trade_state " + short_text(*trade_state));
  }
  return status;
}

}  // namespace payhost::wechat
