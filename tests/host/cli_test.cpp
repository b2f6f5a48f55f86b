// payhostd's command line: config check, plugins list/describe, token, migrate.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "flow_support.hpp"

namespace payhost::flow {
namespace {

namespace fs = std::filesystem;
using testing::payhostd_path;
using testing::run_process;

class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("payhost-cli-" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(std::string yaml) {
    for (auto [from, to] : {std::pair<std::string, std::string>{"@DATA_DIR@", dir_.string()},
                            {"@PLUGIN_DIR@", testing::plugin_dir()},
                            {"@TEST_PLUGIN_DIR@", testing::test_plugin_dir()},
                            {"@DATABASE_URL@", "sqlite://cli.db"}}) {
      for (auto p = yaml.find(from); p != std::string::npos; p = yaml.find(from)) {
        yaml.replace(p, from.size(), to);
      }
    }
    const std::string path = (dir_ / "payhost.yaml").string();
    std::ofstream(path) << yaml;
    return path;
  }
  int run(const std::vector<std::string>& args, std::string* out) {
    std::vector<std::string> argv = {payhostd_path()};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_process(argv, out);
  }
  fs::path dir_;
};

TEST_F(Cli, ConfigCheckAcceptsAGoodConfig) {
  const auto path = write(config());
  std::string out;
  EXPECT_EQ(run({"config", "check", "--config", path}, &out), 0) << out;
  EXPECT_NE(out.find("OK (test mode, 2 plugins, channels: testpay testpay_wap)"), std::string::npos)
      << out;
}

TEST_F(Cli, ConfigCheckRunsThePluginsOwnValidation) {
  // Types are right (labels is a list), the wallet's own rule is not (a label of 0 fen): the
  // check must fail as `serve` would, naming the file and the plugin's options.
  const auto path =
      write(config() + "  wallet:\n    options: {recharge_type: [testpay], labels: [100, 0]}\n");
  std::string out;
  EXPECT_EQ(run({"config", "check", "--config", path}, &out), 2) << out;
  EXPECT_NE(out.find(path + ": plugins.wallet.options: labels: 0 is not a whole number of fen"),
            std::string::npos)
      << out;
}

TEST_F(Cli, ConfigCheckNamesTheProblem) {
  std::string yaml = config("{expiry_seconds: later}");
  const auto path = write(yaml);
  std::string out;
  EXPECT_EQ(run({"config", "check", "--config", path}, &out), 2);
  EXPECT_NE(out.find(path + ": plugins.testchannel.options.expiry_seconds: expected an integer, "
                            "got \"later\""),
            std::string::npos)
      << out;
  const auto typo = write("livemode: false\nsever:\n  listen: 1:2\n");
  EXPECT_EQ(run({"config", "check", "--config", typo}, &out), 2);
  EXPECT_NE(out.find("sever: unknown key (allowed: livemode, app_id"), std::string::npos) << out;
}

TEST_F(Cli, PluginsListAndDescribe) {
  const auto path = write(config());
  std::string out;
  EXPECT_EQ(run({"plugins", "describe", "testchannel", "--config", path}, &out), 0) << out;
  EXPECT_NE(out.find("testpay_wap: test payments needing a return URL (expires after 86400 s; "
                     "requires extra.success_url)"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("secret (string, secret; or secret_file"), std::string::npos) << out;
  EXPECT_EQ(run({"plugins", "list", "--config", path}, &out), 0) << out;
}

TEST_F(Cli, MigrateTwiceAndTokens) {
  const auto path = write(config());
  std::string out;
  EXPECT_EQ(run({"migrate", "--config", path}, &out), 0) << out;
  EXPECT_NE(out.find("applied host 1"), std::string::npos) << out;
  EXPECT_NE(out.find("applied testproduct 1"), std::string::npos) << out;
  EXPECT_EQ(run({"migrate", "--config", path}, &out), 0);
  EXPECT_NE(out.find("schema is up to date"), std::string::npos) << out;
  EXPECT_EQ(run({"token", "--user", "12", "--config", path}, &out), 0) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '.'), 2) << out;
  EXPECT_NE(run({"nosuchproduct", "verb", "--config", path}, &out), 0);
  EXPECT_NE(out.find("unknown command \"nosuchproduct\""), std::string::npos) << out;
}

}  // namespace
}  // namespace payhost::flow

namespace payhost::flow {
namespace {

// docs/configuration.md must list every option of every shipped plugin.
TEST(Docs, ConfigurationReferenceListsEveryOption) {
  std::ifstream in(std::string(PAYHOST_SOURCE_DIR) + "/docs/configuration.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  ASSERT_FALSE(doc.empty());
  int checked = 0;
  for (const char* plugin : {"alipay", "sandbox", "wallet", "campus"}) {
    const std::string path = testing::plugin_dir() + "/" + plugin + ".so";
    if (!std::filesystem::exists(path)) continue;  // plugin folder not built in this tree
    std::string out;
    ASSERT_EQ(run_process({payhostd_path(), "plugins", "describe", plugin, "--config", "/dev/null"},
                          &out),
              0)
        << out;
    std::istringstream lines(out.substr(out.find("options:")));
    std::string line;
    while (std::getline(lines, line)) {
      if (line.rfind("  ", 0) != 0 || line.rfind("      ", 0) == 0) continue;
      const std::string name = line.substr(2, line.find(' ', 2) - 2);
      EXPECT_NE(doc.find("`" + name + "`"), std::string::npos)
          << plugin << " option " << name << " is missing from docs/configuration.md";
      ++checked;
    }
  }
  EXPECT_GT(checked, 10);
}

}  // namespace
}  // namespace payhost::flow
