// sdk::json_dump must write exactly what nlohmann's dump (invalid UTF-8 replaced) writes: it
// is what every JSON answer sends and what the charges table stores.
#include "payhost/sdk/json.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "support/nested_json.hpp"

namespace payhost::sdk {
namespace {

using payhost::testing::nested_json;

std::string reference(const Json& j) {
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Strings that hit every branch: plain ASCII, each escape, other control bytes, DEL, CJK,
// and invalid UTF-8 (a lone continuation byte, a truncated sequence, an overlong form).
const std::vector<std::string>& awkward_strings() {
  static const std::vector<std::string> strings = {
      "",
      "ch_0123456789abcdefABCDEF",
      "app_id=2021&biz_content=%7B%22out_trade_no%22%3A%22x%22%7D&sign=ab%2Bc%2F%3D",
      "say \"hi\"",
      "back\\slash",
      "\b\f\n\r\t",
      std::string("nul\0byte", 8),
      "\x01\x1f",
      "del\x7f",
      "\xe6\x94\xaf\xe4\xbb\x98\xe5\xae\x9d",  // 支付宝
      "bad \xff byte",
      "cut \xe6\x94",
      "overlong \xc0\xaf",
      "/slash/ stays",
  };
  return strings;
}

TEST(JsonDump, StringsMatchNlohmannByteForByte) {
  for (const auto& s : awkward_strings()) {
    std::string out;
    append_json_string(out, s);
    EXPECT_EQ(out, reference(Json(s))) << "for " << ::testing::PrintToString(s);
    EXPECT_EQ(json_dump(Json(s)), reference(Json(s)));
  }
}

TEST(JsonDump, InvalidUtf8IsReplacedNotThrown) {
  EXPECT_EQ(json_dump(Json("a\xff"
                           "b")),
            "\"a\xef\xbf\xbd"
            "b\"");
  EXPECT_EQ(json_dump(Json{{"k\xff", 1}}), "{\"k\xef\xbf\xbd\":1}");
}

TEST(JsonDump, ScalarsAndContainersMatchNlohmann) {
  const Json values[] = {
      nullptr,
      true,
      false,
      0,
      -1,
      std::numeric_limits<std::int64_t>::min(),
      std::numeric_limits<std::int64_t>::max(),
      std::numeric_limits<std::uint64_t>::max(),
      1.5,
      -0.0,
      1e300,
      0.1,
      Json::object(),
      Json::array(),
      Json::parse(R"({"b":1,"a":[1,{"c":null},[]],"":{"":""}})"),
      Json{{"orderInfo", awkward_strings()[2]}},
      Json::binary({1, 2, 3}),
  };
  for (const Json& j : values)
    EXPECT_EQ(json_dump(j), reference(j)) << reference(j);
}

TEST(JsonDump, InsertionOrderIsKept) {
  Json j = Json::object();
  j["z"] = 1;
  j["a"] = 2;
  j["m"] = 3;
  EXPECT_EQ(json_dump(j), R"({"z":1,"a":2,"m":3})");
}

// Random trees (fixed seed) of every kind of value, strings drawn from bytes that include
// quotes, backslashes, control bytes and high bytes.
class RandomJson {
 public:
  explicit RandomJson(std::uint32_t seed) : rng_(seed) {}

  Json value(int depth) {
    switch (pick(depth > 0 ? 9 : 7)) {
      case 0:
        return nullptr;
      case 1:
        return pick(2) == 1;
      case 2:
        return static_cast<std::int64_t>(rng_()) - (1LL << 31);
      case 3:
        return static_cast<std::uint64_t>(rng_()) << 32 | rng_();
      case 4:
        return static_cast<double>(static_cast<int>(rng_() % 2000000) - 1000000) / 64.0;
      case 5:
      case 6:
        return text();
      case 7: {
        Json array = Json::array();
        for (int i = pick(5); i > 0; --i)
          array.push_back(value(depth - 1));
        return array;
      }
      default: {
        Json object = Json::object();
        for (int i = pick(5); i > 0; --i)
          object[text()] = value(depth - 1);
        return object;
      }
    }
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<unsigned>(n)); }

  std::string text() {
    static const std::string bytes = std::string("abcXYZ019 _-/%&=+\"\\\b\f\n\r\t\x01\x1f\x7f") +
                                     "\xc3\xa9\xe6\x94\xaf\xff\x80\xc0";
    std::string s;
    // Mostly plain (the fast path), sometimes anything.
    const bool plain = pick(3) != 0;
    for (int i = pick(40); i > 0; --i)
      s += bytes[static_cast<std::size_t>(pick(plain ? 17 : static_cast<int>(bytes.size())))];
    return s;
  }

  std::mt19937 rng_;
};

TEST(JsonDump, RandomTreesMatchNlohmann) {
  RandomJson random(20261124);
  for (int i = 0; i < 3000; ++i) {
    const Json j = random.value(4);
    ASSERT_EQ(json_dump(j), reference(j)) << "tree " << i;
  }
}

TEST(ParseJson, NestingUpToTheLimitParses) {
  const Json j = parse_json(nested_json(kMaxJsonDepth, "[", "]"));
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(json_dump(j), nested_json(kMaxJsonDepth, "[", "]"));
  EXPECT_FALSE(parse_json(nested_json(kMaxJsonDepth)).is_discarded());
}

TEST(ParseJson, DeeperNestingIsRefused) {
  EXPECT_TRUE(parse_json(nested_json(kMaxJsonDepth + 1, "[", "]")).is_discarded());
  EXPECT_TRUE(parse_json(nested_json(kMaxJsonDepth + 1)).is_discarded());
  // Deep enough to overflow a stack when copied or dumped: refused without building it.
  EXPECT_TRUE(parse_json(nested_json(200000, "[", "]")).is_discarded());
  // Closers up front cannot lower the count for what follows.
  EXPECT_TRUE(
      parse_json(std::string(100, ']') + nested_json(kMaxJsonDepth + 1, "[", "]")).is_discarded());
}

TEST(ParseJson, BracketsInsideStringsDoNotCount) {
  const std::string brackets(500, '[');
  const Json j = parse_json(R"({"a":")" + brackets + R"(\"{{{","b":[1]})");
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["a"], brackets + "\"{{{");
  EXPECT_EQ(j["b"], Json::array({1}));
}

TEST(ParseJson, WhatIsNotJsonIsDiscardedLikeNlohmannsParse) {
  for (const char* text : {"", "{", "{\"a\":}", "[1,]", "nul", "{} {}", "\"\\x\""})
    EXPECT_TRUE(parse_json(text).is_discarded()) << text;
  EXPECT_EQ(parse_json(R"( {"k":[true,null,-1.5,"v"]} )"),
            Json::parse(R"({"k":[true,null,-1.5,"v"]})"));
}

}  // namespace
}  // namespace payhost::sdk
