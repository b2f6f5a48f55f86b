// Notification decryption and reading: the published AES-GCM vectors (wechatpay-go,
// wechatpay-axios-plugin, yansongda/pay), then payment notifications made here the way the
// contract says WeChat Pay (and payhost's simulator) builds them, and hostile bodies.
#include <gtest/gtest.h>

#include "notification.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"
#include "test_support.hpp"

namespace payhost::wechat {
namespace {

using sdk::Outcome;
using testing::platform_pair;
using testing::read_fixture;
using testing::read_line_fixture;
using testing::stranger_pair;
using testing::wechat_signed_headers;

constexpr std::int64_t kNow = 1796459400;  // 2026-12-05T16:30:00+08:00
constexpr const char* kSerial = "5157F09EFDC096DE15EBE81A47057A7232F1B8E1";
constexpr const char* kApiV3Key = "a7cde1f2b3c4d5e6f7a8b9c0d1e2f3a4";
constexpr const char* kMchid = "1230000109";
const AppIds kAppIds{"wxAPP0000000000001", "wxPUB0000000000002", "wxLITE000000000003"};

std::string code_of(const sdk::Error& e) {
  return e.code;
}

// ---- published vectors -------------------------------------------------------------------

TEST(PublishedVectors, WechatpayGoAesGcmDecrypt) {
  // utils/aes_test.go::TestDecryptAes256Gcm (a 16-byte key: AES-128-GCM).
  const char* key = "testAPIv3Key0000";
  const char* nonce = "wCq51qZv4Yfg";
  const char* aad = "Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8";
  auto plain = decrypt_resource(key, nonce, aad, "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC");
  ASSERT_TRUE(plain.ok()) << plain.error().message;
  EXPECT_EQ(*plain, "Hello World");
  EXPECT_EQ(decrypt_resource(key, nonce, aad, "invalid cipher").error().code, "malformed_resource");
  // "Hello World\n" in base64: 12 bytes, shorter than a GCM tag.
  EXPECT_EQ(decrypt_resource(key, nonce, aad, "SGVsbG8gV29ybGQK").error().code,
            "malformed_resource");
  EXPECT_FALSE(
      decrypt_resource("not a aes key", nonce, aad, "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC").ok());
  EXPECT_EQ(decrypt_resource("testAPIv3Key1111", nonce, aad, "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC")
                .error()
                .code,
            "decrypt_failed");
}

TEST(PublishedVectors, AxiosPluginAes256GcmWithA16ByteIv) {
  // tests/lib/aes.test.js: AES-256-GCM, key 0123456789abcdef0123456789abcdef, IV
  // 0123456789abcdef.
  const char* key = "0123456789abcdef0123456789abcdef";
  const char* iv = "0123456789abcdef";
  auto empty = decrypt_resource(key, iv, "", "GvpmmdtYwexXIPhySs9Tlg==");
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ(*empty, "");
  auto hello = decrypt_resource(key, iv, "world", "APoZlYpivU3HjbAiB4CvW1rAFr8J");
  ASSERT_TRUE(hello.ok());
  EXPECT_EQ(*hello, "hello");
  EXPECT_EQ(decrypt_resource(key, iv, "word", "APoZlYpivU3HjbAiB4CvW1rAFr8J").error().code,
            "decrypt_failed");
}

TEST(PublishedVectors, WechatpayGoNotificationVerifiesAndDecrypts) {
  // core/notify/notify_test.go::TestHandler_ParseNotifyRequest. Its key testMchAPIv3Key0 is
  // 16 bytes (AES-128), which the api_v3_key option refuses, so the functions are used
  // directly.
  auto cert = read_certificate(read_fixture("wechatpay-go-platform-cert.pem"));
  ASSERT_TRUE(cert.ok());
  PlatformKeys keys;
  keys.add(cert->serial, cert->key);
  sdk::HttpRequest request;
  request.method = "POST";
  request.body = read_fixture("wechatpay-go-notify-body.json");
  request.headers.add("Wechatpay-Nonce", "EcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz");
  request.headers.add("Wechatpay-Timestamp", "1624523846");
  request.headers.add("Wechatpay-Serial", "D7CE59D1F522D701");
  request.headers.add("Wechatpay-Signature",
                      read_line_fixture("wechatpay-go-notify-signature.txt"));

  auto opened = open_notification(keys, "testMchAPIv3Key0", request, 1624523846);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  EXPECT_EQ(opened->id, "3119dfba-e649-5eec-ab1e-3412bc4d2e17");
  EXPECT_EQ(opened->event_type, "PAYSCORE.USER_OPEN_SERVICE");
  EXPECT_EQ(opened->original_type, "payscore");
  EXPECT_EQ(opened->plaintext,
            "{\"mchid\":\"1234567890\",\"appid\":\"054aa7d7a2a54ab5898df65bd96f001c\","
            "\"create_time\":\"2020-06-30T12:12:00+08:00\","
            "\"out_contract_code\":\"21640bdbd08e473e828f3206a2741c6e\"}");

  // Signed and decryptable, but not a payment result: refused with a code of its own.
  auto payment = read_payment_notification(keys, "testMchAPIv3Key0", "1234567890", kAppIds, request,
                                           1624523846);
  ASSERT_FALSE(payment.ok());
  EXPECT_EQ(payment.error().code, "unsupported_event");

  EXPECT_EQ(open_notification(keys, "testMchAPIv3Key1", request, 1624523846).error().code,
            "decrypt_failed");
  EXPECT_EQ(open_notification(keys, "testMchAPIv3Key0", request, 1624523846 + 300).error().code,
            "stale_timestamp");
}

TEST(PublishedVectors, YansongdaCallbackDecryptsWithA32ByteKey) {
  // tests/Plugin/Wechat/V3/CallbackPluginTest.php with mch_secret_key from TestCase.php.
  auto cert = read_certificate(read_fixture("yansongda-wechat-app-public-cert.pem"));
  ASSERT_TRUE(cert.ok());
  PlatformKeys keys;
  keys.add("45F59D4DABF31918AFCEC556D5D2C6E376675D57", cert->key);
  sdk::HttpRequest request;
  request.body = read_fixture("yansongda-callback-body.json");
  request.headers.add("Wechatpay-Nonce", "e59e78a6c3f7dfd7e84aabee71be0452");
  request.headers.add("Wechatpay-Signature", read_line_fixture("yansongda-callback-signature.txt"));
  request.headers.add("Wechatpay-Timestamp", "1626444144");
  request.headers.add("Wechatpay-Serial", "45F59D4DABF31918AFCEC556D5D2C6E376675D57");
  auto opened = open_notification(keys, "53D67FCB97E68F9998CBD17ED7A8D1E2", request, 1626444144);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  // The resource is a platform certificate (associated_data "certificate").
  EXPECT_TRUE(opened->plaintext.starts_with("-----BEGIN CERTIFICATE-----"));
  auto inner = read_certificate(opened->plaintext);
  EXPECT_TRUE(inner.ok()) << inner.error().message;
}

// ---- payment notifications ---------------------------------------------------------------

sdk::Json paid_transaction(std::string trade_type = "APP", std::string appid = kAppIds.app) {
  return sdk::Json{
      {"appid", std::move(appid)},
      {"mchid", kMchid},
      {"out_trade_no", "20261205A001"},
      {"transaction_id", "4200001234202612050123456789"},
      {"trade_type", std::move(trade_type)},
      {"trade_state", "SUCCESS"},
      {"trade_state_desc", "支付成功"},
      {"bank_type", "OTHERS"},
      {"attach", "ch_0123456789abcdefghijklmn"},
      {"success_time", "2026-12-05T16:29:30+08:00"},
      {"payer", {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}},
      {"amount",
       {{"total", 1234}, {"payer_total", 1234}, {"currency", "CNY"}, {"payer_currency", "CNY"}}}};
}

// The default envelope of these tests: their APIv3 key.
struct Envelope : testing::Envelope {
  Envelope() { key = kApiV3Key; }
};

std::string encrypted_body(const std::string& plaintext, const Envelope& e = {}) {
  return testing::sealed_notification_body(plaintext, e);
}

sdk::HttpRequest signed_request(std::string body, std::int64_t ts = kNow) {
  sdk::HttpRequest r;
  r.method = "POST";
  r.path = "/notify/wechat";
  r.headers = wechat_signed_headers(body, ts, kSerial);
  r.headers.add("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
  r.headers.add("Content-Type", "application/json");
  r.body = std::move(body);
  return r;
}

class PaymentNotification : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = sdk::crypto::PublicKey::parse(platform_pair().public_key);
    ASSERT_TRUE(key.ok());
    keys.add(kSerial, *key);
  }
  sdk::Result<sdk::TradeStatus> read(const sdk::HttpRequest& r) const {
    return read_payment_notification(keys, kApiV3Key, kMchid, kAppIds, r, kNow);
  }
  std::string refusal(const sdk::HttpRequest& r) const {
    auto s = read(r);
    EXPECT_FALSE(s.ok());
    return s.ok() ? std::string("accepted") : code_of(s.error());
  }
  std::string refusal_of(const sdk::Json& tx, const Envelope& e = {}) const {
    return refusal(signed_request(encrypted_body(sdk::json_dump(tx), e)));
  }
  PlatformKeys keys;
};

TEST_F(PaymentNotification, ReportsWhatWasPaid) {
  auto s = read(signed_request(encrypted_body(sdk::json_dump(paid_transaction()))));
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->outcome, Outcome::succeeded);
  EXPECT_EQ(s->order_no, "20261205A001");
  EXPECT_EQ(s->transaction_no, "4200001234202612050123456789");
  EXPECT_EQ(s->amount, 1234);
  EXPECT_EQ(s->time_paid, kNow - 30);  // 16:29:30 Beijing
  EXPECT_EQ(s->payer_account, "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o");
  EXPECT_EQ(s->app_id, "");  // checked here, per trade_type
}

