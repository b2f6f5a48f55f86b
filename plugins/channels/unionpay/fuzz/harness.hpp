// What the notification fuzz target and its seed maker share: the plugin started in test
// mode on the testing kit's host (clock at 2026-12-05T16:30:00+08:00, as the plugin's
// tests), with the sandbox PKI (root and intermediate certificates, merchant .pfx) read from
// keys/, made once by make_seeds from the tests' PKI so the checked-in signed seeds keep
// verifying: each seed carries its signing certificate, which must chain to that root.
#pragma once

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "payhost/sdk/testing/fake_host.hpp"
#include "unionpay_plugin.hpp"

namespace payhost::unionpay::fuzzing {

inline constexpr std::int64_t kNow = 1796459400;
inline const std::string kKeyDir = std::string(UNIONPAY_FUZZ_DIR) + "/keys";
// What the simulator writes into <data_dir>/sandbox-unionpay/, and the plugin reads.
inline constexpr const char* kSandboxFiles[] = {"root.cer", "middle.cer", "merchant.pfx"};

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// UnionPay POSTs its notifications as a form.
inline sdk::HttpRequest notify_request(std::string body) {
  sdk::HttpRequest r;
  r.method = "POST";
  r.path = "/notify/unionpay";
  r.headers.add("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
  r.body = std::move(body);
  return r;
}

struct Harness {
  sdk::testing::FakeHost host;
  UnionpayPlugin plugin;

  Harness() {
    host.base_url = "http://127.0.0.1:8080";
    host.time.set(kNow);
    const auto dir = std::filesystem::path(host.data_dir()) / "sandbox-unionpay";
    std::filesystem::create_directories(dir);
    for (const char* file : kSandboxFiles) {
      std::filesystem::copy_file(std::filesystem::path(kKeyDir) / file, dir / file,
                                 std::filesystem::copy_options::overwrite_existing);
    }
    const auto status = plugin.start(sdk::Options(sdk::Json::object()), host);
    if (!status.ok()) throw std::runtime_error("unionpay start: " + status.error().message);
  }
};

}  // namespace payhost::unionpay::fuzzing
