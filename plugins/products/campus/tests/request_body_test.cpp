#include <gtest/gtest.h>

#include "request_body.hpp"

namespace payhost::campus {
namespace {

using sdk::Json;

sdk::HttpRequest request(const std::string& content_type, const std::string& body) {
  sdk::HttpRequest r;
  r.method = "POST";
  if (!content_type.empty()) r.headers.set("Content-Type", content_type);
  r.body = body;
  return r;
}

TEST(RequestBody, JsonAndFormGiveTheSameFields) {
  auto j = parse_body(request("application/json", R"({"userID":"10129580","type":0})"));
  ASSERT_TRUE(j);
  auto f = parse_body(request("application/x-www-form-urlencoded; charset=UTF-8",
                              "userID=10129580&type=0&empName=%E9%99%88+x"));
  ASSERT_TRUE(f);
  EXPECT_EQ(*required_text(*j, "userID"), "10129580");
  EXPECT_EQ(*required_text(*f, "userID"), "10129580");
  EXPECT_EQ(*required_code(*j, "type", 2), 0);
  EXPECT_EQ(*required_code(*f, "type", 2), 0);
  EXPECT_EQ(*required_text(*f, "empName"), "陈 x");
  // No content type: sniffed.
  auto sniffed = parse_body(request("", R"({"a":1})"));
  ASSERT_TRUE(sniffed);
  EXPECT_EQ((*sniffed)["a"], 1);
  auto form = parse_body(request("", "a=1"));
  ASSERT_TRUE(form);
  EXPECT_EQ((*form)["a"], "1");
}

TEST(RequestBody, BadJsonIsRefused) {
  for (const char* bad : {"{", "[1,2]", "\"x\"", "{userID:1}"}) {
    auto r = parse_body(request("application/json", bad));
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().message.rfind("请求格式错误", 0), 0u);
  }
}

TEST(RequestBody, TextFields) {
  const Json body = {{"userID", 10129580}, {"empty", ""}, {"list", Json::array()}};
  EXPECT_EQ(*required_text(body, "userID"), "10129580");
  EXPECT_EQ(required_text(body, "missing").error().message, "缺少参数: missing");
  EXPECT_EQ(required_text(body, "empty").error().message, "缺少参数: empty");
  EXPECT_EQ(required_text(body, "list").error().message, "参数错误: list");
  EXPECT_EQ(*optional_text(body, "missing"), "");
}

TEST(RequestBody, Codes) {
  EXPECT_EQ(*required_code(Json{{"type", "2"}}, "type", 3), 2);
  EXPECT_EQ(required_code(Json{{"type", 3}}, "type", 3).error().message,
            "参数错误: type 只能是 0/1/2");
  EXPECT_FALSE(required_code(Json{{"type", -1}}, "type", 3));
  EXPECT_FALSE(required_code(Json{{"type", 0.5}}, "type", 3));
  EXPECT_FALSE(required_code(Json{{"type", "x"}}, "type", 3));
  EXPECT_EQ(required_code(Json::object(), "type", 3).error().message, "缺少参数: type");
  EXPECT_FALSE(*optional_code(Json::object(), "itemType", 2));
}

TEST(RequestBody, AmountIsIntegerFen) {
  EXPECT_EQ(*required_amount(Json{{"amount", 15800}}), 15800);
  EXPECT_EQ(*required_amount(Json{{"amount", "1"}}), 1);
  for (const Json& bad : {Json(0.01), Json(100.0), Json("0.01"), Json("1.5"), Json("1e2"),
                          Json("01"), Json(true), Json(18446744073709551615ULL)}) {
    auto r = required_amount(Json{{"amount", bad}});
    ASSERT_FALSE(r) << bad.dump();
    EXPECT_NE(r.error().message.find("以分为单位"), std::string::npos) << bad.dump();
    EXPECT_EQ(r.error().param, "amount");
  }
  for (const Json& nonpositive : {Json(0), Json(-5), Json("-5"), Json("0")}) {
    auto r = required_amount(Json{{"amount", nonpositive}});
    ASSERT_FALSE(r) << nonpositive.dump();
    EXPECT_EQ(r.error().message, "金额必须大于0(单位: 分)");
  }
  EXPECT_EQ(required_amount(Json::object()).error().message, "缺少参数: amount");
}

TEST(RequestBody, SplitIds) {
  EXPECT_EQ(*split_ids("a", "ids", 5), (std::vector<std::string>{"a"}));
  EXPECT_EQ(*split_ids(" a , b,c", "ids", 5), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_FALSE(split_ids("a,,b", "ids", 5));
  EXPECT_FALSE(split_ids("a,", "ids", 5));
  EXPECT_EQ(split_ids("a,a", "itemIDs", 5).error().message, "参数错误: itemIDs 中的ID重复: a");
  EXPECT_FALSE(split_ids("a,b,c", "ids", 2));
}

TEST(RequestBody, Extra) {
  EXPECT_EQ(*optional_extra(Json::object()), Json::object());
  EXPECT_EQ(*optional_extra(Json{{"extra", {{"success_url", "u"}}}}), (Json{{"success_url", "u"}}));
  EXPECT_EQ(*optional_extra(Json{{"extra", R"({"success_url":"u"})"}}),
            (Json{{"success_url", "u"}}));
  EXPECT_EQ(*optional_extra(Json{{"extra[success_url]", "u"}}), (Json{{"success_url", "u"}}));
  EXPECT_FALSE(optional_extra(Json{{"extra", "nope"}}));
  EXPECT_FALSE(optional_extra(Json{{"extra", 5}}));
}

}  // namespace
}  // namespace payhost::campus
