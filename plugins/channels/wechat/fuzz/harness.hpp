// What the notification fuzz target and its seed maker share: the plugin started in test
// mode on the testing kit's host (clock at 2026-12-05T16:30:00+08:00, as the plugin's
// tests), its sandbox key pairs read from keys/ (made once by make_seeds, so the checked-in
// signed seeds keep verifying), and how an input becomes a request.
//
// An input is an HTTP message without its start line: "Name: value" lines, an empty line,
// then the body. Without an empty line, it is all body.
#pragma once

#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

#include "payhost/sdk/testing/fake_host.hpp"
#include "sandbox_identity.hpp"
#include "wechat_plugin.hpp"

namespace payhost::wechat::fuzzing {

inline constexpr std::int64_t kNow = 1796459400;
inline const std::string kKeyDir = std::string(WECHAT_FUZZ_DIR) + "/keys";

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("missing " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

inline sdk::KeyPairPem read_pair(const std::string& name) {
  return {read_file(kKeyDir + "/" + name + ".pem"), read_file(kKeyDir + "/" + name + ".pub.pem")};
}

inline sdk::HttpRequest notify_request(std::string_view input) {
  sdk::HttpRequest r;
  r.method = "POST";
  r.path = "/notify/wechat";
  const auto end = input.find("\n\n");
  if (end == std::string_view::npos) {
    r.body.assign(input);
    return r;
  }
  std::string_view head = input.substr(0, end);
  r.body.assign(input.substr(end + 2));
  while (!head.empty()) {
    const auto line_end = head.find('\n');
    const std::string_view line = head.substr(0, line_end);
    head = line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 1);
    const auto colon = line.find(": ");
    if (colon == std::string_view::npos) continue;
    r.headers.add(std::string(line.substr(0, colon)), std::string(line.substr(colon + 2)));
  }
  return r;
}

// The inverse of notify_request, for the seed maker.
inline std::string to_input(const sdk::Headers& headers, const std::string& body) {
  std::string out;
  for (const auto& [name, value] : headers.all())
    out += name + ": " + value + "\n";
  return out + "\n" + body;
}

struct Harness {
  sdk::testing::FakeHost host;
  WechatPlugin plugin;

  Harness() {
    host.base_url = "http://127.0.0.1:8080";
    host.time.set(kNow);
    host.use_sandbox_keypair(std::string(kSandboxMerchantKeyPair), read_pair("merchant"));
    host.use_sandbox_keypair(std::string(kSandboxPlatformKeyPair), read_pair("platform"));
    const auto status = plugin.start(sdk::Options(sdk::Json::object()), host);
    if (!status.ok()) throw std::runtime_error("wechat start: " + status.error().message);
  }
};

}  // namespace payhost::wechat::fuzzing
