// Runs a fuzz target's LLVMFuzzerTestOneInput over every file of the directories (or files)
// given, in name order: how the normal and the ASan+UBSan ctest suites replay the checked-in
// corpus and regressions without libFuzzer. A target that finds a bug aborts, and so does
// the test. A missing directory counts as empty, but finding no input at all fails: a
// replay of nothing would pass whatever the code does.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

// Dot files (.gitkeep) are not inputs.
bool is_input(const fs::path& p) {
  return fs::is_regular_file(p) && !p.filename().string().starts_with(".");
}

std::vector<fs::path> inputs_of(const fs::path& arg) {
  std::vector<fs::path> out;
  if (is_input(arg)) {
    out.push_back(arg);
  } else if (fs::is_directory(arg)) {
    for (const auto& entry : fs::recursive_directory_iterator(arg)) {
      if (is_input(entry.path())) out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    for (const auto& path : inputs_of(argv[i])) {
      std::ifstream in(path, std::ios::binary);
      const std::string bytes((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
      if (!in.good() && !in.eof()) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        return 1;
      }
      // A copy of exactly `size` bytes, so ASan sees reads past the end as libFuzzer would.
      const std::vector<std::uint8_t> data(bytes.begin(), bytes.end());
      LLVMFuzzerTestOneInput(data.data(), data.size());
      ++count;
    }
  }
  std::printf("replayed %zu inputs\n", count);
  if (count == 0) {
    std::fprintf(stderr, "no inputs found: the corpus directories are missing or empty\n");
    return 1;
  }
  return 0;
}
