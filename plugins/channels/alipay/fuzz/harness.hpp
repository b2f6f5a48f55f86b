// What the notification fuzz target and its seed maker share: the plugin started in test
// mode on the testing kit's host, its sandbox key pairs read from keys/ (made once by
// make_seeds, so the checked-in signed seeds keep verifying), and the request a body
// becomes.
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "alipay_plugin.hpp"
#include "options.hpp"
#include "payhost/sdk/testing/fake_host.hpp"

namespace payhost::alipay::fuzzing {

inline const std::string kKeyDir = std::string(ALIPAY_FUZZ_DIR) + "/keys";

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

// Alipay POSTs its notifications as a form.
inline sdk::HttpRequest notify_request(std::string body) {
  sdk::HttpRequest r;
  r.method = "POST";
  r.path = "/notify/alipay";
  r.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  r.body = std::move(body);
  return r;
}

struct Harness {
  sdk::testing::FakeHost host;
  AlipayPlugin plugin;

  Harness() {
    host.base_url = "http://127.0.0.1:8080";
    host.use_sandbox_keypair(std::string(kSandboxMerchantKeyPair), read_pair("merchant"));
    host.use_sandbox_keypair(std::string(kSandboxPlatformKeyPair), read_pair("platform"));
    const auto status = plugin.start(sdk::Options(sdk::Json::object()), host);
    if (!status.ok()) throw std::runtime_error("alipay start: " + status.error().message);
  }
};

}  // namespace payhost::alipay::fuzzing
