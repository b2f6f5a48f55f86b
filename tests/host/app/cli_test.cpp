// payhostd's command line: config check, plugins list/describe, token, migrate.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "app/cli.hpp"
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
  // The table is satisfied (labels are positive integers), the wallet's own rule is not (a
  // label above recharge_max): the check must fail as `serve` would, naming the file and the
  // plugin's options.
  const auto path = write(config() +
                          "  wallet:\n    options: {recharge_type: [testpay], labels: [100, "
                          "2000000]}\n");
  std::string out;
  EXPECT_EQ(run({"config", "check", "--config", path}, &out), 2) << out;
  EXPECT_NE(
      out.find(path + ": plugins.wallet.options: labels: 2000000 is not a whole number of fen"),
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

// Every path of built-in subcommands ("config", "config check", ...), read from the
// registry main itself declares, so a new subcommand is covered the day it is added.
void collect_paths(CLI::App& app, const std::vector<std::string>& prefix,
                   std::vector<std::vector<std::string>>& out) {
  for (CLI::App* sub : app.get_subcommands({})) {
    std::vector<std::string> path = prefix;
    path.push_back(sub->get_name());
    out.push_back(path);
    collect_paths(*sub, path, out);
  }
}

TEST_F(Cli, EveryCommandAnswersHelpAndTheTopLevelHelpListsThemAll) {
  ASSERT_TRUE(fs::exists(testing::plugin_dir() + "/wallet.so")) << "the wallet has a command";
  const auto path = write(config() + "  wallet:\n    options: {recharge_type: [testpay]}\n");
  CLI::App registry;
  host::CliOptions options;
  host::declare_builtin_commands(registry, options);
  std::vector<std::vector<std::string>> builtins;
  collect_paths(registry, {}, builtins);
  ASSERT_GE(builtins.size(), 8u);

  std::string top;
  ASSERT_EQ(run({"--help", "--config", path}, &top), 0) << top;
  for (const CLI::App* sub : registry.get_subcommands({})) {
    EXPECT_NE(top.find(sub->get_description()), std::string::npos)
        << sub->get_name() << " is missing from payhostd --help:\n"
        << top;
  }
  for (std::vector<std::string> args : builtins) {
    const std::string command = args.front() + (args.size() > 1 ? " " + args.back() : "");
    args.insert(args.end(), {"--help", "--config", path});
    std::string out;
    EXPECT_EQ(run(args, &out), 0) << "payhostd " << command << " --help:\n" << out;
  }

  const auto products = host::product_commands(path);
  ASSERT_TRUE(products.ok()) << products.error().message;
  ASSERT_FALSE(products->empty());
  for (const auto& p : *products) {
    EXPECT_NE(top.find(p.product + " " + p.usage), std::string::npos)
        << "payhostd " << p.product << " " << p.verb << " is missing from payhostd --help:\n"
        << top;
    std::string out;
    EXPECT_EQ(run({p.product, p.verb, "--help", "--config", path}, &out), 0)
        << "payhostd " << p.product << " " << p.verb << " --help:\n"
        << out;
    EXPECT_NE(out.find(p.description), std::string::npos) << out;
    EXPECT_EQ(run({p.product, "--help", "--config", path}, &out), 0) << out;
    EXPECT_NE(out.find(p.usage), std::string::npos) << out;
  }
}

TEST_F(Cli, ConfigCheckRefusesDuplicateKeysWithBothLines) {
  std::string out;
  const auto top = write("livemode: false\nlog_level: info\nlivemode: true\n");
  EXPECT_EQ(run({"config", "check", "--config", top}, &out), 2) << out;
  EXPECT_NE(out.find(top + ": livemode: duplicate key on lines 1 and 3"), std::string::npos) << out;
  // Inside a plugin block (line numbers counted in the written file).
  const std::string yaml = config("{expiry_seconds: 60, expiry_seconds: 5}");
  const auto plugin = write(yaml);
  const auto line = std::count(yaml.begin(), yaml.begin() + yaml.find("expiry_seconds"), '\n') + 1;
  EXPECT_EQ(run({"config", "check", "--config", plugin}, &out), 2) << out;
  EXPECT_NE(
      out.find(plugin + ": plugins.testchannel.options.expiry_seconds: duplicate key on lines " +
               std::to_string(line) + " and " + std::to_string(line)),
      std::string::npos)
      << out;
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

std::string read_text(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Every plugin this tree built has its option table in docs/configuration.md and in one
// README under plugins/, each exactly what `payhostd plugins describe NAME --markdown` prints
// (`scripts/payhost docs` rewrites them).
TEST(Docs, OptionTablesAreWhatThePluginsDeclare) {
  const fs::path source(PAYHOST_SOURCE_DIR);
  const std::string reference = read_text(source / "docs/configuration.md");
  ASSERT_FALSE(reference.empty());
  std::vector<std::pair<fs::path, std::string>> readmes;
  for (const auto& file : fs::recursive_directory_iterator(source / "plugins")) {
    if (file.path().filename() == "README.md") {
      readmes.emplace_back(file.path(), read_text(file.path()));
    }
  }
  std::vector<std::string> plugins;
  for (const auto& file : fs::directory_iterator(testing::plugin_dir())) {
    if (file.path().extension() == ".so") plugins.push_back(file.path().stem().string());
  }
  std::sort(plugins.begin(), plugins.end());
  ASSERT_FALSE(plugins.empty()) << testing::plugin_dir();
  for (const std::string& plugin : plugins) {
    std::string table;
    ASSERT_EQ(run_process({payhostd_path(), "plugins", "describe", plugin, "--markdown", "--config",
                           "/dev/null"},
                          &table),
              0)
        << table;
    const std::string begin =
        "<!-- BEGIN payhostd plugins describe " + plugin + " --markdown -->\n";
    const std::string block =
        begin + table + "<!-- END payhostd plugins describe " + plugin + " --markdown -->\n";
    const auto at = reference.find(begin);
    ASSERT_NE(at, std::string::npos)
        << "docs/configuration.md has no option table for " << plugin << " (add the BEGIN and END "
        << "lines under its heading, then run scripts/payhost docs)";
    EXPECT_EQ(reference.compare(at, block.size(), block), 0)
        << "docs/configuration.md: the " << plugin << " table is not what the plugin declares; "
        << "run scripts/payhost docs. It should read:\n"
        << table;
    int found = 0;
    for (const auto& [path, text] : readmes) {
      const auto in_readme = text.find(begin);
      if (in_readme == std::string::npos) continue;
      ++found;
      EXPECT_EQ(text.compare(in_readme, block.size(), block), 0)
          << path << ": the " << plugin << " table is not what the plugin declares; run "
          << "scripts/payhost docs";
    }
    EXPECT_EQ(found, 1) << plugin << ": its option table belongs in exactly one README under "
                        << "plugins/ (its own), found " << found;
  }
}

}  // namespace
}  // namespace payhost::flow
