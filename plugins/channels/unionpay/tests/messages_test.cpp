// Reading UnionPay's two message shapes strictly (raw synchronous answers, form-encoded
// notifications), the signing string, and every refusal of a hostile body, none thrown.
#include <gtest/gtest.h>

#include "messages.hpp"
#include "payhost/sdk/encoding.hpp"
#include "signing.hpp"

namespace payhost::unionpay {
namespace {

std::string code_of(const sdk::Result<Fields>& r) {
  return r ? "ok" : r.error().code;
}

TEST(UnionpayMessages, SplitsRawAnswersOnlyOutsideBracesAndBrackets) {
  auto f = parse_sync_answer(
      "respCode=00&reserved={a=1&b=[x&y]}&list=[p&q]&signature=YWJj==&empty=&pem=a\r\nb");
  ASSERT_TRUE(f) << f.error().message;
  const Fields expected = {{"respCode", "00"}, {"reserved", "{a=1&b=[x&y]}"},
                           {"list", "[p&q]"},  {"signature", "YWJj=="},
                           {"empty", ""},      {"pem", "a\r\nb"}};
  EXPECT_EQ(*f, expected);
}

TEST(UnionpayMessages, NeverDecodesRawAnswers) {
  auto f = parse_sync_answer("respMsg=%E6%88%90+x&sig=a+b/c=");
  ASSERT_TRUE(f);
  EXPECT_EQ(field_or_empty(*f, "respMsg"), "%E6%88%90+x");
  EXPECT_EQ(field_or_empty(*f, "sig"), "a+b/c=");
}

TEST(UnionpayMessages, DecodesFormsExactlyOnce) {
  auto f = parse_notification_form("a=%2541&b=x+y&c=%E4%B8%AD&d=&e=YWJj%3D%3D");
  ASSERT_TRUE(f) << f.error().message;
  EXPECT_EQ(field_or_empty(*f, "a"), "%41");
  EXPECT_EQ(field_or_empty(*f, "b"), "x y");
  EXPECT_EQ(field_or_empty(*f, "c"), "中");
  EXPECT_EQ(field_or_empty(*f, "d"), "");
  EXPECT_EQ(field_or_empty(*f, "e"), "YWJj==");
}

TEST(UnionpayMessages, FormBodyRoundTrips) {
  const Fields fields = {{"orderDesc", "钱包 充值+1"},
                         {"backUrl", "https://h/notify?x=1"},
                         {"pem", "-----BEGIN\r\nAB+/=\r\n-----END"}};
  const std::string body = form_body(fields);
  EXPECT_EQ(body.find(' '), std::string::npos);
  auto back = parse_notification_form(body);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, fields);
}

TEST(UnionpayMessages, RefusesRepeatedNames) {
  EXPECT_EQ(code_of(parse_sync_answer("txnAmt=1&txnAmt=100")), "duplicate_field");
  EXPECT_EQ(code_of(parse_notification_form("txnAmt=1&txnAmt=100")), "duplicate_field");
  // The same name spelled with an escape is still the same name.
  EXPECT_EQ(code_of(parse_notification_form("txnAmt=1&txn%41mt=2&txnAmt=3")), "duplicate_field");
}

TEST(UnionpayMessages, RefusesMalformedMessages) {
  EXPECT_EQ(code_of(parse_sync_answer("")), "malformed_message");
  EXPECT_EQ(code_of(parse_sync_answer("respCode")), "malformed_message");
  EXPECT_EQ(code_of(parse_sync_answer("a=1&&b=2")), "malformed_message");
  EXPECT_EQ(code_of(parse_sync_answer("a=1&")), "malformed_message");
  EXPECT_EQ(code_of(parse_sync_answer("a={1&b=2")), "malformed_message");
  EXPECT_EQ(code_of(parse_sync_answer("a=1}&b=2")), "malformed_message");
  EXPECT_EQ(code_of(parse_sync_answer("=1")), "invalid_field_name");
  EXPECT_EQ(code_of(parse_sync_answer("a b=1")), "invalid_field_name");
  EXPECT_EQ(code_of(parse_notification_form("")), "malformed_message");
  EXPECT_EQ(code_of(parse_notification_form("a")), "malformed_message");
  EXPECT_EQ(code_of(parse_notification_form("a=1&")), "malformed_message");
  EXPECT_EQ(code_of(parse_notification_form("a=%G1")), "malformed_escape");
  EXPECT_EQ(code_of(parse_notification_form("a=%4")), "malformed_escape");
  EXPECT_EQ(code_of(parse_notification_form("a%3Db=1")), "invalid_field_name");
  EXPECT_EQ(code_of(parse_notification_form("{\"json\":1}")), "malformed_message");
}

TEST(UnionpayMessages, RefusesValuesThatWouldSplitAnotherWay) {
  EXPECT_EQ(code_of(parse_notification_form("a=x%26txnAmt%3D1")), "ambiguous_value");
  EXPECT_EQ(code_of(parse_notification_form("a=%7Bx")), "ambiguous_value");
  EXPECT_EQ(code_of(parse_notification_form("a=%7Bx%26y%7D")), "ok");
}

TEST(UnionpayMessages, RefusesHugeBodiesValuesAndCounts) {
  EXPECT_EQ(code_of(parse_sync_answer("a=" + std::string(kMaxMessageBytes, 'x'))),
            "message_too_large");
  EXPECT_EQ(code_of(parse_notification_form("a=" + std::string(kMaxMessageBytes, 'x'))),
            "message_too_large");
  EXPECT_EQ(code_of(parse_sync_answer("a=" + std::string(kMaxValueBytes + 1, 'x'))),
            "value_too_large");
  EXPECT_EQ(code_of(parse_sync_answer("a=" + std::string(kMaxValueBytes, 'x'))), "ok");
  std::string many;
  for (std::size_t i = 0; i <= kMaxFields; ++i)
    many += (many.empty() ? "" : "&") + std::string("f") + std::to_string(i) + "=1";
  EXPECT_EQ(code_of(parse_sync_answer(many)), "too_many_fields");
  EXPECT_EQ(code_of(parse_sync_answer("n" + std::string(kMaxNameBytes, 'x') + "=1")),
            "invalid_field_name");
}

TEST(UnionpayMessages, RefusesInvalidUtf8AndControls) {
  EXPECT_EQ(code_of(parse_sync_answer("respMsg=\xff\xfe")), "invalid_utf8");
  EXPECT_EQ(code_of(parse_sync_answer("respMsg=\xe4\xb8")), "invalid_utf8");      // truncated
  EXPECT_EQ(code_of(parse_sync_answer("respMsg=\xc0\xaf")), "invalid_utf8");      // overlong
  EXPECT_EQ(code_of(parse_sync_answer("respMsg=\xed\xa0\x80")), "invalid_utf8");  // surrogate
  EXPECT_EQ(code_of(parse_notification_form("respMsg=%FF")), "invalid_utf8");
  EXPECT_EQ(code_of(parse_notification_form("respMsg=a%00b")), "control_character");
  EXPECT_EQ(code_of(parse_sync_answer(std::string("respMsg=a\x01") + "b")), "control_character");
  EXPECT_EQ(code_of(parse_sync_answer("respMsg=成功[0000000]")), "ok");
}

TEST(UnionpayMessages, SigningStringSortsAndLeavesOutTheSignatureOnly) {
  const Fields f = {
      {"txnAmt", "1"}, {"signature", "x"}, {"accessType", "0"}, {"empty", ""}, {"Zeta", "z"}};
  EXPECT_EQ(signing_string(f), "Zeta=z&accessType=0&empty=&txnAmt=1");
  EXPECT_EQ(signing_digest(f).size(), 64u);
  EXPECT_EQ(signing_digest(f),
            sdk::hex_lower(sdk::crypto::sha256("Zeta=z&accessType=0&empty=&txnAmt=1")));
}

TEST(UnionpayMessages, ShortTextCutsOnACharacterBoundary) {
  std::string text(199, 'a');
  text += "中文";
  const std::string cut = short_text(text);
  EXPECT_EQ(cut, std::string(199, 'a'));
  EXPECT_EQ(short_text("a\nb"), "a b");
}

}  // namespace
}  // namespace payhost::unionpay
