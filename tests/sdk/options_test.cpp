// sdk::validate_options: the rules payhostd applies to a plugin's options block, callable
// from a plugin's own tests.
#include <gtest/gtest.h>

#include "payhost/sdk/options.hpp"

namespace payhost::sdk {
namespace {

std::vector<OptionSpec> table() {
  using namespace option;
  return {string("app_id", "merchant app").as_required(),
          string("mode", "how").with_default("rsa").one_of({"rsa", "sm2"}),
          integer("timeout_ms", "per call").with_default(10000).in_range(100, 60000),
          boolean("strict", "refuse more").with_default(false),
          integer_list("retry_ms", "delays").with_default({1000}).at_least(1),
          string_list("types", "kinds"),
          object("catalogue", "anything")};
}

TEST(ValidateOptions, FillsDefaultsAndReadsIntegersAndBooleansFromText) {
  auto v = validate_options(table(), {{"app_id", "2021"},
                                      {"timeout_ms", "500"},
                                      {"strict", "true"},
                                      {"retry_ms", {"5", 7}},
                                      {"catalogue", {{"a", {1, 2}}}}});
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->get_string("mode"), "rsa");
  EXPECT_EQ(v->get_int("timeout_ms"), 500);
  EXPECT_TRUE(v->get_bool("strict"));
  EXPECT_EQ(v->get_int_list("retry_ms"), (std::vector<std::int64_t>{5, 7}));
  EXPECT_EQ(v->get("catalogue")["a"][1], 2);
  EXPECT_FALSE(v->has("types"));
}

TEST(ValidateOptions, RefusalsNameTheKeyAndWhatIsAllowed) {
  struct Case {
    Json values;
    std::string param;
    std::string message;
  };
  const std::vector<Case> cases = {
      {Json::object(), "app_id", "required option is missing (merchant app)"},
      {{{"app_id", "x"}, {"secret", "y"}}, "secret", "unknown option (allowed: app_id, mode"},
      {{{"app_id", "x"}, {"mode", "md5"}}, "mode", "\"md5\" is not allowed (allowed: rsa, sm2)"},
      {{{"app_id", "x"}, {"timeout_ms", 5}}, "timeout_ms", "must be between 100 and 60000, got 5"},
      {{{"app_id", "x"}, {"timeout_ms", "5s"}}, "timeout_ms", "expected an integer, got \"5s\""},
      {{{"app_id", "x"}, {"strict", "yes"}}, "strict", "expected true or false, got \"yes\""},
      {{{"app_id", "x"}, {"retry_ms", {1, 0}}}, "retry_ms[1]", "must be at least 1, got 0"},
      {{{"app_id", "x"}, {"types", {"a", 1}}}, "types[1]", "expected a string"},
      {{{"app_id", {"x"}}}, "app_id", "expected a string"},
  };
  for (const auto& c : cases) {
    auto v = validate_options(table(), c.values);
    ASSERT_FALSE(v.ok()) << c.values.dump();
    EXPECT_EQ(v.error().kind, ErrorKind::invalid_request);
    EXPECT_EQ(v.error().param, c.param) << c.values.dump();
    EXPECT_NE(v.error().message.find(c.message), std::string::npos)
        << c.values.dump() << ": " << v.error().message;
  }
}

}  // namespace
}  // namespace payhost::sdk
