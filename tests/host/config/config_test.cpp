#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "config/config.hpp"
#include "config_fixture.hpp"
#include "plugins/plugin_registry.hpp"

namespace payhost::host {
namespace {

namespace fs = std::filesystem;

TEST_F(ConfigTest, MinimalConfigGetsDefaults) {
  auto c = load_config(write("livemode: false\n"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_FALSE(c->livemode);
  EXPECT_EQ(c->database.url, "sqlite://payhost.db");
  EXPECT_EQ(c->server.listen_port, 8080);
  EXPECT_EQ(c->app_id.size(), 20u);
  EXPECT_TRUE(fs::path(c->data_dir).is_absolute());
}

TEST_F(ConfigTest, UnknownKeyNamesFileKeyAndAllowedKeys) {
  const auto m = error_of("server:\n  listn: 1.2.3.4:80\n");
  EXPECT_NE(m.find("payhost.yaml: server.listn: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("allowed: listen, public_url"), std::string::npos) << m;
}

TEST_F(ConfigTest, UnknownTopLevelKey) {
  const auto m = error_of("databse:\n  url: sqlite://x.db\n");
  EXPECT_NE(m.find("databse: unknown key"), std::string::npos) << m;
}

TEST_F(ConfigTest, WrongTypesAreNamed) {
  EXPECT_NE(error_of("livemode: maybe\n").find("livemode: expected true or false"),
            std::string::npos);
  EXPECT_NE(error_of("server:\n  workers: many\n").find("server.workers: expected an integer"),
            std::string::npos);
  EXPECT_NE(error_of("server:\n  workers: 0\n").find("server.workers: must be between 1"),
            std::string::npos);
  EXPECT_NE(error_of("server:\n  listen: nowhere\n").find("expected HOST:PORT"), std::string::npos);
  EXPECT_NE(error_of("auth:\n  admin_users: 5\n").find("auth.admin_users: expected a list"),
            std::string::npos);
  EXPECT_NE(error_of("database:\n  url: mysql://x\n").find("database.url"), std::string::npos);
  EXPECT_NE(error_of("app_id: short\n").find("app_id"), std::string::npos);
  EXPECT_NE(error_of("auth:\n  algorithms: [none]\n").find("unsupported algorithm \"none\""),
            std::string::npos);
  EXPECT_NE(error_of("auth:\n  admin_users: [\"1\", \"a b\"]\n")
                .find("auth.admin_users: \"a b\" is not a user id"),
            std::string::npos);
}

TEST_F(ConfigTest, InvalidYamlReportsLine) {
  const auto m = error_of("server:\n  listen: [\n");
  EXPECT_NE(m.find("invalid YAML at line"), std::string::npos) << m;
}

TEST_F(ConfigTest, DuplicateTopLevelKeyStopsStartNamingBothLines) {
  // The first one would win: test mode and the open sandbox cashier on a live host.
  const auto path = write("livemode: false\nlog_level: info\nlivemode: true\n");
  auto c = load_config(path);
  ASSERT_FALSE(c.ok()) << "livemode read as " << c->livemode;
  EXPECT_EQ(c.error().message,
            path + ": livemode: duplicate key on lines 1 and 3 (each key may appear once)");
}

// yaml-cpp throws when a mapping or list key is read as text; the config must say so.
TEST_F(ConfigTest, AMappingOrListAsAKeyIsRefusedNotThrown) {
  std::string m;
  ASSERT_NO_THROW(m = error_of("server:\n  ? [listen]\n  : 127.0.0.1:8080\n"));
  EXPECT_NE(m.find("payhost.yaml: server: the key on line 2 is a mapping or a list; keys must "
                   "be plain text"),
            std::string::npos)
      << m;
  ASSERT_NO_THROW(m = error_of("plugins:\n  ? {testchannel: 1}\n  : {}\n"));
  EXPECT_NE(m.find("plugins: the key on line 2 is a mapping or a list"), std::string::npos) << m;
  ASSERT_NO_THROW(m = error_of("? [livemode]\n: false\n"));
  EXPECT_NE(m.find("(top level): the key on line 1 is a mapping or a list"), std::string::npos)
      << m;
}

TEST_F(ConfigTest, DuplicateNestedHostKeyIsRefused) {
  const auto m = error_of(
      "livemode: false\nauth:\n  jwt_secret: a-secret-a-secret-a-secret-a-secret\n"
      "  token_ttl_seconds: 60\n  jwt_secret: another\n");
  EXPECT_NE(m.find("payhost.yaml: auth.jwt_secret: duplicate key on lines 3 and 5"),
            std::string::npos)
      << m;
  // Flow mappings and mappings inside lists too.
  EXPECT_NE(error_of("server: {listen: \"127.0.0.1:1\", listen: \"0.0.0.0:2\"}\n")
                .find("server.listen: duplicate key on lines 1 and 1"),
            std::string::npos);
  EXPECT_NE(error_of("plugins:\n  x:\n    options:\n      list:\n        - {a: 1}\n"
                     "        - a: 1\n          b: 2\n          a: 3\n")
                .find("plugins.x.options.list[1].a: duplicate key on lines 6 and 8"),
            std::string::npos);
}

TEST_F(ConfigTest, DuplicateKeyInsideAPluginBlockIsRefused) {
  const std::string plugin_dir = TEST_PLUGIN_DIR;
  const auto m = error_of("plugin_dir: " + plugin_dir +
                          "\nplugins:\n  testchannel:\n    options:\n"
                          "      expiry_seconds: 60\n      expiry_seconds: 5\n");
  EXPECT_NE(
      m.find("payhost.yaml: plugins.testchannel.options.expiry_seconds: duplicate key on lines 5 "
             "and 6"),
      std::string::npos)
      << m;
  // The same plugin twice is a duplicate too, not a second entry.
  const auto twice = error_of("plugins:\n  testchannel: {}\n  sandbox: {}\n  testchannel: {}\n");
  EXPECT_NE(twice.find("plugins.testchannel: duplicate key on lines 2 and 4"), std::string::npos)
      << twice;
}

TEST_F(ConfigTest, AnAliasedMappingIsNotItsOwnDuplicate) {
  auto c = load_config(write("livemode: false\nserver: &s {workers: 2}\njobs:\n  x: *s\n"));
  // Refused for jobs.x being unknown, never for a duplicate.
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().message.find("duplicate"), std::string::npos) << c.error().message;
}

TEST_F(ConfigTest, MissingFileIsReported) {
  auto c = load_config((dir_ / "absent.yaml").string());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("cannot read file"), std::string::npos);
}

TEST_F(ConfigTest, EnvironmentExpansion) {
  ::setenv("PAYHOST_TEST_SECRET", "from-environment-0123456789abcdef0123", 1);
  ::unsetenv("PAYHOST_TEST_UNSET");
  auto c =
      load_config(write("auth:\n  jwt_secret: ${PAYHOST_TEST_SECRET}\n"
                        "server:\n  public_url: ${PAYHOST_TEST_UNSET:-https://pay.example}/\n"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->auth.jwt_secret, "from-environment-0123456789abcdef0123");
  EXPECT_EQ(c->server.public_url, "https://pay.example");
  const auto m = error_of("auth:\n  jwt_secret: ${PAYHOST_TEST_UNSET}\n");
  EXPECT_NE(m.find("auth.jwt_secret: environment variable PAYHOST_TEST_UNSET is not set"),
            std::string::npos)
      << m;
}

TEST_F(ConfigTest, SecretFromFileAndNotBoth) {
  std::ofstream(dir_ / "secret") << "file-secret-0123456789abcdef0123456789\n";
  auto c = load_config(write("auth:\n  jwt_secret_file: " + (dir_ / "secret").string() + "\n"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->auth.jwt_secret, "file-secret-0123456789abcdef0123456789");
  const auto both = error_of("auth:\n  jwt_secret: x\n  jwt_secret_file: /x\n");
  EXPECT_NE(both.find("not both"), std::string::npos) << both;
  const auto missing = error_of("auth:\n  jwt_secret_file: /nonexistent/secret\n");
  EXPECT_NE(missing.find("auth.jwt_secret_file: cannot read file"), std::string::npos) << missing;
}

TEST_F(ConfigTest, LiveModeNeedsAStrongSecret) {
  EXPECT_NE(error_of("livemode: true\n").find("auth.jwt_secret: required in live mode"),
            std::string::npos);
  EXPECT_NE(error_of("livemode: true\nauth:\n  jwt_secret: short\n").find("at least 32 bytes"),
            std::string::npos);
}

TEST_F(ConfigTest, OverridesWin) {
  auto c = load_config(write("server:\n  listen: 0.0.0.0:80\n"), {"127.0.0.1:0", "/tmp/pd"});
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->server.listen_host, "127.0.0.1");
  EXPECT_EQ(c->server.listen_port, 0);
  EXPECT_EQ(c->data_dir, "/tmp/pd");
}

TEST_F(ConfigTest, PluginEntriesAreChecked) {
  const std::string dir = TEST_PLUGIN_DIR;
  auto load_plugins = [&](const std::string& yaml) -> std::string {
    auto c = load_config(write(yaml));
    if (!c) return c.error().message;
    PluginRegistry registry;
    auto st = registry.load(*c);
    return st ? "" : st.error().message;
  };
  const std::string base = "plugin_dir: " + dir + "\nplugins:\n";
  EXPECT_EQ(load_plugins(base + "  testchannel:\n    channels: [testpay]\n"), "");
  auto m = load_plugins(base + "  testchannel: {}\n");
  EXPECT_NE(m.find("plugins.testchannel.channels: list the channels to enable (this plugin "
                   "offers: testpay, testpay_wap)"),
            std::string::npos)
      << m;
  m = load_plugins(base + "  testchannel:\n    channels: [wx]\n");
  EXPECT_NE(m.find("does not offer channel \"wx\""), std::string::npos) << m;
  m = load_plugins(base +
                   "  testchannel:\n    channels: [testpay]\n    options:\n      secrit: x\n");
  EXPECT_NE(m.find("plugins.testchannel.options.secrit: unknown option (allowed: merchant_id, "
                   "secret, secret_file, expiry_seconds, create_result, refund_query)"),
            std::string::npos)
      << m;
  m = load_plugins(
      base + "  testchannel:\n    channels: [testpay]\n    options:\n      expiry_seconds: soon\n");
  EXPECT_NE(m.find("options.expiry_seconds: expected an integer"), std::string::npos) << m;
  m = load_plugins(base +
                   "  testchannel:\n    channels: [testpay]\n    options:\n"
                   "      create_result: maybe\n");
  EXPECT_NE(m.find("\"maybe\" is not allowed (allowed: ok, unavailable, refused)"),
            std::string::npos)
      << m;
  m = load_plugins(base + "  testproduct:\n    channels: [testpay]\n");
  EXPECT_NE(m.find("only channel plugins enable channels"), std::string::npos) << m;
  m = load_plugins(base + "  nosuch: {}\n");
  EXPECT_NE(m.find("plugins.nosuch: plugin " + dir + "/nosuch.so: file not found"),
            std::string::npos)
      << m;
  m = load_plugins(base + "  bad:\n    path: " + dir + "/testproduct.so\n");
  EXPECT_NE(m.find("is plugin \"testproduct\" but the configuration names it \"bad\""),
            std::string::npos)
      << m;
}

}  // namespace
}  // namespace payhost::host
