// Every validation message of the seed and the issue, and how request bodies are read.
#include <gtest/gtest.h>

#include <map>
#include <optional>

#include "input.hpp"
#include "messages.hpp"
#include "validation.hpp"

namespace payhost::wallet {
namespace {

using sdk::Json;

Input json_input(const Json& fields) {
  Input input;
  input.fields = fields;
  return input;
}

const std::vector<std::string> kTypes = {"alipay",  "alipay_wap",     "alipay_pc_direct",
                                         "testpay", "applepay_upacp", "upacp"};

// The first message for `field`, or "" when the request was accepted or has none.
template <class T>
std::string field_error(const Validated<T>& v, const std::string& field) {
  const auto* rejection = std::get_if<Rejection>(&v);
  if (rejection == nullptr) return "";
  for (const auto& [name, messages] : rejection->errors) {
    if (name == field) return messages.at(0);
  }
  return "";
}

template <class T>
std::string flat_message(const Validated<T>& v) {
  const auto* rejection = std::get_if<Rejection>(&v);
  return rejection == nullptr ? "" : rejection->message;
}

TEST(ReadInteger, AcceptsIntegersAndDecimalStringsOnly) {
  EXPECT_EQ(read_integer(nullptr).state, IntegerField::missing);
  const Json null_value;
  EXPECT_EQ(read_integer(&null_value).state, IntegerField::missing);
  for (const Json& v : {Json(""), Json("  ")})
    EXPECT_EQ(read_integer(&v).state, IntegerField::missing);
  for (const Json& v : {Json(100), Json("100"), Json(" 100 ")}) {
    const auto f = read_integer(&v);
    EXPECT_EQ(f.state, IntegerField::ok) << v.dump();
    EXPECT_EQ(f.value, 100);
  }
  const Json negative("-5");
  EXPECT_EQ(read_integer(&negative).value, -5);
  for (const Json& v :
       {Json(1.5), Json(100.0), Json("1.0"), Json("1e3"), Json("abc"), Json(true), Json::array({1}),
        Json::object(), Json("+1"), Json("9999999999999999999"), Json(18446744073709551615ull)}) {
    EXPECT_EQ(read_integer(&v).state, IntegerField::not_integer) << v.dump();
  }
}

TEST(ValidateRecharge, AcceptsAGoodRequest) {
  auto v = validate_recharge(
      json_input(
          {{"type", "alipay_wap"}, {"amount", 100}, {"extra", {{"success_url", "https://x"}}}}),
      kTypes, 1'000'000);
  ASSERT_TRUE(std::holds_alternative<RechargeRequest>(v));
  const auto& r = std::get<RechargeRequest>(v);
  EXPECT_EQ(r.type, "alipay_wap");
  EXPECT_EQ(r.amount, 100);
  EXPECT_EQ(r.extra["success_url"], "https://x");
}

TEST(ValidateRecharge, TypeMessages) {
  EXPECT_EQ(field_error(validate_recharge(json_input({{"amount", 1}}), kTypes, 100), "type"),
            "请选择充值方式");
  EXPECT_EQ(field_error(validate_recharge(json_input({{"type", ""}, {"amount", 1}}), kTypes, 100),
                        "type"),
            "请选择充值方式");
  for (const Json& type : {Json("wx"), Json(1), Json::array({"alipay"})}) {
    EXPECT_EQ(
        field_error(validate_recharge(json_input({{"type", type}, {"amount", 1}}), kTypes, 100),
                    "type"),
        "选择的充值方式错误")
        << type.dump();
  }
}

TEST(ValidateRecharge, AmountMessagesAndLimits) {
  auto amount_error = [](const Json& amount) {
    return field_error(
        validate_recharge(json_input({{"type", "alipay"}, {"amount", amount}}), kTypes, 1'000'000),
        "amount");
  };
  EXPECT_EQ(field_error(validate_recharge(json_input({{"type", "alipay"}}), kTypes, 100), "amount"),
            "请选择需要充值金额");
  EXPECT_EQ(amount_error(nullptr), "请选择需要充值金额");
  EXPECT_EQ(amount_error(0), "充值金额不合法");
  EXPECT_EQ(amount_error(-1), "充值金额不合法");
  EXPECT_EQ(amount_error(1.5), "充值金额不合法");
  EXPECT_EQ(amount_error("12abc"), "充值金额不合法");
  EXPECT_EQ(amount_error(1'000'001), "充值金额超出最大充值限制");
  // The old server compared the *length* of a string amount with max:1000000.
  EXPECT_EQ(amount_error("99999999999"), "充值金额超出最大充值限制");
  EXPECT_EQ(amount_error(1'000'000), "");
  EXPECT_EQ(amount_error(1), "");
  EXPECT_EQ(amount_error("500"), "");
}

TEST(ValidateRecharge, BothFieldsAreReportedTogetherInOrder) {
  auto v = validate_recharge(json_input(Json::object()), kTypes, 100);
  const auto& rejection = std::get<Rejection>(v);
  ASSERT_EQ(rejection.errors.size(), 2u);
  EXPECT_EQ(rejection.errors[0].first, "type");
  EXPECT_EQ(rejection.errors[1].first, "amount");
  const auto response = rejection_response(rejection);
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(
      Json::parse(response.body),
      Json::parse(
          R"({"message":"提交的信息验证错误","errors":{"type":["请选择充值方式"],"amount":["请选择需要充值金额"]}})"));
}

TEST(ValidateRecharge, ExtraMustBeAnObject) {
  for (const Json& extra : {Json("x"), Json(1), Json::array({"a"}), Json(true)}) {
    auto v = validate_recharge(json_input({{"type", "testpay"}, {"amount", 1}, {"extra", extra}}),
                               kTypes, 100);
    EXPECT_EQ(flat_message(v), "请求参数不合法") << extra.dump();
    const auto response = rejection_response(std::get<Rejection>(v));
    EXPECT_EQ(response.status, 422);
    EXPECT_EQ(response.body, R"({"message":"请求参数不合法"})");
  }
  for (const Json& extra : {Json(nullptr), Json::array(), Json::object()}) {
    auto v = validate_recharge(json_input({{"type", "testpay"}, {"amount", 1}, {"extra", extra}}),
                               kTypes, 100);
    ASSERT_TRUE(std::holds_alternative<RechargeRequest>(v)) << extra.dump();
    EXPECT_TRUE(std::get<RechargeRequest>(v).extra.is_object());
  }
}

// Every shape a client can send, absent included (a null Json here means "no extra field").
const std::vector<std::pair<std::string, std::optional<Json>>> kExtraShapes = {
    {"absent", std::nullopt},
    {"null", Json(nullptr)},
    {"[]", Json::array()},
    {"{}", Json::object()},
    {"string", Json("https://x/r")},
    {"empty string", Json("")},
    {"number", Json(5)},
    {"true", Json(true)},
    {"list", Json::array({"a"})},
    {"no url", Json{{"a", "b"}}},
    {"url", Json{{"success_url", "https://plus.io/r"}}}};

Validated<RechargeRequest> recharge_with_extra(const std::string& type,
                                               const std::optional<Json>& extra) {
  Json fields = {{"type", type}, {"amount", 1}};
  if (extra) fields["extra"] = *extra;
  return validate_recharge(json_input(fields), kTypes, 100);
}

TEST(ValidateRecharge, AlipayWebPaymentsReadExtraAsThinkSnsDid) {
  const std::map<std::string, std::string> expected = {{"absent", "请求参数不合法"},
                                                       {"null", "请求参数不合法"},
                                                       {"[]", "extra.success_url 必须存在"},
                                                       {"{}", "extra.success_url 必须存在"},
                                                       {"string", "请求参数不合法"},
                                                       {"empty string", "请求参数不合法"},
                                                       {"number", "请求参数不合法"},
                                                       {"true", "请求参数不合法"},
                                                       {"list", "extra.success_url 必须存在"},
                                                       {"no url", "extra.success_url 必须存在"},
                                                       {"url", ""}};
  for (const char* type : {"alipay_wap", "alipay_pc_direct"}) {
    for (const auto& [name, extra] : kExtraShapes) {
      const auto v = recharge_with_extra(type, extra);
      const std::string want = expected.at(name);
      if (want.empty()) {
        ASSERT_TRUE(std::holds_alternative<RechargeRequest>(v)) << type << " " << name;
        EXPECT_EQ(std::get<RechargeRequest>(v).extra, *extra);
      } else {
        EXPECT_EQ(flat_message(v), want) << type << " " << name;
      }
    }
    // PHP reads these URLs as false.
    for (const Json& url : {Json(""), Json(" "), Json("0"), Json(0), Json(false), Json(nullptr),
                            Json::array(), Json::object()}) {
      EXPECT_EQ(flat_message(recharge_with_extra(type, Json{{"success_url", url}})),
                "extra.success_url 必须存在")
          << type << " " << url.dump();
    }
  }
}

// Alipay's and UnionPay's app payments: the client SDK takes the credential alone.
TEST(ValidateRecharge, AppPaymentsIgnoreExtra) {
  for (const char* type : {"alipay", "applepay_upacp", "upacp"}) {
    for (const auto& [name, extra] : kExtraShapes) {
      const auto v = recharge_with_extra(type, extra);
      ASSERT_TRUE(std::holds_alternative<RechargeRequest>(v)) << type << " " << name;
      EXPECT_EQ(std::get<RechargeRequest>(v).extra, Json::object()) << type << " " << name;
    }
  }
}

TEST(ValidateRecharge, MalformedBody) {
  Input input;
  input.malformed = true;
  EXPECT_EQ(flat_message(validate_recharge(input, kTypes, 100)), "请求参数不合法");
}

TEST(ChargeErrors, MapToTheSeedShapes) {
  auto body = [](const sdk::HttpResponse& r) { return Json::parse(r.body); };
  auto r = charge_error_response(sdk::make_error(sdk::ErrorKind::invalid_request, "extra_missing",
                                                 "missing", "extra.success_url"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body, R"({"message":"extra.success_url 必须存在"})");
  r = charge_error_response(
      sdk::make_error(sdk::ErrorKind::invalid_request, "extra_invalid", "bad", "extra"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.body, R"({"message":"请求参数不合法"})");
  r = charge_error_response(
      sdk::make_error(sdk::ErrorKind::invalid_request, "channel_not_enabled", "no", "channel"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(body(r)["errors"]["type"][0], "选择的充值方式错误");
  r = charge_error_response(
      sdk::make_error(sdk::ErrorKind::invalid_request, "amount_invalid", "no", "amount"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(body(r)["errors"]["amount"][0], "充值金额不合法");
  r = charge_error_response(sdk::make_error(sdk::ErrorKind::channel, "provider_error", "boom"));
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(body(r)["message"], "支付渠道请求失败,请稍后重试");
  r = charge_error_response(sdk::make_error(sdk::ErrorKind::unavailable, "timeout", "slow"));
  EXPECT_EQ(r.status, 503);
  r = charge_error_response(sdk::make_error(sdk::ErrorKind::internal, "db", "secret details"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST(ValidateCash, EveryMessage) {
  const std::vector<std::string> types = {"alipay", "wechat"};
  auto cash = [&](const Json& fields, sdk::Fen min = 1) {
    return validate_cash(json_input(fields), types, min);
  };
  const Json ok = {{"value", 100}, {"type", "alipay"}, {"account", "a@b.c"}};

  auto accepted = cash(ok);
  ASSERT_TRUE(std::holds_alternative<CashRequest>(accepted));
  EXPECT_EQ(std::get<CashRequest>(accepted).value, 100);
  EXPECT_EQ(std::get<CashRequest>(accepted).account, "a@b.c");

  auto with = [&](const char* key, const Json& value) {
    Json fields = ok;
    if (value.is_discarded()) {
      fields.erase(key);
    } else {
      fields[key] = value;
    }
    return fields;
  };
  const Json absent = Json(Json::value_t::discarded);
  EXPECT_EQ(field_error(cash(with("value", absent)), "value"), "请输入提现金额");
  EXPECT_EQ(field_error(cash(with("value", "")), "value"), "请输入提现金额");
  EXPECT_EQ(field_error(cash(with("value", "abc")), "value"), "发送的数据错误");
  EXPECT_EQ(field_error(cash(with("value", 1.5)), "value"), "发送的数据错误");
  EXPECT_EQ(field_error(cash(with("value", 0)), "value"), "输入的提现金额不合法");
  EXPECT_EQ(field_error(cash(with("value", -3)), "value"), "输入的提现金额不合法");
  EXPECT_EQ(field_error(cash(with("value", 99), 100), "value"),
            "输入的提现金额不足最低提现金额要求");
  EXPECT_EQ(field_error(cash(with("value", 100), 100), "value"), "");
  EXPECT_EQ(field_error(cash(with("type", absent)), "type"), "请选择提现方式");
  EXPECT_EQ(field_error(cash(with("type", " ")), "type"), "请选择提现方式");
  EXPECT_EQ(field_error(cash(with("type", "bank")), "type"), "你选择的提现方式不支持");
  EXPECT_EQ(field_error(cash(with("type", 1)), "type"), "你选择的提现方式不支持");
  EXPECT_EQ(field_error(cash(with("account", absent)), "account"), "请输入你的提现账户");
  EXPECT_EQ(field_error(cash(with("account", "")), "account"), "请输入你的提现账户");
  EXPECT_EQ(field_error(cash(with("account", Json::array())), "account"), "请输入你的提现账户");
  // Bounded like ThinkSNS+'s VARCHAR(255), in characters; no control characters.
  EXPECT_EQ(field_error(cash(with("account", std::string(10000, 'a'))), "account"),
            "提现账户不能超过255个字符");
  EXPECT_EQ(field_error(cash(with("account", std::string(256, 'a'))), "account"),
            "提现账户不能超过255个字符");
  std::string chinese;
  for (int i = 0; i < 255; ++i)
    chinese += "账";
  EXPECT_EQ(std::get<CashRequest>(cash(with("account", chinese))).account, chinese);
  for (const std::string& bad :
       {std::string("a\0b", 3), std::string("a\nb"), std::string("a\x1b[2Jb"), std::string("a\x7f"),
        std::string("a\xc2\x85"
                    "b")}) {
    EXPECT_EQ(field_error(cash(with("account", bad)), "account"), "提现账户不能包含控制字符")
        << Json(bad).dump();
  }
  // A phone number sent as a number is still an account.
  EXPECT_EQ(std::get<CashRequest>(cash(with("account", 13800000000LL))).account, "13800000000");

  // Withdrawals off: every type is refused.
  auto off = validate_cash(json_input(ok), {}, 1);
  EXPECT_EQ(field_error(off, "type"), "你选择的提现方式不支持");

  // All three fields at once, in the seed's order.
  auto all = cash(Json::object());
  const auto response = rejection_response(std::get<Rejection>(all));
  EXPECT_EQ(response.status, 422);
  EXPECT_EQ(
      Json::parse(response.body).dump(),
      Json::parse(
          R"({"message":"提交的信息验证错误","errors":{"value":["请输入提现金额"],"type":["请选择提现方式"],"account":["请输入你的提现账户"]}})")
          .dump());
}

TEST(ValidateRemark, IsRequired) {
  EXPECT_EQ(std::get<std::string>(validate_remark(json_input({{"remark", " ok "}}))), "ok");
  for (const Json& fields : {Json::object(), Json{{"remark", ""}}, Json{{"remark", nullptr}}}) {
    auto v = validate_remark(json_input(fields));
    const auto response = rejection_response(std::get<Rejection>(v));
    EXPECT_EQ(response.status, 422);
    EXPECT_EQ(response.body,
              R"({"message":"提交的信息验证错误","errors":{"remark":["请输入备注信息"]}})");
  }
}

sdk::HttpRequest query(std::map<std::string, std::string> q) {
  sdk::HttpRequest r;
  r.query = std::move(q);
  return r;
}

TEST(Pagination, LimitDefaultsMaximumAndCursor) {
  EXPECT_EQ(parse_page(query({})).limit, 15);
  EXPECT_FALSE(parse_page(query({})).after.has_value());
  EXPECT_EQ(parse_page(query({{"limit", "1"}})).limit, 1);
  EXPECT_EQ(parse_page(query({{"limit", "100"}})).limit, 100);
  EXPECT_EQ(parse_page(query({{"limit", "101"}})).limit, 100);
  EXPECT_EQ(parse_page(query({{"limit", "100000000000000000000"}})).limit, 15);
  EXPECT_EQ(parse_page(query({{"limit", "0"}})).limit, 15);
  EXPECT_EQ(parse_page(query({{"limit", "-4"}})).limit, 15);
  EXPECT_EQ(parse_page(query({{"limit", "x"}})).limit, 15);
  EXPECT_EQ(parse_page(query({{"after", "42"}})).after, 42);
  EXPECT_FALSE(parse_page(query({{"after", "0"}})).after.has_value());
  EXPECT_FALSE(parse_page(query({{"after", "-1"}})).after.has_value());
  EXPECT_FALSE(parse_page(query({{"after", "abc"}})).after.has_value());
}

TEST(Filters, ActionAcceptsNumbersAndClientWords) {
  EXPECT_EQ(parse_action_filter("1"), 1);
  EXPECT_EQ(parse_action_filter("income"), 1);
  EXPECT_EQ(parse_action_filter("0"), 0);
  EXPECT_EQ(parse_action_filter("expenses"), 0);
  EXPECT_EQ(parse_action_filter("expense"), 0);
  EXPECT_FALSE(parse_action_filter("").has_value());
  EXPECT_FALSE(parse_action_filter("all").has_value());
  EXPECT_FALSE(parse_action_filter("2").has_value());
  EXPECT_EQ(parse_status_filter("2"), 2);
  EXPECT_FALSE(parse_status_filter("all").has_value());
}

sdk::HttpRequest body_request(std::string content_type, std::string body,
                              std::string raw_query = {}) {
  sdk::HttpRequest r;
  if (!content_type.empty()) r.headers.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  r.raw_query = std::move(raw_query);
  return r;
}

TEST(ReadInput, JsonFormAndQuery) {
  auto in = read_input(body_request("application/json", R"({"type":"alipay","amount":5})"));
  EXPECT_FALSE(in.malformed);
  EXPECT_EQ(in.fields["amount"], 5);

  in = read_input(body_request("", R"({"type":"alipay"})"));  // no content type, JSON body
  EXPECT_EQ(in.fields["type"], "alipay");

  in =
      read_input(body_request("application/x-www-form-urlencoded",
                              "type=alipay_wap&amount=100&extra%5Bsuccess_url%5D=https%3A%2F%2Fx"));
  EXPECT_FALSE(in.malformed);
  EXPECT_EQ(in.fields["amount"], "100");
  EXPECT_EQ(in.fields["extra"]["success_url"], "https://x");
  auto v = validate_recharge(in, kTypes, 1000);
  ASSERT_TRUE(std::holds_alternative<RechargeRequest>(v));
  EXPECT_EQ(std::get<RechargeRequest>(v).amount, 100);

  // The body wins over the query; the query fills what the body lacks.
  in = read_input(body_request("application/json", R"({"remark":"body"})", "remark=query&x=1"));
  EXPECT_EQ(in.fields["remark"], "body");
  EXPECT_EQ(in.fields["x"], "1");

  for (const char* bad : {"{", "[1,2]", "\"text\"", "{\"a\":1"}) {
    EXPECT_TRUE(read_input(body_request("application/json", bad)).malformed) << bad;
  }
  EXPECT_TRUE(
      read_input(body_request("application/x-www-form-urlencoded", "remark=%FF%FE")).malformed);
  EXPECT_FALSE(read_input(body_request("application/json", "")).malformed);
}

TEST(Utf8, RejectsInvalidSequences) {
  EXPECT_TRUE(is_valid_utf8("余额充值 abc"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80"));
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(is_valid_utf8("\xE4\xBD"));      // truncated
}

TEST(Ids, PositiveDecimalOnly) {
  EXPECT_EQ(parse_positive_id("12"), 12);
  EXPECT_FALSE(parse_positive_id("0").has_value());
  EXPECT_FALSE(parse_positive_id("-1").has_value());
  EXPECT_FALSE(parse_positive_id("1a").has_value());
  EXPECT_FALSE(parse_positive_id("").has_value());
  EXPECT_FALSE(parse_positive_id("9999999999999999999").has_value());
  sdk::HttpRequest r;
  EXPECT_FALSE(caller_id(r).has_value());
  r.principal = sdk::Principal{"7", false};
  EXPECT_EQ(caller_id(r), 7);
  r.principal = sdk::Principal{"alice", false};
  EXPECT_FALSE(caller_id(r).has_value());
  for (const char* other_spelling : {"007", "07", "-7", "+7", "9223372036854775815"}) {
    r.principal = sdk::Principal{other_spelling, false};
    EXPECT_FALSE(caller_id(r).has_value()) << other_spelling;
  }
}

}  // namespace
}  // namespace payhost::wallet
