// Published vectors (tests/fixtures/README.md): request signing with yansongda's test .pfx,
// and a queryTrans answer and a consume notification that verify against UnionPay's test
// root and intermediate (lokielse/omnipay-unionpay) with the clock pinned inside the
// signer certificate's validity.
#include <gtest/gtest.h>

#include "certificates.hpp"
#include "merchant_key.hpp"
#include "messages.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"
#include "signing.hpp"
#include "test_support.hpp"
#include "trade.hpp"

namespace payhost::unionpay {
namespace {

using testing::read_fixture;

constexpr std::int64_t kPinned = 1704067200;    // 2024-01-01T00:00:00Z
constexpr std::int64_t kToday = testing::kNow;  // 2026-12-05, after 2025-07-31

Fields fixture_pairs(const std::string& name) {
  const sdk::Json parsed = sdk::parse_json(read_fixture(name));
  Fields out;
  for (const auto& pair : parsed)
    out.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
  return out;
}

std::string raw_join(const Fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields)
    out += (out.empty() ? "" : "&") + k + "=" + v;
  return out;
}

SignerTrust test_trust() {
  auto trust = SignerTrust::create(read_fixture("lokielse-acp_test_root.cer"),
                                   read_fixture("lokielse-acp_test_middle.cer"));
  if (!trust) throw std::runtime_error(trust.error().message);
  return *trust;
}

sdk::Status verify_at(const Fields& fields, const SignerTrust& trust, std::int64_t now) {
  auto key = trust.signer_key(field_or_empty(fields, kSignerCertField), now);
  if (!key) return key.error();
  return verify_signature(fields, *key);
}

TEST(UnionpayVectors, LoadsTheYansongdaPfx) {
  auto loaded = load_pkcs12(read_fixture("yansongda-unipayAppCert.pfx"), "000000");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->cert_id, "69903319369");
  EXPECT_EQ(loaded->subject_cn, "041@Z2014-11-11@700000000000001:SIGN@00000003");
  EXPECT_EQ(loaded->not_after, 1795660307);  // 2026-11-26T02:31:47Z
}

TEST(UnionpayVectors, RefusesTheYansongdaPfxWithAnotherPassword) {
  auto loaded = load_pkcs12(read_fixture("yansongda-unipayAppCert.pfx"), "000001");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().code, "wrong_password");
}

TEST(UnionpayVectors, ReproducesTheYansongdaRequestSignature) {
  auto loaded = load_pkcs12(read_fixture("yansongda-unipayAppCert.pfx"), "000000");
  ASSERT_TRUE(loaded);
  Fields params = fixture_pairs("yansongda-sign-request.json");
  // The test hands certId in with the params; the signer sets it from the certificate.
  const std::string given_cert_id = field_or_empty(params, "certId");
  std::erase_if(params, [](const auto& f) { return f.first == "certId"; });
  EXPECT_EQ(given_cert_id, loaded->cert_id);

  auto signed_fields = sign_request(params, loaded->key, loaded->cert_id);
  ASSERT_TRUE(signed_fields) << signed_fields.error().message;
  EXPECT_EQ(signing_string(*signed_fields),
            "accessType=0&backUrl=https://yansongda.cn/unipay/notify&bizType=000201&certId="
            "69903319369&channelType=07&currencyCode=156&encoding=utf-8&frontUrl=https://"
            "yansongda.cn/unipay/return&merId=777290058167151&orderId=yansongda20220903065448&"
            "signMethod=01&txnAmt=1&txnSubType=01&txnTime=20220903065448&txnType=01&version=5.1.0");
  std::string expected = read_fixture("yansongda-sign-request-signature.txt");
  while (!expected.empty() && (expected.back() == '\n' || expected.back() == '\r'))
    expected.pop_back();
  EXPECT_EQ(field_or_empty(*signed_fields, kSignatureField), expected);
  EXPECT_EQ(signed_fields->back().first, "signature");
}

TEST(UnionpayVectors, VerifiesTheYansongdaQueryAnswerAsRawText) {
  const Fields published = fixture_pairs("yansongda-query-answer.json");
  auto parsed = parse_sync_answer(raw_join(published));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, published);  // nothing decoded, the PEM's CRLF kept
  const SignerTrust trust = test_trust();
  auto verified = verify_at(*parsed, trust, kPinned);
  ASSERT_TRUE(verified) << verified.error().code << ": " << verified.error().message;

  sdk::TradeRef trade;
  trade.channel = "upacp";
  trade.order_no = "pay20220911041647";
  trade.created = 1662841007;
  auto status = read_query_answer(*parsed, trade, "777290058167151", kPinned);
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->outcome, sdk::Outcome::succeeded);
  EXPECT_EQ(status->transaction_no, "512209110416475616528");
  EXPECT_EQ(status->amount, 1);
  EXPECT_EQ(status->time_paid, 1662841007);  // traceTime 0911041647 Beijing, 2022
}

