// Signing and verification against vectors published by other Alipay SDKs:
// yansongda/pay (PHP) and alipay/alipay-sdk-nodejs-all (Alipay's own Node SDK).
#include <gtest/gtest.h>

#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/http.hpp"
#include "signing.hpp"
#include "test_support.hpp"

namespace payhost::alipay {
namespace {

using testing::read_fixture;

const std::string kYansongdaSign =
    "FrzUwXziVWK2x5glZkGoQ6dGR87O33APv3D/lWjVqPrFnMwcYjOYyln1B1bw5VuOwokLRmqcwWuTumBg8Q+n4FkVR3DMC"
    "vL8ywTBp5+6pRAETfhFop4m+r6jI+dgOavwyoZ69CWCzCcEyb0vMjgrV2eoSI4bgLjJyPcGpZ+iDBTSvE6eVxs05bUjai"
    "nAOB5NnAvME06nkaxGLB4qwF9c3SQoiZt7QcMRdyy6mRItZxRaEjMm6qX8dfPuuquJC4wpTRk8PQeu5EMR4yyc1atxso3"
    "CMovjkGr5LzDtqLNseyqqorYW+Gfu3ugHSs9aqkwAAysg79O6TsvuFa9OHq64Tg==";

// yansongda/pay tests/Plugin/Alipay/V2/AddPayloadSignaturePluginTest.php::testSignNormal, in
// the order the test lists them (signing must sort).
Params yansongda_payload() {
  return {
      {"app_id", "9021000122682882"},
      {"method", "alipay.trade.query"},
      {"format", "JSON"},
      {"return_url", "http://hk.ysdor.cn/index.php"},
      {"charset", "utf-8"},
      {"sign_type", "RSA2"},
      {"timestamp", "2023-12-21 06:54:37"},
      {"version", "1.0"},
      {"notify_url", "http://hk.ysdor.cn/index.php"},
      {"app_cert_sn", "e90dd23a37c5c7b616e003970817ff82"},
      {"alipay_root_cert_sn", "687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"},
      {"biz_content", R"({"out_trade_no":"1703141270"})"},
  };
}

sdk::crypto::PrivateKey key_from(const std::string& fixture) {
  auto key = load_private_key(read_fixture(fixture));
  EXPECT_TRUE(key.ok()) << fixture << ": " << (key.ok() ? "" : key.error().message);
  return key.ok() ? *key : sdk::crypto::PrivateKey{};
}

sdk::crypto::PublicKey public_from(const std::string& text) {
  auto key = load_public_key(text);
  EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message);
  return key.ok() ? *key : sdk::crypto::PublicKey{};
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (auto pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
  return s;
}

// ---- request signing -------------------------------------------------------------------

TEST(RequestSigning, SignContentIsSortedRawAndIncludesSignType) {
  const std::string content = request_sign_content(yansongda_payload());
  EXPECT_EQ(content,
            "alipay_root_cert_sn=687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"
            "&app_cert_sn=e90dd23a37c5c7b616e003970817ff82&app_id=9021000122682882"
            R"(&biz_content={"out_trade_no":"1703141270"}&charset=utf-8&format=JSON)"
            "&method=alipay.trade.query&notify_url=http://hk.ysdor.cn/index.php"
            "&return_url=http://hk.ysdor.cn/index.php&sign_type=RSA2"
            "&timestamp=2023-12-21 06:54:37&version=1.0");
}

TEST(RequestSigning, ReproducesYansongdaTestSignNormal) {
  const auto key = key_from("yansongda-app-secret-cert.txt");  // bare base64 PKCS#1
  auto signed_params = sign_request(key, yansongda_payload());
  ASSERT_TRUE(signed_params.ok());
  ASSERT_EQ(signed_params->back().first, "sign");
  EXPECT_EQ(signed_params->back().second, kYansongdaSign);
}

TEST(RequestSigning, SignIsExcludedAndEmptyValuesAreDropped) {
  Params p = yansongda_payload();
  p.emplace_back("sign", "stale signature from a previous attempt");
  p.emplace_back("app_auth_token", "");
  auto signed_params = sign_request(key_from("yansongda-app-secret-cert.txt"), p);
  ASSERT_TRUE(signed_params.ok());
  EXPECT_EQ(signed_params->back().second, kYansongdaSign);
  for (const auto& [k, v] : *signed_params)
    EXPECT_NE(k, "app_auth_token");
}

TEST(RequestSigning, SortsByByteOrder) {
  const Params p = {{"b", "2"}, {"a_b", "3"}, {"aB", "4"}, {"A", "5"}, {"a", "1"}};
  // 'A' (0x41) < 'B' (0x42) < '_' (0x5F) < 'a' (0x61)
  EXPECT_EQ(sign_content(p, {}), "A=5&a=1&aB=4&a_b=3&b=2");
}

TEST(RequestSigning, PercentEncodingHappensOnlyAfterSigning) {
  const Params p = {{"timestamp", "2023-12-21 06:54:37"}, {"biz_content", R"({"a":"x/y&z"})"}};
  EXPECT_EQ(sign_content(p, {}), R"(biz_content={"a":"x/y&z"}&timestamp=2023-12-21 06:54:37)");
  EXPECT_EQ(order_string(p),
            "timestamp=2023-12-21%2006%3A54%3A37&biz_content=%7B%22a%22%3A%22x%2Fy%26z%22%7D");
}

// ---- keys --------------------------------------------------------------------------------

TEST(Keys, AllFourEncodingsOfOneKeyLoadAndSignIdentically) {
  // alipay-sdk-nodejs-all test/fixtures: PKCS#1 and PKCS#8, with and without PEM armour.
  const std::vector<std::string> files = {"app-private-key.pem", "app-private-key-no-wrapper.pem",
                                          "app-private-key-pkcs8.pem",
                                          "app-private-key-pkcs8-no-wrapper.pem"};
  const std::string content = request_sign_content(yansongda_payload());
  std::string first_sign;
  std::string first_public;
  for (const auto& f : files) {
    const auto key = key_from(f);
    auto sign = rsa2_sign(key, content);
    ASSERT_TRUE(sign.ok()) << f;
    if (first_sign.empty()) {
      first_sign = *sign;
      first_public = key.public_key_pem();
    }
    EXPECT_EQ(*sign, first_sign) << f;
    EXPECT_EQ(key.public_key_pem(), first_public) << f;
    EXPECT_TRUE(rsa2_verify(public_from(key.public_key_pem()), content, *sign)) << f;
  }
}

TEST(Keys, RejectsGarbageAndPublicKeysAsPrivate) {
  EXPECT_FALSE(load_private_key("not a key").ok());
  EXPECT_FALSE(load_private_key(read_fixture("alipay-public-key.pem")).ok());
  EXPECT_FALSE(load_public_key("MIIB").ok());
}

TEST(Keys, CertificateChainUsesTheLeafCertificate) {
  // yansongda/pay tests/Cert/alipayPublicCert.crt holds the Alipay certificate and its issuer.
  const std::string chain = read_fixture("yansongda-alipay-public-cert.crt");
  ASSERT_NE(chain.find("-----BEGIN CERTIFICATE-----", 10), std::string::npos);
  EXPECT_TRUE(load_public_key(chain).ok());
}

// ---- responses ---------------------------------------------------------------------------

TEST(Responses, NodeSdkCheckResponseSignShouldWork) {
  const auto key = public_from(read_fixture("alipay-public-key.pem"));  // one-line PEM body
  const std::string body = read_fixture("node-file-upload-response.json");
  auto verified = verify_response(body, "alipay.open.file.upload", key);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  EXPECT_EQ(verified->node_text,
            R"({"code":"10000","msg":"Success","file_id":"CAxAToWB1JsAAAAAAAAAAAAADgSLAQBr"})");
  EXPECT_EQ(verified->node["file_id"], "CAxAToWB1JsAAAAAAAAAAAAADgSLAQBr");

  const std::string tampered = replace_all(body, "CAxAToWB1Js", "CAxAToWB1Jt");
  auto bad = verify_response(tampered, "alipay.open.file.upload", key);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind, sdk::ErrorKind::unavailable);
  EXPECT_EQ(bad.error().code, "bad_response_signature");
}

TEST(Responses, YansongdaPrecreateVerifiesOnlyWithEscapedSlashesKept) {
  const auto key = public_from(read_fixture("yansongda-alipay-public-cert.crt"));
  const std::string body = read_fixture("yansongda-precreate-response.json");
  ASSERT_NE(body.find(R"(https:\/\/qr.alipay.com\/bax)"), std::string::npos);
  auto verified = verify_response(body, "alipay.trade.precreate", key);
  ASSERT_TRUE(verified.ok()) << verified.error().message;
  // The signed bytes keep "\/"; the parsed value has plain slashes.
  EXPECT_NE(verified->node_text.find(R"(\/)"), std::string::npos);
  EXPECT_EQ(verified->node["qr_code"], "https://qr.alipay.com/bax07651xvtprxfkmxyf00a9");

  // What a re-serialising verifier would check: it must fail.
  const std::string reserialised = sdk::Json::parse(body).dump();
  ASSERT_EQ(reserialised.find(R"(\/)"), std::string::npos);
  EXPECT_FALSE(verify_response(reserialised, "alipay.trade.precreate", key).ok());
}

TEST(Responses, YansongdaQueryCloseRefundVerify) {
  const auto key = public_from(read_fixture("yansongda-alipay-public-cert.crt"));
  const std::pair<const char*, const char*> cases[] = {
      {"yansongda-query-response.json", "alipay.trade.query"},
      {"yansongda-close-response.json", "alipay.trade.close"},
      {"yansongda-refund-response.json", "alipay.trade.refund"},
  };
  for (const auto& [file, method] : cases) {
    auto verified = verify_response(read_fixture(file), method, key);
    EXPECT_TRUE(verified.ok()) << file << ": " << (verified.ok() ? "" : verified.error().message);
  }
  // The right signature for the wrong method's node is not accepted.
  EXPECT_FALSE(
      verify_response(read_fixture("yansongda-close-response.json"), "alipay.trade.query", key)
          .ok());
}

TEST(Responses, WrongKeyIsUnavailableNotFailed) {
  const auto other = public_from(read_fixture("alipay-public-key.pem"));
  auto r =
      verify_response(read_fixture("yansongda-query-response.json"), "alipay.trade.query", other);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, sdk::ErrorKind::unavailable);
}

