// Shared by the /v1 API's integration tests: a payhostd with two apps (the second signs its
// requests with the key pair published in Ping++'s Node SDK), API keys made with
// `payhostd keys create`, and direct reads of the host's tables.
#pragma once

#include <fstream>
#include <regex>
#include <sstream>

#include "flow_support.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "storage/database.hpp"
#include "support/host_database.hpp"

namespace payhost::flow::v1 {

inline constexpr const char* kApp = "app_5anXP4ezfXvL8m5e";        // the host's app_id
inline constexpr const char* kSignedApp = "app_S1gnedApp0000001";  // requires signatures

// The npm install of tests/pingpp_sdk in the build tree (CMake target pingpp_sdk_node_modules).
inline std::string sdk_dir() {
  return PINGPP_SDK_DIR;
}
inline std::string sdk_example(const std::string& file) {
  return sdk_dir() + "/node_modules/pingpp/example/" + file;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  if (!in)
    throw std::runtime_error("cannot read " + path +
                             " (run the pingpp_sdk_node_modules "
                             "target: npm ci in the build tree)");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline std::string v1_config(int rate_limit = 0) {
  return config() + "apps:\n  " + kSignedApp + ":\n    request_public_key_file: \"" +
         sdk_example("your_rsa_public_key.pem") +
         "\"\n    require_signature: true\n"
         "api:\n  signature_window_seconds: 300\n  rate_limit_per_second: " +
         std::to_string(rate_limit) + "\n";
}

// `payhostd keys create ...`: the key it printed once.
inline std::string create_key(const Payhostd& host, const std::vector<std::string>& args = {}) {
  std::vector<std::string> argv = {"keys", "create"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out;
  if (host.cli(argv, &out) != 0) throw std::runtime_error("keys create failed: " + out);
  std::smatch m;
  static const std::regex key("sk_(test|live)_[0-9A-Za-z]{24}");
  if (!std::regex_search(out, m, key)) throw std::runtime_error("no key in: " + out);
  return m.str();
}

inline std::string key_id_in(const std::string& out) {
  std::smatch m;
  static const std::regex id("key_[0-9A-Za-z]{16}");
  return std::regex_search(out, m, id) ? m.str() : "";
}

// Reads the host's tables directly, as a second process would.
class Tables : public testing::HostTables {
 public:
  using HostTables::HostTables;

  // Everything a /v1 request can change, as one comparable line.
  std::string snapshot() {
    std::string s;
    for (const char* q : {"SELECT COUNT(*) FROM charges", "SELECT COUNT(*) FROM refunds",
                          "SELECT COUNT(*) FROM events", "SELECT COUNT(*) FROM idempotency_keys",
                          "SELECT COUNT(*) FROM api_keys WHERE revoked IS NULL",
                          "SELECT COUNT(*) FROM charges WHERE reversed <> 0",
                          "SELECT COUNT(*) FROM charges WHERE state = 'succeeded'",
                          "SELECT COUNT(*) FROM charges WHERE state IN ('closed', 'failed')",
                          "SELECT COALESCE(SUM(amount_refunded), 0) FROM charges"}) {
      s += std::string(q) + " = " + std::to_string(number(q)) + "\n";
    }
    return s;
  }
};

// Signs like Ping++'s SDKs: body + request-target + timestamp, with the private key of
// the published example pair.
inline std::string sign_request(const std::string& body, const std::string& target,
                                const std::string& timestamp) {
  auto key = sdk::crypto::PrivateKey::parse(read_text(sdk_example("your_rsa_private_key.pem")));
  if (!key) throw std::runtime_error(key.error().message);
  auto sig = sdk::crypto::rsa_sha256_sign(*key, body + target + timestamp);
  if (!sig) throw std::runtime_error(sig.error().message);
  return sdk::base64_encode(*sig);
}

inline Json charge_params(const std::string& order_no, const std::string& app = kApp) {
  return Json{{"app", {{"id", app}}}, {"channel", "testpay"},    {"amount", 100},
              {"order_no", order_no}, {"currency", "cny"},       {"subject", "subject"},
              {"body", "body"},       {"client_ip", "127.0.0.1"}};
}

inline std::vector<std::string> bearer(const std::string& key) {
  return {"Authorization: Bearer " + key};
}

}  // namespace payhost::flow::v1
