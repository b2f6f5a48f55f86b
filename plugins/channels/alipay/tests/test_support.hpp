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
#include "payhost/sdk/host.hpp"

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

class RecordingLogger final : public sdk::Logger {
 public:
  void log(sdk::LogLevel, std::string_view message) noexcept override {
    try {
      std::lock_guard lock(mu_);
      lines.emplace_back(message);
    } catch (...) {
    }
  }
  std::vector<std::string> lines;

 private:
  std::mutex mu_;
};

class FixedClock final : public sdk::Clock {
 public:
  std::int64_t now() const noexcept override { return now_s; }
  std::int64_t now_s = 1703141270;  // 2023-12-21 14:47:50 in Beijing
};

// Answers from a handler, or from a queue of canned responses; records what was sent.
class FakeHttp final : public sdk::HttpClient {
 public:
  using Handler = std::function<sdk::Result<sdk::OutboundResponse>(const sdk::OutboundRequest&)>;

  sdk::Result<sdk::OutboundResponse> send(const sdk::OutboundRequest& request) noexcept override {
    try {
      sent.push_back(request);
      if (!replies.empty()) {
        auto r = replies.front();
        replies.pop_front();
        return r;
      }
      if (handler) return handler(request);
      return sdk::make_error(sdk::ErrorKind::unavailable, "timeout", "timed out after 10000 ms");
    } catch (...) {
      return sdk::make_error(sdk::ErrorKind::internal, "test", "fake http threw");
    }
  }

  void reply(int status, std::string body) {
    sdk::OutboundResponse r;
    r.status = status;
    r.body = std::move(body);
    replies.emplace_back(std::move(r));
  }
  void fail(sdk::ErrorKind kind = sdk::ErrorKind::unavailable) {
    replies.emplace_back(sdk::make_error(kind, "timeout", "timed out after 10000 ms"));
  }

  std::vector<sdk::OutboundRequest> sent;
  std::deque<sdk::Result<sdk::OutboundResponse>> replies;
  Handler handler;
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
    sandbox["alipay-merchant"] = merchant_pair();
    sandbox["alipay-platform"] = platform_pair();
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
    const auto it = sandbox.find(std::string(name));
    if (it == sandbox.end()) {
      return sdk::make_error(sdk::ErrorKind::not_found, "no_keypair", "no such sandbox key pair");
    }
    return it->second;
  }

  bool live = false;
  std::string base_url = "http://127.0.0.1:8080";
  std::map<std::string, sdk::KeyPairPem> sandbox;
  RecordingLogger log;
  FixedClock time;
  FakeHttp web;
  NoCharges charge_service;
  NoDatabase db;
};

}  // namespace payhost::alipay::testing