TEST_F(PaymentNotification, AmountIsTheTotalNotWhatThePayerPaid) {
  sdk::Json tx = paid_transaction();
  tx["amount"]["total"] = 5000;
  tx["amount"]["payer_total"] = 4500;  // a coupon paid the rest
  auto s = read(signed_request(encrypted_body(sdk::json_dump(tx))));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->amount, 5000);
}

TEST_F(PaymentNotification, AppIdMustBeTheOneConfiguredForTheTradeType) {
  EXPECT_TRUE(
      read(signed_request(encrypted_body(sdk::json_dump(paid_transaction("MWEB", kAppIds.pub)))))
          .ok());
  EXPECT_TRUE(
      read(signed_request(encrypted_body(sdk::json_dump(paid_transaction("NATIVE", kAppIds.pub)))))
          .ok());
  EXPECT_TRUE(
      read(signed_request(encrypted_body(sdk::json_dump(paid_transaction("JSAPI", kAppIds.pub)))))
          .ok());
  EXPECT_TRUE(
      read(signed_request(encrypted_body(sdk::json_dump(paid_transaction("JSAPI", kAppIds.lite)))))
          .ok());
  EXPECT_EQ(refusal_of(paid_transaction("APP", kAppIds.pub)), "app_id_mismatch");
  EXPECT_EQ(refusal_of(paid_transaction("MWEB", kAppIds.app)), "app_id_mismatch");
  EXPECT_EQ(refusal_of(paid_transaction("NATIVE", kAppIds.lite)), "app_id_mismatch");
  EXPECT_EQ(refusal_of(paid_transaction("JSAPI", "wxSOMEONEELSE00000")), "app_id_mismatch");
  EXPECT_EQ(refusal_of(paid_transaction("MICROPAY", kAppIds.app)), "unexpected_trade_type");
}

