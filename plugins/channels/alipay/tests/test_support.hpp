// Test doubles for the host services the Alipay plugin uses, and fixture loading.
#pragma once

#include <deque>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/testing/fake_host.hpp"

namespace payhost::alipay::testing {

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(ALIPAY_FIXTURE_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream out;
  out << in.rdbuf();
  std::string text = out.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

// Key generation is slow; every test shares these two pairs.
inline const sdk::KeyPairPem& merchant_pair() {
  static const sdk::KeyPairPem pair = [] {
    auto g = sdk::crypto::generate_rsa_keypair(2048);
    if (!g) throw std::runtime_error("keygen failed");
    return sdk::KeyPairPem{g->private_key_pem, g->public_key_pem};
  }();
  return pair;
}

inline const sdk::KeyPairPem& platform_pair() {
  static const sdk::KeyPairPem pair = [] {
    auto g = sdk::crypto::generate_rsa_keypair(2048);
    if (!g) throw std::runtime_error("keygen failed");
    return sdk::KeyPairPem{g->private_key_pem, g->public_key_pem};
  }();
  return pair;
}

// The kit's host as these tests want it: reached at http://127.0.0.1:8080, its sandbox pairs
// the two shared test pairs, its clock at 2023-12-21 14:47:50 in Beijing.
class TestHost final : public sdk::testing::FakeHost {
 public:
  TestHost() {
    base_url = "http://127.0.0.1:8080";
    use_sandbox_keypair("alipay-merchant", merchant_pair());
    use_sandbox_keypair("alipay-platform", platform_pair());
  }
};

}  // namespace payhost::alipay::testing
