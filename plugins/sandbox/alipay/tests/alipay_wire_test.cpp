// Pure Alipay wire rules of the simulator, checked against published vectors where they
// exist (yansongda/pay request signing, alipay-sdk-nodejs-all notification) and against
// generated keys elsewhere.
#include <gtest/gtest.h>

#include <string>

#include "alipay_wire.hpp"
#include "beijing_time.hpp"
#include "evp_rsa.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/http.hpp"
#include "random_ids.hpp"
#include "test_keys.hpp"

namespace payhost::sandbox_alipay::alipay {
namespace {

using sdk::Json;
using testing::test_keypair;

std::string wrap_pem(const std::string& label, const std::string& body) {
  std::string out = "-----BEGIN " + label + "-----\n";
  for (std::size_t i = 0; i < body.size(); i += 64)
    out += body.substr(i, 64) + "\n";
  return out + "-----END " + label + "-----\n";
}

rsa::Key private_key(int slot) {
  auto key = rsa::Key::private_from_pem(test_keypair(slot).private_pem);
  EXPECT_TRUE(key.ok());
  return key.value();
}

rsa::Key public_key(int slot) {
  auto key = rsa::Key::public_from_pem(test_keypair(slot).public_pem);
  EXPECT_TRUE(key.ok());
  return key.value();
}

// yansongda/pay tests/TestCase.php app_secret_cert (bare base64 PKCS#1) and
// tests/Plugin/Alipay/V2/AddPayloadSignaturePluginTest.php::testSignNormal.
const char* kYansongdaKey =
    "MIIEpAIBAAKCAQEApSA9oxvcqfbgpgkxXvyCpnxaR6TPaEMh/ij+PhF8180zL82ic4whkrRlcu1Y179AKEZNar71Ugi37"
    "fKcXWLerjPOeb8WHnZgNG19gkAcOIqZPRPpJ1eRtwKEclIzt+j3H/wgXWkD7BTr61RjuAcviyvDVbAJ/TPlMqXdJFIuJwZ"
    "blN2WblIv+4Dm1iPOB+fVCU3rsgg4eajf3HrZ7sq6fBhQhO5krDmIIYGsFZ+fohEgnLkBaF0gqNUb5Yb4PBfaEcu8Hcwq+"
    "XyBSMOVOIABRPQVDedW2sE/2NsLkR62DaEe/"
    "Ri9VUDJe0pE39P+X22DicJ3E3yrxvdioMnLtDqEuwIDAQABAoIBAQCSHZ1t"
    "H9J7c8IGKkxNyROzToZ0rxn5IK6LwKp5MfBO5X1N56DArldnAcpjkDL1dn7HJK6Mrr1WAfD/1ZcX680wSReEE9r2ybkHq3"
    "tMLn7KaZp/uYavEYYXc1rP7n1lV/iVjPz2q16VIU5Bx0MWLQWdGPSYdlXggHNoBe1RnobIcCGOVe9HlzCBtWzGpCZvMlqR"
    "bCuWAdp14aCkaJqpRxG4PY9Kd/NzELvhnCd9k8e7G2qcwx6gAoXN8OXO8jmZg/6fOvFnrGl6CBp8sioe5F3R023fDum546"
    "IqS8EZdCl5T0gW/boTbSV8luitab65xBO3PmUI+V2OEFCL6WcJxawBAoGBAOZoft6/LatdoXzr8vh+rKzacUHw246fpacb"
    "gx0B5DDymM7hbhXbY/NoCWPgBJtV3XI3DtMJ5yvlEVDQvPfbSHRPx2XQknwrM7ly2SLbaC+tuhcvoG6F1RLWFx+y/583se"
    "SlVNuWC9KdpLTKzo8wl8Z4/kheLTBxTxL20NZu79XBAoGBALd3fNoXk5V+T16hnSinPtt2NEsZpn+4w07DikzcpdyjCL5P"
    "Yjp/BppmX3xly96fCZh3MO3Vkuya1xgauMzxVKQlR/aD5yVmsqK7wxNTY1ZQM74B44/4Mks/8MG2r7o3DElA4/qIeMP4Cw"
    "kWmYcuij7npm2bgIqFzS+4aGZfDRF7AoGAKMO2Jpy2bMo9BwgLzdFDpbVkMmF1xu8R9NXWRayO/eX+CSQzQOS281qlxqjc"
    "x8rSSiHZmpb28notrRmxRTzjvchbo/TZ5eQS262pIxSkg0L+WJnRjZxaDWIZZz9ZIIdPDv/9WnhakSHZAS+cihLz12aSvq"
    "UC4744WkeWvUmVX0ECgYAGLDoCKHrps7c96tgbzwy5W4/E2xcUAwZnNwMHNQFLnBymMouOhkmVlk4uJEqosdcjzxbRWbc4"
    "yLjl8bg4BQKhBzQVojh7tKnb+c9Fbi/QbqBfCzc519LxXzRdgCUHceSy7kD9Y+wUQ9szMhR2TOWP2kFqPKolfvz5Vw4EK7"
    "yH0wKBgQDerq9Pthbii7lNt528/q0cH9vOMn9z76o6jMMea9EibclVHtdcQBWLOn8Yw97k+WSXYGuUrQUWWQbyabZqWkkS"
    "4cEjJf5/DiwOuYdNVXg7FK56ucTczBA7lR4dnunPW6U1HbSWf0Cn4Y/cl/z7B5QBSQt0W38IYHSaf6/sqsV6SA==";

const char* kYansongdaSign =
    "FrzUwXziVWK2x5glZkGoQ6dGR87O33APv3D/lWjVqPrFnMwcYjOYyln1B1bw5VuOwokLRmqcwWuTumBg8Q+n4FkVR3DMCv"
    "L8ywTBp5+6pRAETfhFop4m+r6jI+dgOavwyoZ69CWCzCcEyb0vMjgrV2eoSI4bgLjJyPcGpZ+iDBTSvE6eVxs05bUjainA"
    "OB5NnAvME06nkaxGLB4qwF9c3SQoiZt7QcMRdyy6mRItZxRaEjMm6qX8dfPuuquJC4wpTRk8PQeu5EMR4yyc1atxso3CMo"
    "vjkGr5LzDtqLNseyqqorYW+Gfu3ugHSs9aqkwAAysg79O6TsvuFa9OHq64Tg==";

Params yansongda_params() {
  return Params{
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
      {"biz_content", "{\"out_trade_no\":\"1703141270\"}"},
  };
}

TEST(CanonicalString, RequestScopeSortsDropsEmptiesAndKeepsSignType) {
  Params p{{"b", "2"},
           {"a", "1"},
           {"empty", ""},
           {"sign", "xyz"},
           {"sign_type", "RSA2"},
           {"timestamp", "2024-01-02 03:04:05"},
           {"biz_content", "{\"k\":\"v w\"}"}};
  EXPECT_EQ(canonical_string(p, SignScope::request),
            "a=1&b=2&biz_content={\"k\":\"v w\"}&sign_type=RSA2&timestamp=2024-01-02 03:04:05");
}

TEST(CanonicalString, NotificationScopeDropsSignType) {
  Params p{{"b", "2"}, {"a", "1"}, {"sign", "xyz"}, {"sign_type", "RSA2"}, {"z", ""}};
  EXPECT_EQ(canonical_string(p, SignScope::notification), "a=1&b=2");
}

TEST(CanonicalString, SortsByBytesNotLocale) {
  Params p{{"a_b", "1"}, {"aB", "2"}, {"ab", "3"}, {"A", "4"}};
  EXPECT_EQ(canonical_string(p, SignScope::request), "A=4&aB=2&a_b=1&ab=3");
}

TEST(Rsa, ReproducesPublishedRequestSignature) {
  auto key = rsa::Key::private_from_pem(wrap_pem("RSA PRIVATE KEY", kYansongdaKey));
  ASSERT_TRUE(key.ok());
  const std::string content = canonical_string(yansongda_params(), SignScope::request);
  EXPECT_EQ(content.substr(0, 60), "alipay_root_cert_sn=687b59193f3f462dd5336e5abf83c5d8_02941ee");
  const auto sign = rsa::sign_base64(key.value(), content);
  ASSERT_TRUE(sign);
  EXPECT_EQ(*sign, kYansongdaSign);
}

TEST(Rsa, VerifiesPublishedNotificationWithoutSignType) {
  // alipay-sdk-nodejs-all test "checkNotifySign ... delete sign_type": a real Alipay
  // notification and Alipay's public key.
  const std::string public_b64 =
      "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqObrdC7hrgAVM98tK0nv3hSQRGGKT4lBsQjHiGjeYZjOPIPH"
      "R5knm2jnnz/YGIXIofVHkA/tAlBAd5DrY7YpvI4tP5EONLtZKC2ghBMx7McI2wRD0xiqzxOQr1FuhZGJ8/AUokBzJrzY"
      "+aGX2xcOrxFYRlFilvVLTXg4LWjR1tdPkO6+i7wQZAIVMClPkwVRZEbaERRHlKqTzv2gGv5rDU8gRoe1LeaN+6BlbTqH"
      "WkQcNCUNrA8C6l17XAXGKDsm/9TFWwO8EPHHHCaQdjtV5/FdcWIt+L8SR1ss7EXTjYDFtxcKVv9rEoY1lX8T4mX+GbXf"
      "ZHraG5NCF1+XioL5JwIDAQAB";
  auto key = rsa::Key::public_from_pem(wrap_pem("PUBLIC KEY", public_b64));
  ASSERT_TRUE(key.ok());
  Params n{{"gmt_create", "2019-08-15 15:56:22"},
           {"charset", "utf-8"},
           {"seller_email", "z97-yuquerevenue@service.aliyun.com"},
           {"subject", "语雀空间 500人规模"},
           {"buyer_id", "2088102534368455"},
           {"invoice_amount", "0.10"},
           {"notify_id", "2019081500222155624068450559358070"},
           {"fund_bill_list", "[{\"amount\":\"0.10\",\"fundChannel\":\"ALIPAYACCOUNT\"}]"},
           {"notify_type", "trade_status_sync"},
           {"trade_status", "TRADE_SUCCESS"},
           {"receipt_amount", "0.10"},
           {"buyer_pay_amount", "0.10"},
           {"sign_type", "RSA2"},
           {"app_id", "2019073166072302"},
           {"seller_id", "2088531891668739"},
           {"gmt_payment", "2019-08-15 15:56:24"},
           {"notify_time", "2019-08-15 15:56:25"},
           {"version", "1.0"},
           {"out_trade_no", "20190815155618536-564-57"},
           {"total_amount", "0.10"},
           {"trade_no", "2019081522001468450512505578"},
           {"auth_app_id", "2019073166072302"},
           {"buyer_logon_id", "xud***@126.com"},
           {"point_amount", "0.00"}};
  const std::string sign =
      "QfTb8tqE1BMhS5qAnXtvsF3/jBkEvu9q9en0pdbBUDDjvKycZhQb7h8GDs4FKfi049PynaNuatxSgLb/nLWZpXyyh0LE"
      "WdK2S6Ri7nPwrVgOs08zugLO20vOQz44y3ti2Ncm8/wZts1Fr2gZ7pShnVX3d1B50hbsXnObT1r/U8ONNQjWXd0HIul4"
      "TG+Q3fm3svmSvFEy0WnzuhcyHPX5Gm4ELNctL6Qd5YniGJFNcc7kopHYtI/XD9YCKCH6Ct02rzUs9i11C9CsadtZn+Wh"
      "xF26Dqt9sGEFajkJ8cxUTLi8+VCpLHsgPE8P0y095uQcDdK0YjCh4x7wVSov+lrmOQ==";
  EXPECT_TRUE(rsa::verify_base64(key.value(), canonical_string(n, SignScope::notification), sign));
  EXPECT_FALSE(rsa::verify_base64(key.value(), canonical_string(n, SignScope::request), sign));
}

TEST(Rsa, RoundTripWithGeneratedKeyAndRejectsOthers) {
  const auto sign = rsa::sign_base64(private_key(0), "a=1&b=2");
  ASSERT_TRUE(sign);
  EXPECT_TRUE(rsa::verify_base64(public_key(0), "a=1&b=2", *sign));
  EXPECT_FALSE(rsa::verify_base64(public_key(0), "a=1&b=3", *sign));
  EXPECT_FALSE(rsa::verify_base64(public_key(1), "a=1&b=2", *sign));
  EXPECT_FALSE(rsa::verify_base64(public_key(0), "a=1&b=2", corrupt_signature(*sign)));
  EXPECT_FALSE(rsa::verify_base64(public_key(0), "a=1&b=2", "not base64!"));
  EXPECT_FALSE(rsa::verify_base64(public_key(0), "a=1&b=2", ""));
}

TEST(Rsa, RefusesGarbageKeys) {
  EXPECT_FALSE(rsa::Key::private_from_pem("nope").ok());
  EXPECT_FALSE(
      rsa::Key::public_from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n")
          .ok());
  EXPECT_FALSE(rsa::Key::public_from_pem("").ok());
}

// Cut the node's exact text out of an envelope the way a strict verifier does: from the
// first '{' after the key to its matching '}', respecting strings and escapes.
std::string extract_node(const std::string& body, const std::string& node_name) {
  const auto key = body.find("\"" + node_name + "\"");
  if (key == std::string::npos) return {};
  const auto start = body.find('{', key);
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return body.substr(start, i - start + 1);
    }
  }
  return {};
}