TEST_F(PaymentNotification, MchidMustBeOurs) {
  sdk::Json tx = paid_transaction();
  tx["mchid"] = "1900000109";
  EXPECT_EQ(refusal_of(tx), "mchid_mismatch");
}

TEST_F(PaymentNotification, WrongGcmTagKeyOrAssociatedDataIsRefused) {
  std::string body = encrypted_body(sdk::json_dump(paid_transaction()));
  sdk::Json envelope = sdk::Json::parse(body);
  auto sealed = *sdk::base64_decode(envelope["resource"]["ciphertext"].get<std::string>());
  sealed.back() = static_cast<char>(sealed.back() ^ 0x01);  // the last tag byte
  envelope["resource"]["ciphertext"] = sdk::base64_encode(sealed);
  EXPECT_EQ(refusal(signed_request(sdk::json_dump(envelope))), "decrypt_failed");

  Envelope other_key;
  other_key.key = "b7cde1f2b3c4d5e6f7a8b9c0d1e2f3a4";
  EXPECT_EQ(refusal_of(paid_transaction(), other_key), "decrypt_failed");

  // Encrypted with one associated_data, announced with another.
  envelope = sdk::Json::parse(encrypted_body(sdk::json_dump(paid_transaction())));
  envelope["resource"]["associated_data"] = "refund";
  EXPECT_EQ(refusal(signed_request(sdk::json_dump(envelope))), "decrypt_failed");
}

