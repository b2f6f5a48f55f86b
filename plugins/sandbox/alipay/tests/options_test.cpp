// The option table: names, types, defaults and flags; and read_options refusing what the
// table cannot express.
#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "options.hpp"

namespace payhost::sandbox_alipay {
namespace {

using sdk::Json;

TEST(Options, TableNamesTypesAndDefaults) {
  const auto specs = option_specs();
  ASSERT_EQ(specs.size(), 5u);
  EXPECT_EQ(specs[0].name, "alipay_app_id");
  EXPECT_EQ(specs[0].default_value, "9021000000000001");
  EXPECT_EQ(specs[1].name, "alipay_seller_id");
  EXPECT_EQ(specs[1].default_value, "2088000000000001");
  EXPECT_EQ(specs[2].name, "notify_retry_ms");
  EXPECT_EQ(specs[2].type, sdk::OptionType::integer_list);
  EXPECT_EQ(specs[2].default_value, Json::parse("[1000, 2000, 5000, 10000, 30000, 60000]"));
  EXPECT_EQ(specs[3].name, "notify_max_attempts");
  EXPECT_EQ(specs[3].type, sdk::OptionType::integer);
  EXPECT_EQ(specs[4].name, "timestamp_window_seconds");
  EXPECT_EQ(specs[4].default_value, 600);
  for (const auto& s : specs) {
    EXPECT_FALSE(s.required) << s.name;
    EXPECT_FALSE(s.secret) << s.name;
    EXPECT_FALSE(s.description.empty()) << s.name;
  }
}

sdk::Options defaults_plus(Json overrides) {
  Json values = Json::object();
  for (const auto& s : option_specs())
    values[s.name] = s.default_value;
  for (const auto& [k, v] : overrides.items())
    values[k] = v;
  return sdk::Options(values);
}

TEST(Options, ReadsDefaults) {
  const auto o = read_options(defaults_plus(Json::object()));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->alipay_app_id, "9021000000000001");
  ASSERT_EQ(o->notify_retry.size(), 6u);
  EXPECT_EQ(o->notify_retry[0].count(), 1000);
  EXPECT_EQ(o->notify_retry[5].count(), 60000);
  EXPECT_EQ(o->timestamp_window_seconds, 600);
}

// The host holds each delay to the table's bounds (1 ms to a day) before the plugin sees it;
// read_options adds what a table cannot say: at least one delay.
TEST(Options, RetryDelaysAreBoundedByTheTableAndNeverEmpty) {
  const auto retry = option_specs()[2];
  EXPECT_EQ(retry.min, 1);
  EXPECT_EQ(retry.max, 86'400'000);
  const auto o = read_options(defaults_plus(Json{{"notify_retry_ms", {50, 100}}}));
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->notify_retry, (std::vector<std::chrono::milliseconds>{
                                 std::chrono::milliseconds(50), std::chrono::milliseconds(100)}));
  for (const Json& bad : {Json::array(), Json::array({"100"})}) {
    const auto refused = read_options(defaults_plus(Json{{"notify_retry_ms", bad}}));
    ASSERT_FALSE(refused.ok()) << bad.dump();
    EXPECT_EQ(refused.error().param, "notify_retry_ms");
  }
  EXPECT_FALSE(read_options(defaults_plus(Json{{"alipay_app_id", ""}})).ok());
}

}  // namespace
}  // namespace payhost::sandbox_alipay
