// A fixture for tests of the host's SQLite storage: a database in a directory of its own
// under the temp directory, opened before each test and removed after it.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/database.hpp"

namespace payhost::host {

class ScratchSqlite : public ::testing::Test {
 protected:
  // `name` keeps the directories of different fixtures apart.
  ScratchSqlite(const std::string& name, int pool_size)
      : dir_(std::filesystem::temp_directory_path() /
             ("payhost-" + name + "-" + std::to_string(::getpid()))),
        pool_size_(pool_size) {}

  void SetUp() override {
    std::filesystem::remove_all(dir_);
    DatabaseConfig config;
    config.url = "sqlite://scratch.db";
    config.pool_size = pool_size_;
    auto opened = Db::open(config, dir_.string());
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    db_ = std::move(*opened);
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  const std::filesystem::path dir_;
  const int pool_size_;
  std::unique_ptr<Db> db_;
};

}  // namespace payhost::host