TEST_F(PaymentNotification, OnlyAeadAes256GcmAndPaymentEvents) {
  Envelope other_algorithm;
  other_algorithm.algorithm = "AEAD_SM4_GCM";
  EXPECT_EQ(refusal_of(paid_transaction(), other_algorithm), "unsupported_algorithm");
  Envelope refund;
  refund.event_type = "REFUND.SUCCESS";
  refund.aad = "refund";
  EXPECT_EQ(refusal_of(paid_transaction(), refund), "unsupported_event");
  sdk::Json tx = paid_transaction();
  tx["trade_state"] = "NOTPAY";
  EXPECT_EQ(refusal_of(tx), "trade_state_mismatch");
}

TEST_F(PaymentNotification, APaidTransactionNeedsItsFacts) {
  sdk::Json tx = paid_transaction();
  tx["success_time"] = "2026-12-05 16:29:30";
  EXPECT_EQ(refusal_of(tx), "invalid_success_time");
  tx["success_time"] = "2026-02-30T16:29:30+08:00";
  EXPECT_EQ(refusal_of(tx), "invalid_success_time");
  tx = paid_transaction();
  tx.erase("success_time");
  EXPECT_EQ(refusal_of(tx), "invalid_success_time");
  tx = paid_transaction();
  tx["amount"].erase("total");
  EXPECT_EQ(refusal_of(tx), "invalid_transaction");
  tx = paid_transaction();
  tx["amount"]["total"] = 12.34;
  EXPECT_EQ(refusal_of(tx), "invalid_transaction");
  tx = paid_transaction();
  tx["amount"]["total"] = "1234";
  EXPECT_EQ(refusal_of(tx), "invalid_transaction");
  tx = paid_transaction();
  tx["amount"]["total"] = -1;
  EXPECT_EQ(refusal_of(tx), "invalid_transaction");
  tx = paid_transaction();
  tx.erase("transaction_id");
  EXPECT_EQ(refusal_of(tx), "invalid_transaction");
  tx = paid_transaction();
  tx["out_trade_no"] = 20261205;
  EXPECT_EQ(refusal_of(tx), "invalid_transaction");
  tx = paid_transaction();
  tx["payer"] = "someone";
  EXPECT_EQ(refusal_of(tx), "invalid_transaction");
}

