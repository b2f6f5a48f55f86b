// A Host for unit tests: in-memory SQLite, a settable clock, scripted outbound HTTP,
// charges kept in a map, scheduled tasks the test runs by hand, and the two sandbox key
// pairs ("wechat-merchant" = test key 0, "wechat-platform" = test key 1).
#pragma once

#include <atomic>
#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "payhost/sdk/host.hpp"

namespace soci {
class session;
}

namespace payhost::sandbox_wechat::testing {

class FakeLogger : public sdk::Logger {
 public:
  void log(sdk::LogLevel, std::string_view message) noexcept override;
  std::vector<std::string> lines;
  std::mutex mutex;
};

class FakeClock : public sdk::Clock {
 public:
  std::int64_t now() const noexcept override { return now_.load(); }
  std::atomic<std::int64_t> now_{1703141677};  // 2023-12-21T14:54:37+08:00
};

class FakeHttp : public sdk::HttpClient {
 public:
  sdk::Result<sdk::OutboundResponse> send(const sdk::OutboundRequest& request) noexcept override;
  std::vector<sdk::OutboundRequest> sent;
  // Answers in order; when empty, `fallback` answers (WeChat's "received": 200, no body).
  std::deque<sdk::Result<sdk::OutboundResponse>> answers;
  sdk::OutboundResponse fallback{200, {}, ""};
  std::mutex mutex;
};

class FakeCharges : public sdk::ChargeService {
 public:
  sdk::Result<sdk::Charge> create(const sdk::NewCharge& request) noexcept override;
  sdk::Result<sdk::Charge> get(const std::string& charge_id) noexcept override;
  sdk::Result<sdk::Charge> get_by_order_no(const std::string& order_no) noexcept override;
  sdk::Result<sdk::Charge> retrieve(const std::string& charge_id) noexcept override;
  std::vector<std::string> enabled_channels() const override;
  std::map<std::string, sdk::Charge> charges;
};

class SqliteDatabase : public sdk::Database {
 public:
  SqliteDatabase();
  ~SqliteDatabase() override;
  sdk::Dialect dialect() const noexcept override { return sdk::Dialect::sqlite; }
  sdk::Status transact(const std::function<sdk::Status(soci::session&)>& work) noexcept override;
  sdk::Status with_session(
      const std::function<sdk::Status(soci::session&)>& work) noexcept override;
  void run(const std::string& statement);

 private:
  std::mutex mutex_;
  std::unique_ptr<soci::session> session_;
};

struct Scheduled {
  std::chrono::milliseconds delay;
  std::function<void()> task;
};

class FakeHost : public sdk::Host {
 public:
  bool livemode() const noexcept override { return livemode_; }
  std::string app_id() const override { return "app_5anXP4ezfXvL8m5e"; }
  std::string public_url() const override { return "http://sandbox.test"; }
  std::string notify_url(std::string_view plugin) const override {
    return public_url() + "/notify/" + std::string(plugin);
  }
  std::string data_dir() const override { return "/tmp"; }
  sdk::Logger& logger() noexcept override { return logger_; }
  const sdk::Clock& clock() const noexcept override { return clock_; }
  sdk::HttpClient& http() noexcept override { return http_; }
  sdk::ChargeService& charges() noexcept override { return charges_; }
  sdk::Database& database() noexcept override { return db_; }
  void schedule(std::chrono::milliseconds delay, std::function<void()> task) override;
  sdk::Result<sdk::KeyPairPem> sandbox_keypair(std::string_view name) noexcept override;

  // Runs the oldest scheduled task; false if none.
  bool run_next_scheduled();
  std::size_t scheduled_count();
  std::vector<std::chrono::milliseconds> scheduled_delays();

  bool livemode_ = false;
  FakeLogger logger_;
  FakeClock clock_;
  FakeHttp http_;
  FakeCharges charges_;
  SqliteDatabase db_;

 private:
  std::mutex schedule_mutex_;
  std::deque<Scheduled> scheduled_;
};

}  // namespace payhost::sandbox_wechat::testing