TEST(Envelope, KeepsEscapedSlashesAndSignsExactNodeText) {
  const Json node = Json{{"code", "10000"},
                         {"msg", "Success"},
                         {"out_trade_no", "ORDER_1"},
                         {"qr_code", "https://qr.alipay.com/bax03431ljhokirwl38f00a7"},
                         {"subject", "测试 {brace} \"q\""}};
  EXPECT_EQ(response_node_name("alipay.trade.precreate"), "alipay_trade_precreate_response");
  const auto body = signed_envelope("alipay_trade_precreate_response", node, private_key(0));
  ASSERT_TRUE(body);
  EXPECT_NE(body->find(R"("qr_code":"https:\/\/qr.alipay.com\/bax03431ljhokirwl38f00a7")"),
            std::string::npos)
      << *body;
  EXPECT_NE(body->find("测试"), std::string::npos) << "UTF-8 stays raw";

  const std::string text = extract_node(*body, "alipay_trade_precreate_response");
  ASSERT_FALSE(text.empty());
  const Json parsed = Json::parse(*body);
  const std::string sign = parsed["sign"].get<std::string>();
  EXPECT_TRUE(rsa::verify_base64(public_key(0), text, sign));
  // A verifier that re-serialises the node (losing the \/ escapes) must fail.
  EXPECT_FALSE(
      rsa::verify_base64(public_key(0), parsed["alipay_trade_precreate_response"].dump(), sign));
  EXPECT_EQ(parsed["alipay_trade_precreate_response"], node);
}

