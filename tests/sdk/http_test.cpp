// HTTP value types, form parsing and the Ping++ charge rendering.
#include "payhost/sdk/http.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "payhost/sdk/charge.hpp"

namespace payhost::sdk {
namespace {

using Pairs = std::vector<std::pair<std::string, std::string>>;

TEST(ParseForm, DecodesEachValueExactlyOnce) {
  EXPECT_EQ(parse_form("a=%2541"), (Pairs{{"a", "%41"}}));
  EXPECT_EQ(parse_form("a=%252B"), (Pairs{{"a", "%2B"}}));
  EXPECT_EQ(parse_form("k%20y=v%26w%3Dx"), (Pairs{{"k y", "v&w=x"}}));
}

TEST(ParseForm, PlusIsSpaceButEncodedPlusIsPlus) {
  EXPECT_EQ(parse_form("subject=a+b&sign=ab%2Bc"), (Pairs{{"subject", "a b"}, {"sign", "ab+c"}}));
  EXPECT_EQ(parse_form("timestamp=2023-12-21+06%3A54%3A37"),
            (Pairs{{"timestamp", "2023-12-21 06:54:37"}}));
}

TEST(ParseForm, SkipsEmptyPairsAndKeepsOrderAndDuplicates) {
  EXPECT_EQ(parse_form(""), Pairs{});
  EXPECT_EQ(parse_form("&&"), Pairs{});
  EXPECT_EQ(parse_form("b=2&&a=1&"), (Pairs{{"b", "2"}, {"a", "1"}}));
  EXPECT_EQ(parse_form("&x=1&x=2"), (Pairs{{"x", "1"}, {"x", "2"}}));
}

TEST(ParseForm, KeyWithoutValueAndValueWithEquals) {
  EXPECT_EQ(parse_form("flag"), (Pairs{{"flag", ""}}));
  EXPECT_EQ(parse_form("flag="), (Pairs{{"flag", ""}}));
  // Only the first '=' separates: base64 signatures end in '='.
  EXPECT_EQ(parse_form("sign=abc=="), (Pairs{{"sign", "abc=="}}));
}

TEST(ParseForm, MalformedEscapesAreKeptVerbatim) {
  EXPECT_EQ(parse_form("a=%G1&b=%4"), (Pairs{{"a", "%G1"}, {"b", "%4"}}));
}

TEST(ParseForm, MapKeepsTheLastValue) {
  const auto m = parse_form_map("x=1&y=a+b&x=2");
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m.at("x"), "2");
  EXPECT_EQ(m.at("y"), "a b");
}

TEST(Headers, CaseInsensitiveGetAndSet) {
  Headers h;
  EXPECT_EQ(h.get("X-Missing"), std::nullopt);
  h.add("Content-Type", "text/plain");
  h.add("Set-Cookie", "a=1");
  h.add("set-cookie", "b=2");
  EXPECT_EQ(h.get("content-type"), "text/plain");
  EXPECT_EQ(h.get("CONTENT-TYPE"), "text/plain");
  EXPECT_EQ(h.get("Content"), std::nullopt);  // no prefix matches
  EXPECT_EQ(h.get("Content-Type-X"), std::nullopt);
  EXPECT_EQ(h.get("SET-COOKIE"), "a=1");  // the first of duplicates
  EXPECT_EQ(h.all().size(), 3u);

  h.set("SET-COOKIE", "c=3");  // replaces both, whatever their case
  EXPECT_EQ(h.get("set-cookie"), "c=3");
  ASSERT_EQ(h.all().size(), 2u);
  EXPECT_EQ(h.all()[0], (std::pair<std::string, std::string>{"Content-Type", "text/plain"}));
  EXPECT_EQ(h.all()[1], (std::pair<std::string, std::string>{"SET-COOKIE", "c=3"}));

  h.set("Wechatpay-Serial", "D7CE59D1F522D701");
  EXPECT_EQ(h.get("wechatpay-serial"), "D7CE59D1F522D701");
}

TEST(HttpRequest, ParamsAndHeaders) {
  HttpRequest r;
  r.query = {{"a", "1"}};
  r.path_params = {{"id", "ch_1"}};
  r.headers.add("Idempotency-Key", "k");
  EXPECT_EQ(r.query_param("a"), "1");
  EXPECT_EQ(r.query_param("b", "fallback"), "fallback");
  EXPECT_EQ(r.path_param("id"), "ch_1");
  EXPECT_EQ(r.path_param("missing"), "");
  EXPECT_EQ(r.header("idempotency-key"), "k");
}

TEST(HttpResponse, JsonNeverThrowsOnInvalidUtf8) {
  const auto r = HttpResponse::json(201, Json{{"bad", std::string("\xff\xfe")}, {"n", 1}});
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.headers.get("content-type"), "application/json; charset=utf-8");
  EXPECT_EQ(r.body, "{\"bad\":\"\xef\xbf\xbd\xef\xbf\xbd\",\"n\":1}");
  const auto t = HttpResponse::text(200, "success");
  EXPECT_EQ(t.body, "success");
  EXPECT_EQ(t.headers.get("Content-Type"), "text/plain; charset=utf-8");
}