TEST(Responses, UnsignedGatewayErrorIsUnavailableAndDescribed) {
  const auto key = public_from(read_fixture("alipay-public-key.pem"));
  const std::string body = R"({"error_response":{"code":"40002","msg":"Invalid Arguments",)"
                           R"("sub_code":"isv.invalid-signature","sub_msg":"bad sign"}})";
  auto r = verify_response(body, "alipay.trade.precreate", key);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, sdk::ErrorKind::unavailable);
  EXPECT_EQ(r.error().code, "unsigned_response");
  EXPECT_NE(r.error().message.find("isv.invalid-signature"), std::string::npos);
}

TEST(Responses, GarbageIsUnavailable) {
  const auto key = public_from(read_fixture("alipay-public-key.pem"));
  for (const char* body : {"", "<html>502 Bad Gateway</html>", "{", R"({"sign":"x"})",
                           R"({"alipay_trade_query_response":"encrypted","sign":"x"})"}) {
    auto r = verify_response(body, "alipay.trade.query", key);
    ASSERT_FALSE(r.ok()) << body;
    EXPECT_EQ(r.error().kind, sdk::ErrorKind::unavailable) << body;
  }
}

TEST(FindMember, RespectsStringsEscapesAndNesting) {
  const std::string body =
      R"({"note":"\"alipay_trade_query_response\":{\"code\":\"1\"}",)"
      R"( "alipay_trade_query_response" : {"sub_msg":"a } \" { ] [","list":[{"x":"}"},[1,2]],)"
      R"("sign":"inner"}, "sign":"outer\/sig"})";
  const auto node = find_member(body, "alipay_trade_query_response");
  ASSERT_EQ(node.status, MemberLookup::found);
  EXPECT_EQ(node.text, R"({"sub_msg":"a } \" { ] [","list":[{"x":"}"},[1,2]],"sign":"inner"})");
  const auto sign = find_member(body, "sign");
  ASSERT_EQ(sign.status, MemberLookup::found);
  EXPECT_EQ(sign.text, R"("outer\/sig")");
}