TEST_F(PaymentNotification, SignatureProblemsComeFirst) {
  auto r = signed_request(encrypted_body(sdk::json_dump(paid_transaction())));
  auto stale = signed_request(r.body, kNow - 300);
  EXPECT_EQ(refusal(stale), "stale_timestamp");
  auto tampered = r;
  tampered.body.insert(1, " ");
  EXPECT_EQ(refusal(tampered), "bad_signature");
  auto unknown = r;
  unknown.headers.set("Wechatpay-Serial", "PUB_KEY_ID_0114232134912410000000000000");
  EXPECT_EQ(refusal(unknown), "unknown_serial");
  auto probe = r;
  probe.headers.set("Wechatpay-Signature",
                    "WECHATPAY/SIGNTEST/" + r.headers.get("Wechatpay-Signature").value());
  EXPECT_EQ(refusal(probe), "signature_probe");
  auto stranger = r;
  stranger.headers = wechat_signed_headers(r.body, kNow, kSerial, stranger_pair().private_key);
  EXPECT_EQ(refusal(stranger), "bad_signature");
}

// ---- hostile bodies: refused without throwing ---------------------------------------------

TEST_F(PaymentNotification, NotJsonIsRefused) {
  EXPECT_EQ(refusal(signed_request("<xml><return_code>SUCCESS</return_code></xml>")),
            "malformed_body");
  EXPECT_EQ(refusal(signed_request("")), "malformed_body");
  EXPECT_EQ(refusal(signed_request("[1,2,3]")), "malformed_body");
  EXPECT_EQ(refusal(signed_request(R"({"id":"x","event_type":"TRANSACTION.SUCCESS"})")),
            "malformed_body");
}

TEST_F(PaymentNotification, MissingHeadersAreRefused) {
  sdk::HttpRequest r;
  r.body = encrypted_body(sdk::json_dump(paid_transaction()));
  EXPECT_EQ(refusal(r), "missing_header");
}

TEST_F(PaymentNotification, DeeplyNestedBodiesAreRefused) {
  std::string nested;
  for (int i = 0; i < 5000; ++i)
    nested += "{\"a\":";
  nested += "1";
  for (int i = 0; i < 5000; ++i)
    nested += "}";
  EXPECT_EQ(refusal(signed_request(nested)), "malformed_body");
  // Nested inside the encrypted resource as well.
  std::string inner;
  for (int i = 0; i < 200; ++i)
    inner += "[";
  for (int i = 0; i < 200; ++i)
    inner += "]";
  EXPECT_EQ(refusal(signed_request(encrypted_body(inner))), "malformed_resource");
}

TEST_F(PaymentNotification, HugeBodiesAreRefusedBeforeAnythingReadsThem) {
  std::string huge = encrypted_body(sdk::json_dump(paid_transaction()));
  huge.insert(1, "\"padding\":\"" + std::string(kMaxNotificationBytes, 'x') + "\",");
  auto r = signed_request(huge);
  EXPECT_EQ(refusal(r), "body_too_large");
  // Unsigned, too: the size is the first thing looked at.
  sdk::HttpRequest unsigned_huge;
  unsigned_huge.body = std::string(kMaxNotificationBytes + 1, '{');
  EXPECT_EQ(refusal(unsigned_huge), "body_too_large");
  // The limit itself is allowed through to the signature check.
  sdk::HttpRequest at_limit;
  at_limit.body = std::string(kMaxNotificationBytes, ' ');
  EXPECT_EQ(refusal(at_limit), "missing_header");
}

TEST_F(PaymentNotification, ResourceFieldsMustBeStrings) {
  sdk::Json envelope = sdk::Json::parse(encrypted_body(sdk::json_dump(paid_transaction())));
  envelope["resource"]["nonce"] = 12;
  EXPECT_EQ(refusal(signed_request(sdk::json_dump(envelope))), "malformed_resource");
  envelope = sdk::Json::parse(encrypted_body(sdk::json_dump(paid_transaction())));
  envelope["resource"]["ciphertext"] = "***";
  EXPECT_EQ(refusal(signed_request(sdk::json_dump(envelope))), "malformed_resource");
  envelope["resource"] = "encrypted";
  EXPECT_EQ(refusal(signed_request(sdk::json_dump(envelope))), "malformed_body");
}

}  // namespace
}  // namespace payhost::wechat
