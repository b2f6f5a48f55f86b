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
#include "payhost/sdk/host.hpp"

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

class RecordingLogger final : public sdk::Logger {
 public:
  void log(sdk::LogLevel, std::string_view message) noexcept override {
    try {
      std::lock_guard lock(mu_);
      lines.emplace_back(message);
    } catch (...) {
    }
  }
  std::string all() const {
    std::string out;
    for (const auto& l : lines)
      out += l + "\n";
    return out;
  }
  std::vector<std::string> lines;

 private:
  std::mutex mu_;
};

class MovableClock final : public sdk::Clock {
 public:
  std::int64_t now() const noexcept override { return now_s; }
  std::int64_t now_s = 1796459400;  // 2026-12-05T16:30:00+08:00
};

// Answers from a queue of canned responses, else from a handler; records what was sent.
class ScriptedHttp final : public sdk::HttpClient {
 public:
  using Handler = std::function<sdk::Result<sdk::OutboundResponse>(const sdk::OutboundRequest&)>;

  sdk::Result<sdk::OutboundResponse> send(const sdk::OutboundRequest& request) noexcept override {
    try {
      {
        std::lock_guard lock(mu_);
        sent.push_back(request);
        if (!replies.empty()) {
          auto r = replies.front();
          replies.pop_front();
          return r;
        }
      }
      if (handler) return handler(request);
      return sdk::make_error(sdk::ErrorKind::unavailable, "timeout", "timed out after 10000 ms");
    } catch (...) {
      return sdk::make_error(sdk::ErrorKind::internal, "test", "scripted http threw");
    }
  }

  void reply(sdk::OutboundResponse r) { replies.emplace_back(std::move(r)); }
  void fail() {
    replies.emplace_back(
        sdk::make_error(sdk::ErrorKind::unavailable, "timeout", "timed out after 10000 ms"));
  }

  std::vector<sdk::OutboundRequest> sent;
  std::deque<sdk::Result<sdk::OutboundResponse>> replies;
  Handler handler;

 private:
  std::mutex mu_;
};

class NoCharges final : public sdk::ChargeService {
 public:
  sdk::Result<sdk::Charge> create(const sdk::NewCharge&) noexcept override { return none(); }
  sdk::Result<sdk::Charge> get(const std::string&) noexcept override { return none(); }
  sdk::Result<sdk::Charge> get_by_order_no(const std::string&) noexcept override { return none(); }
  sdk::Result<sdk::Charge> retrieve(const std::string&) noexcept override { return none(); }
  std::vector<std::string> enabled_channels() const override { return {}; }

 private:
  static sdk::Error none() {
    return sdk::make_error(sdk::ErrorKind::not_found, "not_found", "no charges in this test");
  }
};

class NoDatabase final : public sdk::Database {
 public:
  sdk::Dialect dialect() const noexcept override { return sdk::Dialect::sqlite; }
  sdk::Status transact(const std::function<sdk::Status(soci::session&)>&) noexcept override {
    return sdk::make_error(sdk::ErrorKind::internal, "no_database", "no database in this test");
  }
  sdk::Status with_session(const std::function<sdk::Status(soci::session&)>&) noexcept override {
    return sdk::make_error(sdk::ErrorKind::internal, "no_database", "no database in this test");
  }
};

class FakeHost final : public sdk::Host {
 public:
  FakeHost() {
    sandbox["wechat-merchant"] = merchant_pair();
    sandbox["wechat-platform"] = platform_pair();
  }

  bool livemode() const noexcept override { return live; }
  std::string app_id() const override { return "app_1234567890abcdef"; }
  std::string public_url() const override { return base_url; }
  std::string notify_url(std::string_view plugin) const override {
    return base_url + "/notify/" + std::string(plugin);
  }
  std::string data_dir() const override { return "/tmp"; }
  sdk::Logger& logger() noexcept override { return log; }
  const sdk::Clock& clock() const noexcept override { return time; }
  sdk::HttpClient& http() noexcept override { return web; }
  sdk::ChargeService& charges() noexcept override { return charge_service; }
  sdk::Database& database() noexcept override { return db; }
  void schedule(std::chrono::milliseconds, std::function<void()>) override {}
  sdk::Result<sdk::KeyPairPem> sandbox_keypair(std::string_view name) noexcept override {
    ++sandbox_asks;
    const auto it = sandbox.find(std::string(name));
    if (it == sandbox.end()) {
      return sdk::make_error(sdk::ErrorKind::not_found, "no_keypair", "no such sandbox key pair");
    }
    return it->second;
  }

  bool live = false;
  int sandbox_asks = 0;
  std::string base_url = "http://127.0.0.1:8080";
  std::map<std::string, sdk::KeyPairPem> sandbox;
  RecordingLogger log;
  MovableClock time;
  ScriptedHttp web;
  NoCharges charge_service;
  NoDatabase db;
};

}  // namespace payhost::wechat::testing