TEST(Amount, PatternAndRange) {
  EXPECT_EQ(parse_amount("0.01"), 1);
  EXPECT_EQ(parse_amount("1"), 100);
  EXPECT_EQ(parse_amount("1.5"), 150);
  EXPECT_EQ(parse_amount("88.88"), 8888);
  EXPECT_EQ(parse_amount("100000000"), 10000000000);
  EXPECT_EQ(parse_amount("100000000.00"), 10000000000);
  EXPECT_FALSE(parse_amount("100000000.01"));
  EXPECT_FALSE(parse_amount("0"));
  EXPECT_FALSE(parse_amount("0.00"));
  EXPECT_FALSE(parse_amount("0.001"));
  EXPECT_FALSE(parse_amount("1."));
  EXPECT_FALSE(parse_amount(".5"));
  EXPECT_FALSE(parse_amount("-1"));
  EXPECT_FALSE(parse_amount("+1"));
  EXPECT_FALSE(parse_amount("1e2"));
  EXPECT_FALSE(parse_amount(" 1"));
  EXPECT_FALSE(parse_amount("1234567890"));
  EXPECT_FALSE(parse_amount(""));
}

TEST(OutTradeNo, Charset) {
  EXPECT_TRUE(valid_out_trade_no("a"));
  EXPECT_TRUE(valid_out_trade_no("Order_2024_01"));
  EXPECT_TRUE(valid_out_trade_no(std::string(64, 'x')));
  EXPECT_FALSE(valid_out_trade_no(std::string(65, 'x')));
  EXPECT_FALSE(valid_out_trade_no(""));
  EXPECT_FALSE(valid_out_trade_no("a-b"));
  EXPECT_FALSE(valid_out_trade_no("a b"));
}