TEST(FindMember, SignBeforeNodeAndCertSnAreFine) {
  const std::string body = R"({"sign":"s","alipay_cert_sn":"a3","x_response":{"code":"10000"}})";
  EXPECT_EQ(find_member(body, "x_response").text, R"({"code":"10000"})");
}

TEST(FindMember, DuplicatesAndMalformedInputAreReported) {
  EXPECT_EQ(find_member(R"({"a":{},"a":{}})", "a").status, MemberLookup::duplicate);
  EXPECT_EQ(find_member(R"({"a":{"b":"}"})", "a").status, MemberLookup::malformed);
  EXPECT_EQ(find_member(R"({"a":{}} trailing)", "a").status, MemberLookup::malformed);
  EXPECT_EQ(find_member(R"(["a",{}])", "a").status, MemberLookup::malformed);
  EXPECT_EQ(find_member(R"({"b":1})", "a").status, MemberLookup::absent);
  EXPECT_EQ(find_member(R"({})", "a").status, MemberLookup::absent);
}

TEST(FindMember, DuplicateResponseNodeIsRejected) {
  const auto key = public_from(read_fixture("yansongda-alipay-public-cert.crt"));
  std::string body = read_fixture("yansongda-query-response.json");
  body.insert(1,
              R"("alipay_trade_query_response":{"code":"10000","trade_status":"TRADE_SUCCESS"},)");
  EXPECT_FALSE(verify_response(body, "alipay.trade.query", key).ok());
}