TEST(UnionpayVectors, VerifiesTheYansongdaNotificationAsAForm) {
  const Fields published = fixture_pairs("yansongda-consume-notification.json");
  auto parsed = parse_notification_form(sdk::form_encode(published));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(*parsed, published);
  const SignerTrust trust = test_trust();
  auto verified = verify_at(*parsed, trust, kPinned);
  ASSERT_TRUE(verified) << verified.error().code << ": " << verified.error().message;

  auto status = read_payment_notification(*parsed, "777290058167151");
  ASSERT_TRUE(status) << status.error().message;
  EXPECT_EQ(status->outcome, sdk::Outcome::succeeded);
  EXPECT_EQ(status->order_no, "yansongda20220908132206");
  EXPECT_EQ(status->transaction_no, "782209081322060674028");
  EXPECT_EQ(status->amount, 1);
  EXPECT_EQ(status->time_paid, 1662614526);  // traceTime 0908132206 Beijing, 2022
  EXPECT_EQ(status->app_id, "");
}

TEST(UnionpayVectors, TheSignerCertificateIsUnionPaysAndSerial69678957876) {
  const Fields published = fixture_pairs("yansongda-consume-notification.json");
  auto cert = parse_certificate(field_or_empty(published, kSignerCertField));
  ASSERT_TRUE(cert);
  EXPECT_EQ(serial_decimal(cert->get()), "69678957876");
  EXPECT_EQ(common_name(cert->get()).value_or(""),
            "041@8310000000083040@中国银联股份有限公司@00016495");
}

TEST(UnionpayVectors, TheSignerCertificateHasExpiredByToday) {
  const Fields published = fixture_pairs("yansongda-consume-notification.json");
  const SignerTrust trust = test_trust();
  auto verified = verify_at(published, trust, kToday);
  ASSERT_FALSE(verified);
  EXPECT_EQ(verified.error().code, "certificate_expired");
  auto early = verify_at(published, trust, 1577836800);  // 2020-01-01, before 2020-07-31
  ASSERT_FALSE(early);
  EXPECT_EQ(early.error().code, "certificate_not_yet_valid");
  // A good verdict at the pinned time does not outlive the certificate.
  ASSERT_TRUE(verify_at(published, trust, kPinned));
  auto later = verify_at(published, trust, kToday);
  ASSERT_FALSE(later);
  EXPECT_EQ(later.error().code, "certificate_expired");
}

TEST(UnionpayVectors, AnyChangedFieldBreaksTheSignature) {
  const Fields published = fixture_pairs("yansongda-consume-notification.json");
  const SignerTrust trust = test_trust();
  for (const char* name : {"txnAmt", "orderId", "queryId", "respCode", "merId", "accNo"}) {
    Fields tampered = published;
    for (auto& [k, v] : tampered) {
      if (k == name) v += "0";
    }
    auto verified = verify_at(tampered, trust, kPinned);
    ASSERT_FALSE(verified) << name;
    EXPECT_EQ(verified.error().code, "bad_signature") << name;
  }
  Fields extra = published;
  extra.emplace_back("reqReserved", "added");
  EXPECT_EQ(verify_at(extra, trust, kPinned).error().code, "bad_signature");
  Fields unsigned_fields = published;
  std::erase_if(unsigned_fields, [](const auto& f) { return f.first == "signature"; });
  EXPECT_EQ(verify_at(unsigned_fields, trust, kPinned).error().code, "missing_signature");
}

TEST(UnionpayVectors, TheOneGoLibraryThatDropsSignPubKeyCertWouldFail) {
  // signPubKeyCert is part of the signed string: leaving it out breaks the vector.
  const Fields published = fixture_pairs("yansongda-consume-notification.json");
  auto key = test_trust().signer_key(field_or_empty(published, kSignerCertField), kPinned);
  ASSERT_TRUE(key);
  Fields without = published;
  std::erase_if(without, [](const auto& f) { return f.first == kSignerCertField; });
  EXPECT_EQ(verify_signature(without, *key).error().code, "bad_signature");
  EXPECT_TRUE(verify_signature(published, *key));
}

}  // namespace
}  // namespace payhost::unionpay