// ---------------------------------------------------------------------------------------
// Ping++ charge

Charge sample_charge() {
  Charge c;
  c.id = "ch_Hm5uTSifDOuTy9iLeLPSurrD";
  c.app = "app_1Gqj58ynP0mHeX1q";
  c.channel = "alipay";
  c.order_no = "123456789";
  c.client_ip = "127.0.0.1";
  c.amount = 100;
  c.subject = "Your Subject";
  c.body = "Your Body";
  c.created = 1410778843;
  c.time_expire = 1410865243;
  c.credential = Json{{"orderInfo", "app_id=2021&sign=x"}};
  return c;
}

// "k1, k2, ..." in the object's own order.
std::string keys_of(const Json& j) {
  std::string out;
  for (const auto& [k, v] : j.items())
    out += (out.empty() ? "" : ", ") + k;
  return out;
}

TEST(PingppCharge, FieldOrderIsExactlyPingpps) {
  const std::string expected =
      "id, object, created, livemode, paid, refunded, reversed, app, channel, order_no, "
      "client_ip, amount, amount_settle, currency, subject, body, extra, time_paid, time_expire, "
      "time_settle, transaction_no, refunds, amount_refunded, failure_code, failure_msg, "
      "metadata, credential, description";
  EXPECT_EQ(keys_of(to_pingpp_json(sample_charge())), expected);
  Charge paid = sample_charge();
  paid.state = ChargeState::succeeded;
  paid.time_paid = 1410778900;
  paid.transaction_no = "2014091500001";
  paid.description = "d";
  EXPECT_EQ(keys_of(to_pingpp_json(paid)), expected);
}

TEST(PingppCharge, PendingChargeCarriesTheCredential) {
  const Json j = to_pingpp_json(sample_charge());
  EXPECT_EQ(j["object"], "charge");
  EXPECT_EQ(j["paid"], false);
  EXPECT_EQ(j["refunded"], false);
  EXPECT_EQ(j["reversed"], false);
  EXPECT_EQ(j["livemode"], false);
  EXPECT_EQ(j["amount"], 100);
  EXPECT_EQ(j["amount_settle"], 100);
  EXPECT_EQ(j["currency"], "cny");
  EXPECT_TRUE(j["time_paid"].is_null());
  EXPECT_TRUE(j["time_settle"].is_null());
  EXPECT_TRUE(j["transaction_no"].is_null());
  EXPECT_TRUE(j["failure_code"].is_null());
  EXPECT_TRUE(j["failure_msg"].is_null());
  EXPECT_TRUE(j["description"].is_null());
  EXPECT_EQ(j["extra"], Json::object());
  EXPECT_EQ(j["metadata"], Json::object());
  EXPECT_EQ(j["credential"].dump(),
            R"({"object":"credential","alipay":{"orderInfo":"app_id=2021&sign=x"}})");
  EXPECT_EQ(j["refunds"].dump(),
            R"({"object":"list","url":"/v1/charges/ch_Hm5uTSifDOuTy9iLeLPSurrD/refunds",)"
            R"("has_more":false,"data":[]})");
}

TEST(PingppCharge, TextIsWhatTheJsonAnswerWouldSend) {
  Charge c = sample_charge();
  c.subject = "Say \"hi\" \\ back\n\t\x01 \x7f 学校 \xff end";
  c.body = "a/b <c> &d";
  c.order_no = "quote\"in\"order";
  c.metadata = Json{{"k", "v\"w"}, {"n", 2}};
  c.credential = Json{{"orderInfo", "a=1&b=/x/&c=\"q\""}};
  c.description = "tab\there";
  for (ChargeState state : {ChargeState::pending, ChargeState::succeeded, ChargeState::closed}) {
    c.state = state;
    c.time_paid =
        state == ChargeState::succeeded ? std::optional<std::int64_t>(1410778900) : std::nullopt;
    const std::string text = to_pingpp_json_text(c);
    const Json j = Json::parse(text);  // throws if the text is not JSON
    EXPECT_EQ(HttpResponse::json(200, j).body, text) << text;
    EXPECT_EQ(HttpResponse::json_text(201, text).body, text);
    EXPECT_EQ(j["order_no"], c.order_no);
    EXPECT_EQ(j["body"], c.body);
    EXPECT_EQ(j["description"], c.description);
    EXPECT_EQ(j["metadata"], c.metadata);
    // The invalid byte is replaced, as HttpResponse::json replaces it; the rest is kept.
    EXPECT_EQ(j["subject"], "Say \"hi\" \\ back\n\t\x01 \x7f 学校 \xef\xbf\xbd end");
  }
  c.state = ChargeState::pending;
  EXPECT_NE(to_pingpp_json_text(c).find(R"("credential":{"object":"credential","alipay":)"
                                        R"({"orderInfo":"a=1&b=/x/&c=\"q\""}})"),
            std::string::npos);
  EXPECT_EQ(HttpResponse::json_text(201, "{}").headers.get("Content-Type"),
            "application/json; charset=utf-8");
}