// ---- notifications -----------------------------------------------------------------------

sdk::crypto::PublicKey node_notify_key() {
  return public_from(read_fixture("alipay-notify-public-key-v1.txt"));  // bare base64 SPKI
}

TEST(Notifications, NodeSdkTradeSuccessVerifiesWithoutSignType) {
  // "checkNotifySign ... verify sign should delete sign_type": a real TRADE_SUCCESS for app
  // 2019073166072302, 0.10 yuan.
  auto params =
      verify_notification(read_fixture("node-trade-success-notify.form"), node_notify_key());
  ASSERT_TRUE(params.ok()) << params.error().message;
  EXPECT_EQ(params->at("app_id"), "2019073166072302");
  EXPECT_EQ(params->at("total_amount"), "0.10");
  EXPECT_EQ(params->at("subject"), "语雀空间 500人规模");
  EXPECT_EQ(params->at("fund_bill_list"), R"([{"amount":"0.10","fundChannel":"ALIPAYACCOUNT"}])");
}

TEST(Notifications, TamperedParameterFails) {
  const std::string body = read_fixture("node-trade-success-notify.form");
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"total_amount=0.10", "total_amount=10.00"},
           {"app_id=2019073166072302", "app_id=2019073166072303"},
           {"trade_status=TRADE_SUCCESS", "trade_status=TRADE_FINISHED"},
           {"out_trade_no=20190815155618536-564-57", "out_trade_no=20190815155618536-564-58"}}) {
    const std::string tampered = replace_all(body, from, to);
    ASSERT_NE(tampered, body) << from;
    auto r = verify_notification(tampered, node_notify_key());
    ASSERT_FALSE(r.ok()) << from;
    EXPECT_EQ(r.error().code, "bad_signature");
    EXPECT_EQ(r.error().kind, sdk::ErrorKind::invalid_request);
  }
  // An added parameter is signed content too.
  EXPECT_FALSE(verify_notification(body + "&refund_fee=0.10", node_notify_key()).ok());
}

TEST(Notifications, DoubleEncodedBodyFails) {
  // Encoding every value a second time: a verifier that decodes twice would accept it.
  std::string twice;
  for (const auto& [k, v] : sdk::parse_form(read_fixture("node-trade-success-notify.form"))) {
    if (!twice.empty()) twice += '&';
    twice += k + "=" + sdk::url_encode(sdk::url_encode(v));
  }
  EXPECT_FALSE(verify_notification(twice, node_notify_key()).ok());
}

TEST(Notifications, SlashesMayArriveEscapedOrRaw) {
  const std::string body = read_fixture("node-trade-success-notify.form");
  ASSERT_NE(body.find("%2F"), std::string::npos);
  // '/' needs no escaping in a form value; both spellings decode to the same signature.
  const std::string raw_slashes = replace_all(body, "%2F", "/");
  EXPECT_TRUE(verify_notification(body, node_notify_key()).ok());
  EXPECT_TRUE(verify_notification(raw_slashes, node_notify_key()).ok());
  // '+' must arrive as %2B: a raw '+' is a space in a form body.
  const std::string raw_plus = replace_all(body, "%2B", "+");
  ASSERT_NE(raw_plus, body);
  EXPECT_FALSE(verify_notification(raw_plus, node_notify_key()).ok());
}

TEST(Notifications, YansongdaPlusInSubjectMustBeEncoded) {
  // yansongda/pay CallbackPluginTest::testNotifyCallbackIncludePlus: subject "yansongda+测试 - 1".
  const auto key = public_from(read_fixture("yansongda-alipay-public-cert.crt"));
  const std::string body = read_fixture("yansongda-trade-success-notify.form");
  auto params = verify_notification(body, key);
  ASSERT_TRUE(params.ok()) << params.error().message;
  EXPECT_EQ(params->at("subject"), "yansongda+测试 - 1");
  const std::string plus_as_space = replace_all(body, "yansongda%2B", "yansongda+");
  ASSERT_NE(plus_as_space, body);
  EXPECT_FALSE(verify_notification(plus_as_space, key).ok());
}

TEST(Notifications, SignTypeIsNotPartOfTheSignedString) {
  std::string body = read_fixture("node-trade-success-notify.form");
  body = replace_all(body, "&sign_type=RSA2", "");
  EXPECT_TRUE(verify_notification(body, node_notify_key()).ok());
}