TEST(BeijingTime, FormatsAndParsesUtcPlusEight) {
  EXPECT_EQ(format_beijing(0), "1970-01-01 08:00:00");
  EXPECT_EQ(format_beijing(1703141677), "2023-12-21 14:54:37");
  EXPECT_EQ(parse_beijing("2023-12-21 14:54:37"), 1703141677);
  EXPECT_EQ(parse_beijing("2024-02-29 00:00:00"),
            parse_beijing("2024-02-28 00:00:00").value() + 86400);
  EXPECT_FALSE(parse_beijing("2023-02-29 00:00:00"));
  EXPECT_FALSE(parse_beijing("2023-12-21T14:54:37"));
  EXPECT_FALSE(parse_beijing("2023-12-21 24:00:00"));
  EXPECT_FALSE(parse_beijing("2023-12-21 14:54"));
  EXPECT_EQ(beijing_date_digits(1703141677), "20231221");
}

TEST(Ids, Shapes) {
  const std::string trade_no = make_trade_no(1703141677);
  EXPECT_EQ(trade_no.size(), 28u);
  EXPECT_EQ(trade_no.substr(0, 12), "202312212200");
  EXPECT_EQ(trade_no.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(make_qr_code().rfind("https://qr.alipay.com/bax", 0), 0u);
  EXPECT_NE(make_notify_id(), make_notify_id());
}

// A signed request as the merchant (the channel) would send it.
Params signed_request(Params p, const rsa::Key& key) {
  p.erase("sign");
  p["sign"] = rsa::sign_base64(key, canonical_string(p, SignScope::request)).value();
  return p;
}

Params base_request(std::int64_t now) {
  return Params{
      {"app_id", "9021000000000001"},
      {"method", "alipay.trade.precreate"},
      {"charset", "utf-8"},
      {"sign_type", "RSA2"},
      {"timestamp", format_beijing(now)},
      {"version", "1.0"},
      {"format", "JSON"},
      {"notify_url", "http://127.0.0.1:1/notify/alipay"},
      {"biz_content", R"({"out_trade_no":"O_1","total_amount":"0.01","subject":"Test 1/x"})"}};
}

RequestCheck checker(std::int64_t now) {
  RequestCheck c;
  c.app_id = "9021000000000001";
  c.now = now;
  c.window_seconds = 600;
  c.merchant_public_key = public_key(0);
  return c;
}

std::string sub_code_of(const Params& p, std::int64_t now) {
  const auto e = check_request(p, checker(now));
  return e ? e->code + " " + e->sub_code : "ok";
}

TEST(CheckRequest, AcceptsAGoodRequest) {
  const std::int64_t now = 1703141677;
  EXPECT_EQ(sub_code_of(signed_request(base_request(now), private_key(0)), now), "ok");
}

TEST(CheckRequest, RefusesWithAlipayCodes) {
  const std::int64_t now = 1703141677;
  const auto key = private_key(0);
  const auto without = [&](const char* k) {
    Params p = base_request(now);
    p.erase(k);
    return signed_request(p, key);
  };
  const auto with = [&](const char* k, const char* v) {
    Params p = base_request(now);
    p[k] = v;
    return signed_request(p, key);
  };
  EXPECT_EQ(sub_code_of(without("app_id"), now), "40001 isv.missing-app-id");
  EXPECT_EQ(sub_code_of(without("method"), now), "40001 isv.missing-method");
  EXPECT_EQ(sub_code_of(without("timestamp"), now), "40001 isv.missing-timestamp");
  EXPECT_EQ(sub_code_of(without("version"), now), "40001 isv.missing-version");
  EXPECT_EQ(sub_code_of(without("charset"), now), "40001 isv.missing-charset");
  Params unsigned_request = base_request(now);
  EXPECT_EQ(sub_code_of(unsigned_request, now), "40001 isv.missing-signature");
  unsigned_request["sign"] = "abc";
  unsigned_request.erase("sign_type");
  EXPECT_EQ(sub_code_of(unsigned_request, now), "40001 isv.missing-signature-type");

  EXPECT_EQ(sub_code_of(with("method", "alipay.trade.pay.magic"), now), "40002 isv.invalid-method");
  EXPECT_EQ(sub_code_of(with("sign_type", "RSA"), now), "40002 isv.invalid-signature-type");
  EXPECT_EQ(sub_code_of(with("timestamp", "2023/12/21 14:54:37"), now),
            "40002 isv.invalid-timestamp");
  EXPECT_EQ(sub_code_of(with("timestamp", format_beijing(now - 601).c_str()), now),
            "40002 isv.invalid-timestamp");
  EXPECT_EQ(sub_code_of(with("timestamp", format_beijing(now + 601).c_str()), now),
            "40002 isv.invalid-timestamp");
  EXPECT_EQ(sub_code_of(with("timestamp", format_beijing(now - 599).c_str()), now), "ok");
  // A UTC timestamp is 8 hours off: the classic mistake.
  EXPECT_EQ(sub_code_of(with("timestamp", format_beijing(now - 8 * 3600).c_str()), now),
            "40002 isv.invalid-timestamp");
  EXPECT_EQ(sub_code_of(with("version", "2.0"), now), "40002 isv.invalid-version");
  EXPECT_EQ(sub_code_of(with("charset", "GBK"), now), "40002 isv.invalid-charset");
  EXPECT_EQ(sub_code_of(with("charset", "UTF-8"), now), "ok");
  EXPECT_EQ(sub_code_of(with("format", "xml"), now), "40002 isv.invalid-format");
  EXPECT_EQ(sub_code_of(with("app_id", "2021000000000000"), now), "40002 isv.invalid-app-id");

  // Signed by another key, or signed without sign_type, or a value changed after signing.
  EXPECT_EQ(sub_code_of(signed_request(base_request(now), private_key(1)), now),
            "40002 isv.invalid-signature");
  Params no_sign_type = base_request(now);
  no_sign_type.erase("sign_type");
  no_sign_type["sign"] =
      rsa::sign_base64(key, canonical_string(no_sign_type, SignScope::request)).value();
  no_sign_type["sign_type"] = "RSA2";
  EXPECT_EQ(sub_code_of(no_sign_type, now), "40002 isv.invalid-signature");
  Params changed = signed_request(base_request(now), key);
  changed["notify_url"] = "http://evil.example/notify";
  const auto error = check_request(changed, checker(now));
  ASSERT_TRUE(error);
  EXPECT_EQ(error->sub_code, "isv.invalid-signature");
  EXPECT_NE(error->sub_msg.find("notify_url=http://evil.example/notify"), std::string::npos)
      << "the sub_msg shows the string the gateway checked";
  // Empty parameters are not part of the string, so adding one does not break it.
  Params with_empty = signed_request(base_request(now), key);
  with_empty["return_url"] = "";
  EXPECT_EQ(sub_code_of(with_empty, now), "ok");
}

// Moving a boundary of the signed string into a value keeps the signature valid.
TEST(CheckRequest, RefusesAParameterSetReadFromAnotherSplitOfTheSignedString) {
  const std::int64_t now = 1703141677;
  Params genuine = base_request(now);
  genuine["return_url"] = "https://shop.example/ok";
  genuine = signed_request(genuine, private_key(0));
  Params merged = genuine;
  merged["notify_url"] += "&return_url=" + merged["return_url"];
  merged.erase("return_url");
  ASSERT_EQ(canonical_string(merged, SignScope::request),
            canonical_string(genuine, SignScope::request));
  EXPECT_EQ(sub_code_of(genuine, now), "ok");
  EXPECT_EQ(sub_code_of(merged, now), "40002 isv.invalid-parameter");

  Params unknown = base_request(now);
  unknown["out_trade_no"] = "O_2";
  EXPECT_EQ(sub_code_of(signed_request(unknown, private_key(0)), now),
            "40002 isv.invalid-parameter");
  // '&' and '=' that start no known parameter are ordinary URL and JSON text.
  Params query = base_request(now);
  query["return_url"] = "https://shop.example/ok?a=1&b=2";
  EXPECT_EQ(sub_code_of(signed_request(query, private_key(0)), now), "ok");
}

TEST(CheckRequest, WindowCanBeSwitchedOffForTheCashier) {
  const std::int64_t now = 1703141677;
  auto check = checker(now + 86400);
  check.window_seconds = 0;
  EXPECT_FALSE(check_request(signed_request(base_request(now), private_key(0)), check));
}

std::string pay_error(Method method, const std::string& biz) {
  Params p{{"biz_content", biz}};
  const auto order = parse_pay_order(method, p);
  return order.ok()
             ? "ok"
             : order.error().code + " " + order.error().sub_code + " " + order.error().sub_msg;
}

TEST(PayOrder, ParsesAndValidates) {
  Params p{{"biz_content", R"({"out_trade_no":"O_1","total_amount":"12.30","subject":"茶"})"},
           {"notify_url", "http://n"},
           {"return_url", "http://r"}};
  const auto order = parse_pay_order(Method::precreate, p);
  ASSERT_TRUE(order.ok());
  EXPECT_EQ(order.value().out_trade_no, "O_1");
  EXPECT_EQ(order.value().amount, 1230);
  EXPECT_EQ(order.value().subject, "茶");
  EXPECT_EQ(order.value().notify_url, "http://n");
  EXPECT_EQ(order.value().return_url, "http://r");

  EXPECT_EQ(pay_error(Method::precreate, "not json").substr(0, 27), "40002 isv.invalid-parameter");
  EXPECT_EQ(pay_error(Method::precreate, "[]").substr(0, 27), "40002 isv.invalid-parameter");
  EXPECT_EQ(pay_error(Method::precreate, R"({"total_amount":"1","subject":"s"})").substr(0, 27),
            "40001 isv.missing-parameter");
  EXPECT_EQ(
      pay_error(Method::precreate, R"({"out_trade_no":"a-b","total_amount":"1","subject":"s"})")
          .substr(0, 27),
      "40002 isv.invalid-parameter");
  EXPECT_EQ(
      pay_error(Method::precreate, R"({"out_trade_no":"a","total_amount":"0.001","subject":"s"})")
          .substr(0, 27),
      "40002 isv.invalid-parameter");
  EXPECT_EQ(pay_error(Method::precreate, R"({"out_trade_no":"a","total_amount":1,"subject":"s"})")
                .substr(0, 27),
            "40002 isv.invalid-parameter");
  EXPECT_EQ(
      pay_error(Method::precreate, R"({"out_trade_no":"a","total_amount":"1"})").substr(0, 27),
      "40001 isv.missing-parameter");
  EXPECT_EQ(
      pay_error(Method::precreate, R"({"out_trade_no":"a","total_amount":"1","subject":"a&b"})")
          .substr(0, 27),
      "40002 isv.invalid-parameter");
  // wap and page need their product codes; app accepts none.
  EXPECT_EQ(pay_error(Method::wap_pay, R"({"out_trade_no":"a","total_amount":"1","subject":"s"})")
                .substr(0, 27),
            "40001 isv.missing-parameter");
  EXPECT_EQ(
      pay_error(
          Method::page_pay,
          R"({"out_trade_no":"a","total_amount":"1","subject":"s","product_code":"QUICK_WAP_WAY"})")
          .substr(0, 27),
      "40002 isv.invalid-parameter");
  EXPECT_EQ(
      pay_error(
          Method::page_pay,
          R"({"out_trade_no":"a","total_amount":"1","subject":"s","product_code":"FAST_INSTANT_TRADE_PAY"})"),
      "ok");
  EXPECT_EQ(pay_error(Method::app_pay, R"({"out_trade_no":"a","total_amount":"1","subject":"s"})"),
            "ok");
}

// The cashier page links to return_url: only a web address may become that link.
TEST(PayOrder, ReturnUrlMustBeAWebAddress) {
  const std::string biz = R"({"out_trade_no":"O_1","total_amount":"1","subject":"s",)"
                          R"("product_code":"FAST_INSTANT_TRADE_PAY"})";
  const auto with_return = [&](const std::string& url) {
    const auto order =
        parse_pay_order(Method::page_pay, {{"biz_content", biz}, {"return_url", url}});
    return order.ok() ? std::string("ok") : order.error().code + " " + order.error().sub_code;
  };
  for (const char* bad : {"javascript:alert(1)", "JavaScript://%0aalert(1)", "data:text/html,x",
                          "//evil.example/", "https://", "https:///path", "http://a b/",
                          "https://shop.example/\"><script>", "https://shop.example/\nx"}) {
    EXPECT_EQ(with_return(bad), "40002 isv.invalid-parameter") << bad;
    EXPECT_FALSE(is_web_url(bad)) << bad;
  }
  for (const char* good : {"https://shop.example/ok?a=1&b=2", "HTTP://127.0.0.1:8080/r#x"}) {
    EXPECT_EQ(with_return(good), "ok") << good;
  }
}

TEST(Refund, DefaultsOutRequestNoToTheTrade) {
  const auto r = parse_refund(Json::parse(R"({"out_trade_no":"O_1","refund_amount":"0.50"})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().amount, 50);
  EXPECT_EQ(r.value().out_request_no, "O_1");
  EXPECT_FALSE(parse_refund(Json::parse(R"({"refund_amount":"0.50"})")).ok());
  EXPECT_EQ(parse_refund(Json::parse(R"({"out_trade_no":"O_1"})")).error().code, "40001");
  EXPECT_EQ(parse_refund(Json::parse(R"({"out_trade_no":"O_1","refund_amount":"0"})")).error().code,
            "40002");
}

TEST(OrderString, SplitsAndDecodesOnce) {
  const auto parsed = parse_order_string(
      "app_id=9021000000000001&biz_content=%7B%22subject%22%3A%22a%2Bb%20c%22%7D&sign=ab%2Bc%2F%3D"
      "&timestamp=2024-01-02+03%3A04%3A05&double=%2525");
  ASSERT_TRUE(parsed.ok());
  const Params& p = parsed.value();
  EXPECT_EQ(p.at("biz_content"), R"({"subject":"a+b c"})");
  EXPECT_EQ(p.at("sign"), "ab+c/=");
  EXPECT_EQ(p.at("timestamp"), "2024-01-02 03:04:05");
  EXPECT_EQ(p.at("double"), "%25") << "decoded exactly once";
  EXPECT_FALSE(parse_order_string("a=1&a=2").ok());
  EXPECT_FALSE(parse_order_string("a=%zz").ok());
  EXPECT_FALSE(parse_order_string("novalue").ok());
}

TEST(OrderString, SignedOrderStringVerifies) {
  const std::int64_t now = 1703141677;
  Params p = base_request(now);
  p["method"] = "alipay.trade.app.pay";
  p = signed_request(p, private_key(0));
  std::vector<std::pair<std::string, std::string>> pairs(p.begin(), p.end());
  const auto parsed = parse_order_string(sdk::form_encode(pairs));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed.value(), p);
  EXPECT_FALSE(check_request(parsed.value(), checker(now)));
}

TEST(Credential, FieldsExceptChannelUrl) {
  const auto p = params_from_credential(
      Json{{"channel_url", "http://x/gateway.do"}, {"app_id", "1"}, {"n", 5}, {"z", nullptr}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p.value(), (Params{{"app_id", "1"}, {"n", "5"}}));
  EXPECT_FALSE(params_from_credential(Json{{"a", Json::object()}}).ok());
  EXPECT_FALSE(params_from_credential(Json("string")).ok());
}

NotifyTrade sample_trade() {
  NotifyTrade t;
  t.notify_id = "nid";
  t.notify_time = 1703141700;
  t.app_id = "9021000000000001";
  t.seller_id = "2088000000000001";
  t.trade_no = "2023122122001400000000000001";
  t.out_trade_no = "O_1";
  t.buyer_id = "2088000000000002";
  t.buyer_logon_id = "buyer***@sandbox.example";
  t.trade_status = "TRADE_SUCCESS";
  t.amount = 1234;
  t.subject = "Sub ject";
  t.gmt_create = 1703141600;
  t.gmt_payment = 1703141690;
  return t;
}

TEST(Notification, SignedWithoutSignTypeAndCarriesTheTrade) {
  Fields f = notification_fields(sample_trade());
  ASSERT_TRUE(sign_notification(f, private_key(1)));
  const Params p = to_params(f);
  EXPECT_EQ(p.at("notify_type"), "trade_status_sync");
  EXPECT_EQ(p.at("total_amount"), "12.34");
  EXPECT_EQ(p.at("receipt_amount"), "12.34");
  EXPECT_EQ(p.at("buyer_pay_amount"), "12.34");
  EXPECT_EQ(p.at("gmt_payment"), "2023-12-21 14:54:50");
  EXPECT_EQ(p.at("sign_type"), "RSA2");
  EXPECT_EQ(p.at("seller_id"), "2088000000000001");
  EXPECT_EQ(p.count("refund_fee"), 0u);
  EXPECT_TRUE(rsa::verify_base64(public_key(1), canonical_string(p, SignScope::notification),
                                 p.at("sign")));
  EXPECT_FALSE(
      rsa::verify_base64(public_key(1), canonical_string(p, SignScope::request), p.at("sign")));
  // Through the form encoding and back (decode once) it still verifies.
  const auto back = sdk::parse_form_map(sdk::form_encode(f));
  Params decoded(back.begin(), back.end());
  EXPECT_TRUE(rsa::verify_base64(public_key(1), canonical_string(decoded, SignScope::notification),
                                 decoded.at("sign")));
}

TEST(Notification, TamperingKeepsValidSignaturesExceptForSignature) {
  for (const char* name : {"amount", "app_id", "unknown_order", "signature"}) {
    const auto tamper = tamper_from_string(name);
    ASSERT_TRUE(tamper) << name;
    NotifyTrade t = sample_trade();
    tamper_before_signing(t, *tamper);
    Fields f = notification_fields(t);
    ASSERT_TRUE(sign_notification(f, private_key(1)));
    if (*tamper == Tamper::signature) {
      for (auto& [k, v] : f) {
        if (k == "sign") v = corrupt_signature(v);
      }
    }
    const Params p = to_params(f);
    const bool verifies = rsa::verify_base64(
        public_key(1), canonical_string(p, SignScope::notification), p.at("sign"));
    EXPECT_EQ(verifies, *tamper != Tamper::signature) << name;
    switch (*tamper) {
      case Tamper::amount:
        EXPECT_EQ(p.at("total_amount"), "12.35");
        break;
      case Tamper::app_id:
        EXPECT_EQ(p.at("app_id"), kForeignAppId);
        break;
      case Tamper::unknown_order:
        EXPECT_NE(p.at("out_trade_no"), "O_1");
        break;
      case Tamper::signature:
        EXPECT_EQ(p.at("total_amount"), "12.34");
        break;
    }
  }
  EXPECT_FALSE(tamper_from_string("everything"));
}

TEST(Errors, NodesCarryCodeAndSubCode) {
  const Json node = error_node(business_failure("ACQ.TRADE_NOT_EXIST", "交易不存在"));
  EXPECT_EQ(
      node.dump(),
      R"({"code":"40004","msg":"Business Failed","sub_code":"ACQ.TRADE_NOT_EXIST","sub_msg":"交易不存在"})");
  EXPECT_EQ(missing_parameter("a", "b").code, "40001");
  EXPECT_EQ(invalid_parameter("a", "b").msg, "Invalid Arguments");
}

}  // namespace
}  // namespace payhost::sandbox_alipay::alipay
