#include "wechat_notification.hpp"

#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::bench {

namespace crypto = sdk::crypto;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string beijing_rfc3339(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return text;
}

}  // namespace

WechatNotifier::WechatNotifier(const std::string& data_dir, std::string mchid, std::string app_id)
    : mchid_(std::move(mchid)), app_id_(std::move(app_id)) {
  auto key =
      crypto::PrivateKey::parse(read_file(data_dir + "/sandbox-keys/wechat-platform.key.pem"));
  if (!key) throw std::runtime_error("wechat-platform key: " + key.error().message);
  key_ = *key;
  // The sandbox's derivations (plugins/sandbox/wechat/README.md, "Keys").
  const std::string public_pem = key->public_key_pem();
  serial_ = sdk::hex_upper(crypto::sha256(public_pem)).substr(0, 40);
  api_v3_key_ = sdk::hex_lower(crypto::sha256("payhost-sandbox-apiv3:" + public_pem)).substr(0, 32);
}

WechatNotification WechatNotifier::paid(const std::string& out_trade_no, long long amount,
                                        std::int64_t timestamp) const {
  std::string transaction_id = "4200";
  for (unsigned char c : crypto::random_bytes(24))
    transaction_id += static_cast<char>('0' + c % 10);
  const sdk::Json transaction = {{"appid", app_id_},
                                 {"mchid", mchid_},
                                 {"out_trade_no", out_trade_no},
                                 {"transaction_id", transaction_id},
                                 {"trade_type", "APP"},
                                 {"trade_state", "SUCCESS"},
                                 {"trade_state_desc", "支付成功"},
                                 {"bank_type", "OTHERS"},
                                 {"attach", ""},
                                 {"success_time", beijing_rfc3339(timestamp)},
                                 {"payer", {{"openid", "oBench0000000000000000000000"}}},
                                 {"amount",
                                  {{"total", amount},
                                   {"payer_total", amount},
                                   {"currency", "CNY"},
                                   {"payer_currency", "CNY"}}}};
  const std::string nonce = crypto::random_alnum(12);
  auto sealed = crypto::aes_gcm_encrypt(api_v3_key_, nonce, "transaction", transaction.dump());
  if (!sealed) throw std::runtime_error(sealed.error().message);
  const sdk::Json body = {{"id", "EV-" + crypto::random_alnum(24)},
                          {"create_time", beijing_rfc3339(timestamp)},
                          {"resource_type", "encrypt-resource"},
                          {"event_type", "TRANSACTION.SUCCESS"},
                          {"summary", "支付成功"},
                          {"resource",
                           {{"original_type", "transaction"},
                            {"algorithm", "AEAD_AES_256_GCM"},
                            {"ciphertext", sdk::base64_encode(*sealed)},
                            {"associated_data", "transaction"},
                            {"nonce", nonce}}}};
  WechatNotification n;
  n.body = body.dump();
  const std::string header_nonce = crypto::random_alnum(32);
  auto signature = crypto::rsa_sha256_sign(
      key_, std::to_string(timestamp) + "\n" + header_nonce + "\n" + n.body + "\n");
  if (!signature) throw std::runtime_error(signature.error().message);
  n.headers = {"Wechatpay-Timestamp: " + std::to_string(timestamp),
               "Wechatpay-Nonce: " + header_nonce,
               "Wechatpay-Signature: " + sdk::base64_encode(*signature),
               "Wechatpay-Serial: " + serial_,
               "Wechatpay-Signature-Type: WECHATPAY2-SHA256-RSA2048",
               "Request-ID: " + crypto::random_alnum(16)};
  return n;
}

}  // namespace payhost::bench
