// A configuration file written by a test into a directory of its own, loaded with
// load_config: the fixture of the config tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.hpp"

namespace payhost::host {

class ConfigTest : public ::testing::Test {
 protected:
  std::string write(const std::string& yaml) {
    const std::string path = (dir_ / "payhost.yaml").string();
    std::ofstream(path) << yaml;
    return path;
  }
  std::string error_of(const std::string& yaml) {
    auto c = load_config(write(yaml));
    EXPECT_FALSE(c.ok()) << "config should have been refused:\n" << yaml;
    return c.ok() ? "" : c.error().message;
  }
  void SetUp() override {
    dir_ =
        std::filesystem::temp_directory_path() / ("payhost-config-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

}  // namespace payhost::host