TEST(Notifications, MissingSignAndDuplicatesAreRejected) {
  EXPECT_EQ(verify_notification("", node_notify_key()).error().code, "bad_signature");
  EXPECT_EQ(verify_notification("out_trade_no=1&total_amount=0.10", node_notify_key()).error().code,
            "bad_signature");
  const std::string body = read_fixture("node-trade-success-notify.form");
  auto dup = verify_notification(body + "&total_amount=0.10", node_notify_key());
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, "duplicate_parameter");
}

// A notification as Alipay would sign it: form-encoded, `sign` over sign_content.
std::string signed_form(const Params& params) {
  auto key = load_private_key(testing::platform_pair().private_key);
  EXPECT_TRUE(key.ok());
  if (!key.ok()) return {};
  auto sign = rsa2_sign(*key, sign_content(params, {"sign", "sign_type"}));
  EXPECT_TRUE(sign.ok());
  Params with_sign = params;
  with_sign.emplace_back("sign", sign.ok() ? *sign : std::string());
  with_sign.emplace_back("sign_type", "RSA2");
  return order_string(with_sign);
}

sdk::crypto::PublicKey platform_public_key() {
  return public_from(testing::platform_pair().public_key);
}

// Order A's body carried "&out_trade_no=<B>&p=": moving the boundaries gives a parameter
// set for order B with the very same signed string.
TEST(Notifications, ResplitSignedStringIsRefused) {
  const Params genuine = {{"app_id", "9021000000000001"},   {"body", "x&out_trade_no=B2&p="},
                          {"buyer_id", "2088102534368455"}, {"out_trade_no", "A1"},
                          {"total_amount", "1.00"},         {"trade_no", "2024T1"},
                          {"trade_status", "TRADE_SUCCESS"}};
  const Params resplit = {
      {"app_id", "9021000000000001"},   {"body", "x"},
      {"out_trade_no", "B2"},           {"p", "&buyer_id=2088102534368455&out_trade_no=A1"},
      {"total_amount", "1.00"},         {"trade_no", "2024T1"},
      {"trade_status", "TRADE_SUCCESS"}};
  ASSERT_EQ(sign_content(genuine, {}), sign_content(resplit, {}));
  auto key = load_private_key(testing::platform_pair().private_key);
  ASSERT_TRUE(key.ok());
  auto sign = rsa2_sign(*key, sign_content(genuine, {}));
  ASSERT_TRUE(sign.ok());
  Params forged = resplit;
  forged.emplace_back("sign", *sign);
  auto r = verify_notification(order_string(forged), platform_public_key());
  ASSERT_FALSE(r.ok()) << "the re-split notification for B2 verified";
  EXPECT_EQ(r.error().code, "ambiguous_notification");
  EXPECT_EQ(r.error().param, "p");
  EXPECT_EQ(r.error().kind, sdk::ErrorKind::invalid_request);
  // The genuine one cannot be told apart from it, so it is refused as well.
  auto original = verify_notification(signed_form(genuine), platform_public_key());
  ASSERT_FALSE(original.ok());
  EXPECT_EQ(original.error().code, "ambiguous_notification");
}

TEST(Notifications, NamesOutsideLettersDigitsUnderscoreAreRefused) {
  for (const char* name : {"out_trade_no=A", "a.b", "x y", "\xe4\xb8\xad"}) {
    const Params params = {{"out_trade_no", "A1"}, {name, "1"}, {"total_amount", "1.00"}};
    auto r = verify_notification(signed_form(params), platform_public_key());
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_EQ(r.error().code, "ambiguous_notification") << name;
  }
}

TEST(Notifications, EmptyValuesAreNotReturnedBecauseTheyAreNotSigned) {
  const Params params = {{"out_trade_no", "A1"}, {"total_amount", "1.00"}};
  auto r = verify_notification(signed_form(params) + "&trade_status=", platform_public_key());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->count("trade_status"), 0u);
  EXPECT_EQ(r->at("out_trade_no"), "A1");
  EXPECT_EQ(r->count("sign_type"), 1u);
  // '=' inside a value is no boundary: it stays part of the value.
  const Params with_equals = {{"out_trade_no", "A1"}, {"passback_params", "a=b"}};
  auto eq = verify_notification(signed_form(with_equals), platform_public_key());
  ASSERT_TRUE(eq.ok()) << eq.error().message;
  EXPECT_EQ(eq->at("passback_params"), "a=b");
}

TEST(Notifications, WrongKeyFails) {
  const auto other = public_from(read_fixture("alipay-public-key.pem"));
  EXPECT_FALSE(verify_notification(read_fixture("node-trade-success-notify.form"), other).ok());
}

}  // namespace
}  // namespace payhost::alipay
