// Test doubles for the host services the WeChat plugin uses (a fake Host with a movable
// clock and a scripted HttpClient), a stand-in for WeChat Pay's signing side, and fixtures.
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
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/testing/fake_host.hpp"

namespace payhost::wechat::testing {

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(WECHAT_FIXTURE_DIR) + "/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A one-line fixture (a signature) without its trailing newline.
inline std::string read_line_fixture(const std::string& name) {
  std::string text = read_fixture(name);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  return text;
}

inline sdk::KeyPairPem generate_pair() {
  auto g = sdk::crypto::generate_rsa_keypair(2048);
  if (!g) throw std::runtime_error("keygen failed");
  return sdk::KeyPairPem{g->private_key_pem, g->public_key_pem};
}

// Key generation is slow; every test shares these pairs.
inline const sdk::KeyPairPem& merchant_pair() {
  static const sdk::KeyPairPem pair = generate_pair();
  return pair;
}
inline const sdk::KeyPairPem& platform_pair() {
  static const sdk::KeyPairPem pair = generate_pair();
  return pair;
}
inline const sdk::KeyPairPem& stranger_pair() {
  static const sdk::KeyPairPem pair = generate_pair();
  return pair;
}

inline std::string sign_with(const std::string& private_pem, std::string_view message) {
  auto key = sdk::crypto::PrivateKey::parse(private_pem);
  if (!key) throw std::runtime_error("bad test key");
  auto raw = sdk::crypto::rsa_sha256_sign(*key, message);
  if (!raw) throw std::runtime_error("sign failed");
  return sdk::base64_encode(*raw);
}

inline bool verifies_with(const std::string& public_pem, std::string_view message,
                          std::string_view signature_base64) {
  auto key = sdk::crypto::PublicKey::parse(public_pem);
  auto raw = sdk::base64_decode(signature_base64);
  return key && raw && sdk::crypto::rsa_sha256_verify(*key, message, *raw);
}

// The Wechatpay-* headers WeChat Pay puts on an answer or a notification: a signature by
// `private_pem` over "ts\nnonce\nbody\n".
inline sdk::Headers wechat_signed_headers(
    const std::string& body, std::int64_t timestamp, const std::string& serial,
    const std::string& private_pem = platform_pair().private_key,
    const std::string& nonce = "n0nceF0rTest5a2b") {
  sdk::Headers h;
  const std::string ts = std::to_string(timestamp);
  h.add("Wechatpay-Timestamp", ts);
  h.add("Wechatpay-Nonce", nonce);
  h.add("Wechatpay-Signature", sign_with(private_pem, ts + "\n" + nonce + "\n" + body + "\n"));
  h.add("Wechatpay-Serial", serial);
  h.add("Request-ID", "08F78BB5AF0610D302839A5E03A1D3A807");
  return h;
}

// How WeChat Pay seals a notification's resource: AES-GCM under the APIv3 key, with the
// envelope around it. The parts a test varies are parameters.
struct Envelope {
  std::string key;
  std::string nonce = "Kj7QIyUiYx1q";
  std::string aad = "transaction";
  std::string event_type = "TRANSACTION.SUCCESS";
  std::string algorithm = "AEAD_AES_256_GCM";
};

inline std::string sealed_notification_body(const std::string& plaintext, const Envelope& e) {
  auto sealed = sdk::crypto::aes_gcm_encrypt(e.key, e.nonce, e.aad, plaintext);
  if (!sealed) throw std::runtime_error("encrypt failed");
  return sdk::json_dump(sdk::Json{{"id", "EV-2018022511223320873"},
                                  {"create_time", "2026-12-05T16:29:31+08:00"},
                                  {"resource_type", "encrypt-resource"},
                                  {"event_type", e.event_type},
                                  {"summary", "支付成功"},
                                  {"resource",
                                   {{"original_type", "transaction"},
                                    {"algorithm", e.algorithm},
                                    {"ciphertext", sdk::base64_encode(*sealed)},
                                    {"associated_data", e.aad},
                                    {"nonce", e.nonce}}}});
}

// The kit's host as these tests want it: reached at http://127.0.0.1:8080, its sandbox pairs
// the shared test pairs, its clock at 2026-12-05T16:30:00+08:00.
class TestHost final : public sdk::testing::FakeHost {
 public:
  TestHost() {
    base_url = "http://127.0.0.1:8080";
    time.set(1796459400);
    use_sandbox_keypair("wechat-merchant", merchant_pair());
    use_sandbox_keypair("wechat-platform", platform_pair());
  }
};

}  // namespace payhost::wechat::testing
