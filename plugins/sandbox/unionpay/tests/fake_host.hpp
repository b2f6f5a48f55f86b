// A Host for unit tests: in-memory SQLite, a settable clock, scripted outbound HTTP,
// charges kept in a map, scheduled tasks the test runs by hand, a data directory of its
// own (removed afterwards) and the seven unionpay-* sandbox key pairs (test keys 0-6).
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

namespace payhost::sandbox_unionpay::testing {

class FakeLogger : public sdk::Logger {
 public:
  void log(sdk::LogLevel, std::string_view message) noexcept override;
  std::vector<std::string> lines;
  std::mutex mutex;
};

class FakeClock : public sdk::Clock {
 public:
  std::int64_t now() const noexcept override { return now_.load(); }
  std::atomic<std::int64_t> now_{1733384096};  // 2024-12-05 15:34:56 Beijing time
};

class FakeHttp : public sdk::HttpClient {
 public:
  sdk::Result<sdk::OutboundResponse> send(const sdk::OutboundRequest& request) noexcept override;
  std::vector<sdk::OutboundRequest> sent;
  // Answers in order; when empty, `fallback` answers (the merchant's "ok").
  std::deque<sdk::Result<sdk::OutboundResponse>> answers;
  sdk::OutboundResponse fallback{200, {}, "ok"};
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
  std::mutex mutex;
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

// A fresh directory under the system's temporary one, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class FakeHost : public sdk::Host {
 public:
  // `data_dir` empty: a TempDir of its own.
  explicit FakeHost(std::string data_dir = "");

  bool livemode() const noexcept override { return livemode_; }
  std::string app_id() const override { return "app_5anXP4ezfXvL8m5e"; }
  std::string public_url() const override { return "http://sandbox.test"; }
  std::string notify_url(std::string_view plugin) const override {
    return public_url() + "/notify/" + std::string(plugin);
  }
  std::string data_dir() const override { return data_dir_; }
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
  std::unique_ptr<TempDir> own_dir_;
  std::string data_dir_;
  std::mutex schedule_mutex_;
  std::deque<Scheduled> scheduled_;
};

}  // namespace payhost::sandbox_unionpay::testing
