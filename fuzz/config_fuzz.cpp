// The YAML config (config/config.cpp and what it reads through: apps, JWT and /metrics
// settings, PostgreSQL URLs) from arbitrary text. load_config reads a file, so each input is
// written to one scratch file first. Whatever the text, the answer is a config or an error
// naming the file; a yaml-cpp exception escaping, or a crash, is a bug.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "config/config.hpp"
#include "payhost/sdk/testing/fuzzing.hpp"

namespace {

// One file for the whole run, removed at exit.
class ScratchFile {
 public:
  ScratchFile() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "payhost-config-fuzz-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    payhost::sdk::testing::fuzz_check(fd >= 0, "a scratch file can be created");
    ::close(fd);
    path_ = pattern;
  }
  ~ScratchFile() {
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  ScratchFile(const ScratchFile&) = delete;
  ScratchFile& operator=(const ScratchFile&) = delete;

  const std::string& write(const std::uint8_t* data, std::size_t size) {
    std::ofstream out(path_, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    payhost::sdk::testing::fuzz_check(out.good(), "the scratch file can be written");
    return path_;
  }

 private:
  std::string path_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static ScratchFile file;
  const std::string& path = file.write(data, size);
  const auto config = payhost::host::load_config(path);
  if (!config.ok()) {
    payhost::sdk::testing::fuzz_check(!config.error().message.empty(), "a refusal says why");
  }
  return 0;
}