TEST(PingppCharge, CredentialIsEmptyOncePaid) {
  Charge c = sample_charge();
  c.state = ChargeState::succeeded;
  c.time_paid = 1410778900;
  c.transaction_no = "2014091500001";
  const Json j = to_pingpp_json(c);
  EXPECT_EQ(j["paid"], true);
  EXPECT_EQ(j["credential"], Json::object());
  EXPECT_EQ(j["credential"].dump(), "{}");
  EXPECT_EQ(j["time_paid"], 1410778900);
  EXPECT_EQ(j["transaction_no"], "2014091500001");
}

TEST(PingppCharge, RefundedAndReversedFlags) {
  Charge c = sample_charge();
  c.state = ChargeState::succeeded;
  c.amount_refunded = 40;
  EXPECT_EQ(to_pingpp_json(c)["refunded"], false);  // partial refund
  EXPECT_EQ(to_pingpp_json(c)["amount_refunded"], 40);
  c.amount_refunded = 100;
  EXPECT_EQ(to_pingpp_json(c)["refunded"], true);

  // Expiry closes a charge; only the merchant's reverse makes it reversed.
  Charge closed = sample_charge();
  closed.state = ChargeState::closed;
  EXPECT_EQ(to_pingpp_json(closed)["reversed"], false);
  closed.reversed = true;
  const Json j = to_pingpp_json(closed);
  EXPECT_EQ(j["reversed"], true);
  EXPECT_EQ(j["paid"], false);
  EXPECT_EQ(j["credential"], Json::object());
}

TEST(PingppCharge, EmbedsRefundsWhenGiven) {
  Charge c = sample_charge();
  c.state = ChargeState::succeeded;
  const std::string refunds = R"([{"id":"re_1","object":"refund"},{"id":"re_0"}])";
  const Json j = Json::parse(to_pingpp_json_text(c, refunds, true));
  EXPECT_EQ(j["refunds"]["data"].size(), 2u);
  EXPECT_EQ(j["refunds"]["data"][0]["id"], "re_1");
  EXPECT_EQ(j["refunds"]["has_more"], true);
  EXPECT_EQ(j["refunds"]["url"], "/v1/charges/" + c.id + "/refunds");
  // The one-argument form is the same object with an empty list.
  EXPECT_EQ(Json::parse(to_pingpp_json_text(c))["refunds"]["data"], Json::array());
  EXPECT_EQ(Json::parse(to_pingpp_json_text(c))["refunds"]["has_more"], false);
}

TEST(PingppCharge, FailureAndMetadataPassThrough) {
  Charge c = sample_charge();
  c.state = ChargeState::failed;
  c.failure_code = "channel_error";
  c.failure_msg = "declined";
  c.metadata = Json{{"order", "42"}};
  c.extra = Json{{"extend_params", {{"a", 1}}}};
  c.description = "note";
  const Json j = to_pingpp_json(c);
  EXPECT_EQ(j["failure_code"], "channel_error");
  EXPECT_EQ(j["failure_msg"], "declined");
  EXPECT_EQ(j["metadata"], (Json{{"order", "42"}}));
  EXPECT_EQ(j["extra"]["extend_params"]["a"], 1);
  EXPECT_EQ(j["description"], "note");
  // Non-object extras/metadata are never emitted as anything but objects.
  c.metadata = Json::array();
  c.extra = nullptr;
  EXPECT_EQ(to_pingpp_json(c)["metadata"], Json::object());
  EXPECT_EQ(to_pingpp_json(c)["extra"], Json::object());
}

TEST(ChargeState, StringRoundTrip) {
  for (auto s :
       {ChargeState::pending, ChargeState::succeeded, ChargeState::failed, ChargeState::closed}) {
    EXPECT_EQ(charge_state_from_string(to_string(s)), s);
  }
  EXPECT_EQ(charge_state_from_string("paid"), std::nullopt);
  EXPECT_EQ(charge_state_from_string("Pending"), std::nullopt);
}

}  // namespace
}  // namespace payhost::sdk
