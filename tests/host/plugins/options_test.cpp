#include <gtest/gtest.h>

#include <cstdint>
#include <sstream>
#include <utility>

#include "plugins/option_docs.hpp"
#include "plugins/plugin_options.hpp"

namespace payhost::host {
namespace {

using sdk::OptionSpec;
using sdk::OptionType;

std::vector<OptionSpec> specs() {
  using namespace sdk::option;
  return {
      string("app_id", "merchant app id").as_required(),
      string("private_key", "signing key").as_secret(),
      integer("timeout_ms", "timeout").with_default(10000).in_range(100, 60000),
      string_list("types", "types").with_default(sdk::Json::array({"alipay"})),
      object("catalogue", "packages"),
      integer_list("retry_ms", "delays | in ms\nbetween tries")
          .with_default({1000, 5000})
          .at_least(1),
      string("style", "how: <kind> or `<kind>`").with_default("plain").one_of({"plain", "a|b"})};
}

sdk::Result<ValidatedOptions> validate(const std::string& yaml) {
  YamlReader reader("test.yaml");
  return validate_plugin_options(reader, "plugins.p", YAML::Load(yaml), specs());
}

TEST(PluginOptions, DefaultsFilledAndTypesConverted) {
  auto v =
      validate("app_id: '2021'\ncatalogue:\n  items:\n    - {id: '1', price: 15800, on: true}\n");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->options.get_string("app_id"), "2021");
  EXPECT_EQ(v->options.get_int("timeout_ms"), 10000);
  EXPECT_EQ(v->options.get_list("types"), std::vector<std::string>{"alipay"});
  const auto& item = v->options.get("catalogue")["items"][0];
  EXPECT_TRUE(item["id"].is_string());
  EXPECT_EQ(item["price"].get<long long>(), 15800);
  EXPECT_EQ(item["on"].get<bool>(), true);
}

TEST(PluginOptions, RequiredAndBoundsAndTypes) {
  auto v = validate("timeout_ms: 5\n");
  ASSERT_FALSE(v.ok());
  EXPECT_NE(
      v.error().message.find("test.yaml: plugins.p.options.app_id: required option is missing"),
      std::string::npos)
      << v.error().message;
  v = validate("app_id: x\ntimeout_ms: 5\n");
  EXPECT_NE(v.error().message.find("timeout_ms: must be between 100 and 60000"), std::string::npos);
  v = validate("app_id: x\ntypes: alipay\n");
  EXPECT_NE(v.error().message.find("types: expected a list of strings"), std::string::npos);
  v = validate("app_id: [1]\n");
  EXPECT_NE(v.error().message.find("app_id: expected a string"), std::string::npos);
}

TEST(PluginOptions, SecretsComeFromFilesAndAreCollected) {
  const std::string path = "/tmp/payhost-options-test-key";
  FILE* f = std::fopen(path.c_str(), "w");
  std::fputs("-----BEGIN KEY-----\nabc\n", f);
  std::fclose(f);
  auto v = validate("app_id: x\nprivate_key_file: " + path + "\n");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->options.get_string("private_key"), "-----BEGIN KEY-----\nabc");
  EXPECT_EQ(v->secret_values, std::vector<std::string>{"-----BEGIN KEY-----\nabc"});
  std::remove(path.c_str());
  v = validate("app_id: x\ntimeout_ms_file: /x\n");
  ASSERT_FALSE(v.ok());  // only secrets accept _file
  EXPECT_NE(v.error().message.find("unknown option"), std::string::npos);
}

TEST(PluginOptions, BuildersFillTheTable) {
  const auto table = specs();
  EXPECT_TRUE(table[0].required);
  EXPECT_FALSE(table[0].secret);
  EXPECT_TRUE(table[1].secret);
  EXPECT_EQ(table[2].type, OptionType::integer);
  EXPECT_EQ(table[2].default_value, 10000);
  EXPECT_EQ(table[2].min, 100);
  EXPECT_EQ(table[2].max, 60000);
  EXPECT_EQ(table[5].type, OptionType::integer_list);
  EXPECT_EQ(table[5].min, 1);
  EXPECT_EQ(table[5].max, INT64_MAX);
  EXPECT_EQ(table[6].choices, (std::vector<std::string>{"plain", "a|b"}));
}

TEST(PluginOptions, IntegerListsAreCheckedEntryByEntry) {
  auto v = validate("app_id: x\nretry_ms: [5, '7', 9]\n");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->options.get_int_list("retry_ms"), (std::vector<std::int64_t>{5, 7, 9}));
  EXPECT_TRUE(v->options.get("retry_ms")[1].is_number_integer());
  v = validate("app_id: x\n");
  ASSERT_TRUE(v.ok()) << v.error().message;
  EXPECT_EQ(v->options.get_int_list("retry_ms"), (std::vector<std::int64_t>{1000, 5000}));
  for (const auto& [yaml, message] : std::vector<std::pair<std::string, std::string>>{
           {"retry_ms: 5", "plugins.p.options.retry_ms: expected a list of integers"},
           {"retry_ms: [5, 1x]", "plugins.p.options.retry_ms[1]: expected an integer, got \"1x\""},
           {"retry_ms: [5, 1.5]", "plugins.p.options.retry_ms[1]: expected an integer"},
           {"retry_ms: [0]", "plugins.p.options.retry_ms[0]: must be at least 1, got 0"},
           {"retry_ms: [[1]]", "plugins.p.options.retry_ms[0]: expected an integer"}}) {
    v = validate("app_id: x\n" + yaml + "\n");
    ASSERT_FALSE(v.ok()) << yaml;
    EXPECT_NE(v.error().message.find(message), std::string::npos) << v.error().message;
  }
}

TEST(PluginOptions, MarkdownIsOneEscapedRowPerOption) {
  const std::string md = options_markdown(specs());
  std::vector<std::string> rows;
  std::istringstream lines(md);
  for (std::string line; std::getline(lines, line);)
    rows.push_back(line);
  ASSERT_EQ(rows.size(), specs().size() + 2) << md;
  EXPECT_EQ(rows[0], "| option | type | default | meaning |");
  EXPECT_EQ(rows[2], "| `app_id` | string | required | merchant app id |");
  EXPECT_EQ(
      rows[3],
      "| `private_key` | string; secret, or `private_key_file` or `${ENV}` | — | signing key |");
  EXPECT_EQ(rows[4], "| `timeout_ms` | integer 100–60000 | `10000` | timeout |");
  EXPECT_EQ(rows[5], "| `types` | list of strings | `[\"alipay\"]` | types |");
  EXPECT_EQ(
      rows[7],
      "| `retry_ms` | list of integers ≥ 1 | `[1000,5000]` | delays \\| in ms between tries |");
  EXPECT_EQ(rows[8],
            "| `style` | string: `plain`, `a\\|b` | `\"plain\"` | how: \\<kind> or `<kind>` |");
  EXPECT_EQ(options_markdown({}), "This plugin has no options.\n");
}

TEST(PluginOptions, DescribeListsEveryOption) {
  const std::string text = describe_options(specs());
  for (const auto& s : specs())
    EXPECT_NE(text.find(s.name), std::string::npos) << s.name;
  EXPECT_NE(text.find("secret; or private_key_file"), std::string::npos);
  EXPECT_NE(text.find("default 10000"), std::string::npos);
}

}  // namespace
}  // namespace payhost::host
