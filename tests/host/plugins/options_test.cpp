#include <gtest/gtest.h>

#include "plugins/plugin_options.hpp"

namespace payhost::host {
namespace {

using sdk::OptionSpec;
using sdk::OptionType;

std::vector<OptionSpec> specs() {
  return {{"app_id", OptionType::string, nullptr, true, false, "merchant app id"},
          {"private_key", OptionType::string, nullptr, false, true, "signing key"},
          {"timeout_ms", OptionType::integer, 10000, false, false, "timeout", {}, 100, 60000},
          {"types", OptionType::string_list, sdk::Json::array({"alipay"}), false, false, "types"},
          {"catalogue", OptionType::object, nullptr, false, false, "packages"}};
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

TEST(PluginOptions, DescribeListsEveryOption) {
  const std::string text = describe_options(specs());
  for (const auto& s : specs())
    EXPECT_NE(text.find(s.name), std::string::npos) << s.name;
  EXPECT_NE(text.find("secret; or private_key_file"), std::string::npos);
  EXPECT_NE(text.find("default 10000"), std::string::npos);
}

}  // namespace
}  // namespace payhost::host
