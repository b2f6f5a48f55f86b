// The plugin ABI must not drift silently: any edit under sdk/include/payhost/sdk/ changes
// the hash recorded in sdk/abi.lock, and this test fails until someone has decided whether
// PAYHOST_SDK_ABI_VERSION needs a bump and re-run sdk/update-abi-lock.sh.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "payhost/sdk/abi.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"

#ifndef PAYHOST_SDK_SOURCE_DIR
#error "PAYHOST_SDK_SOURCE_DIR must name the sdk/ source directory"
#endif

namespace payhost::sdk {
namespace {

namespace fs = std::filesystem;

const fs::path kSdkDir = PAYHOST_SDK_SOURCE_DIR;
const fs::path kHeaderDir = kSdkDir / "include" / "payhost" / "sdk";

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Paths relative to the header directory, sorted byte-wise like `LC_ALL=C sort` in the
// script (std::string compares as unsigned char). Symlinks are skipped as `find -type f` does.
std::vector<std::string> header_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(kHeaderDir)) {
    if (fs::is_regular_file(entry.symlink_status())) {
      files.push_back(fs::relative(entry.path(), kHeaderDir).generic_string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string headers_sha256() {
  std::string all;
  for (const auto& file : header_files())
    all += read_file(kHeaderDir / file);
  return hex_lower(crypto::sha256(all));
}

std::map<std::string, std::string> read_lock() {
  std::map<std::string, std::string> values;
  std::istringstream in(read_file(kSdkDir / "abi.lock"));
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq != std::string::npos) values[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return values;
}

TEST(AbiLock, LockFileIsWellFormed) {
  ASSERT_TRUE(fs::exists(kSdkDir / "abi.lock")) << "missing " << (kSdkDir / "abi.lock");
  const auto lock = read_lock();
  ASSERT_EQ(lock.count("abi_version"), 1u);
  ASSERT_EQ(lock.count("headers_sha256"), 1u);
  const std::string& hash = lock.at("headers_sha256");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(hash.find_first_not_of("0123456789abcdef"), std::string::npos) << hash;
}

TEST(AbiLock, HeaderSetIsTheSdk) {
  const auto files = header_files();
  ASSERT_FALSE(files.empty());
  EXPECT_TRUE(std::find(files.begin(), files.end(), "abi.hpp") != files.end());
  EXPECT_TRUE(std::find(files.begin(), files.end(), "plugin.hpp") != files.end());
  EXPECT_TRUE(std::is_sorted(files.begin(), files.end()));
}

TEST(AbiLock, HeadersMatchTheLock) {
  const auto lock = read_lock();
  ASSERT_EQ(lock.count("headers_sha256"), 1u);
  const std::string actual = headers_sha256();
  if (actual != lock.at("headers_sha256")) {
    std::string listing;
    for (const auto& f : header_files())
      listing += "\n  " + f;
    FAIL() << "SDK headers changed: bump PAYHOST_SDK_ABI_VERSION in abi.hpp if the change "
              "affects layout/vtables, then update sdk/abi.lock (see the script)\n"
           << "  script: sdk/update-abi-lock.sh\n"
           << "  locked:  " << lock.at("headers_sha256") << "\n"
           << "  current: " << actual << "\n"
           << "hashed files (sorted):" << listing;
  }
}

TEST(AbiLock, AbiVersionMatchesTheLock) {
  const auto lock = read_lock();
  ASSERT_EQ(lock.count("abi_version"), 1u);
  EXPECT_EQ(lock.at("abi_version"), std::to_string(PAYHOST_SDK_ABI_VERSION))
      << "PAYHOST_SDK_ABI_VERSION in abi.hpp and abi_version in sdk/abi.lock disagree; run "
         "sdk/update-abi-lock.sh after bumping the version";
}

}  // namespace
}  // namespace payhost::sdk
