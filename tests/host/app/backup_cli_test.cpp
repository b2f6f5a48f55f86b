// `payhostd backup`: a copy taken from a serving host opens as a payhost database in a new
// host, with what was committed before it and nothing after; the CLI's refusals.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "flow_support.hpp"

namespace payhost::flow {
namespace {

namespace fs = std::filesystem;

// The test config with its database at `url` instead of the harness's choice.
std::string config_with_database(const std::string& url) {
  std::string yaml = config();
  const std::string placeholder = "@DATABASE_URL@";
  yaml.replace(yaml.find(placeholder), placeholder.size(), url);
  return yaml;
}

class BackupCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("payhost-backup-cli-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(BackupCli, CopyOfAServingHostOpensAsAPayhostDatabase) {
  Payhostd host(config());
  const Json before = create(host, 1234);
  const std::string copy = (dir_ / "payhost-backup.db").string();

  std::string out;
  ASSERT_EQ(host.cli({"backup", "--to", copy}, &out), 0) << out;
  EXPECT_NE(out.find("integrity_check ok"), std::string::npos) << out;
  const Json after = create(host, 4321);
  struct stat st {};
  ASSERT_EQ(::stat(copy.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  host.stop();

  Payhostd restored(config_with_database("sqlite://" + copy));
  const Json found = charge(restored, before["id"].get<std::string>(), true);
  EXPECT_EQ(found["id"], before["id"]) << found.dump();
  EXPECT_EQ(found["amount"], 1234) << found.dump();
  EXPECT_NE(restored.get("/test/charges/" + after["id"].get<std::string>()).status, 200)
      << "a charge created after the backup cannot be in it";
}

TEST_F(BackupCli, RefusesAnExistingFileUnlessForcedAndAMissingDirectory) {
  Payhostd host(config());
  create(host, 100);
  const std::string existing = (dir_ / "existing.db").string();
  std::ofstream(existing) << "an older backup";

  std::string out;
  EXPECT_EQ(host.cli({"backup", "--to", existing}, &out), 1) << out;
  EXPECT_NE(
      out.find("payhostd: backup refused: " + existing + " exists; add --force to replace it"),
      std::string::npos)
      << out;
  EXPECT_EQ(host.cli({"backup", "--to", existing, "--force"}, &out), 0) << out;

  const std::string nowhere = (dir_ / "no-such-dir" / "copy.db").string();
  EXPECT_EQ(host.cli({"backup", "--to", nowhere}, &out), 1) << out;
  EXPECT_NE(out.find("directory " + (dir_ / "no-such-dir").string() + " does not exist"),
            std::string::npos)
      << out;
}

TEST_F(BackupCli, RefusesAMissingDatabaseAndPostgresql) {
  const auto write = [&](const std::string& name, const std::string& url) {
    std::string yaml = config_with_database(url);
    for (const std::string placeholder : {"@DATA_DIR@", "@PLUGIN_DIR@", "@TEST_PLUGIN_DIR@"}) {
      const std::string value = placeholder == "@DATA_DIR@"     ? dir_.string()
                                : placeholder == "@PLUGIN_DIR@" ? testing::plugin_dir()
                                                                : testing::test_plugin_dir();
      for (auto p = yaml.find(placeholder); p != std::string::npos; p = yaml.find(placeholder))
        yaml.replace(p, placeholder.size(), value);
    }
    const std::string path = (dir_ / name).string();
    std::ofstream(path) << yaml;
    return path;
  };
  const std::string copy = (dir_ / "copy.db").string();
  std::string out;

  const std::string never_served = write("sqlite.yaml", "sqlite://never-served.db");
  EXPECT_EQ(testing::run_process(
                {testing::payhostd_path(), "backup", "--to", copy, "--config", never_served}, &out),
            1)
      << out;
  EXPECT_NE(out.find("database " + (dir_ / "never-served.db").string() +
                     " does not exist: nothing to back up"),
            std::string::npos)
      << out;

  const std::string postgres = write("pg.yaml", "postgresql://payhost:x@127.0.0.1:1/payhost");
  EXPECT_EQ(testing::run_process(
                {testing::payhostd_path(), "backup", "--to", copy, "--config", postgres}, &out),
            2)
      << out;
  EXPECT_NE(out.find("pg_dump -Fc as docs/operations.md (\"Backups\") describes"),
            std::string::npos)
      << out;
  EXPECT_FALSE(fs::exists(copy));
}

}  // namespace
}  // namespace payhost::flow
