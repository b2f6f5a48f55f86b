// An in-process host for the campus plugin's component tests: SQLite in memory, a clock
// the test sets, and a charge service that settles through the plugin's hook inside a
// transaction the way the real core does. The real host is exercised by campus_api_test.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "payhost/sdk/host.hpp"
#include "payhost/sdk/product.hpp"

namespace payhost::campus::testing {

class FakeClock : public sdk::Clock {
 public:
  std::int64_t now() const noexcept override { return now_; }
  std::int64_t now_ = 0;
};

class FakeLogger : public sdk::Logger {
 public:
  void log(sdk::LogLevel level, std::string_view message) noexcept override;
  std::vector<std::string> lines;
  std::mutex mutex;
};

class SqliteDatabase : public sdk::Database {
 public:
  SqliteDatabase();
  sdk::Dialect dialect() const noexcept override { return sdk::Dialect::sqlite; }
  sdk::Status transact(const std::function<sdk::Status(soci::session&)>& work) noexcept override;
  sdk::Status with_session(
      const std::function<sdk::Status(soci::session&)>& work) noexcept override;
  soci::session sql;
  std::recursive_mutex mutex;
};

class FakeCharges : public sdk::ChargeService {
 public:
  FakeCharges(sdk::Host& host, SqliteDatabase& db, FakeClock& clock)
      : host_(host), db_(db), clock_(clock) {}
  sdk::Result<sdk::Charge> create(const sdk::NewCharge& request) noexcept override;
  sdk::Result<sdk::Charge> get(const std::string& charge_id) noexcept override;
  sdk::Result<sdk::Charge> get_by_order_no(const std::string& order_no) noexcept override;
  sdk::Result<sdk::Charge> retrieve(const std::string& charge_id) noexcept override;
  std::vector<std::string> enabled_channels() const override { return enabled; }

  // What a notification would do: pending -> succeeded, the product hook in the same
  // transaction. Repeats are no-ops, as in the core.
  sdk::Status settle(const std::string& charge_id);
  // Calls the hook again regardless of state: proves the plugin's own guard.
  sdk::Status settle_again_unconditionally(const std::string& charge_id);

  sdk::ProductPlugin* plugin = nullptr;
  std::vector<std::string> enabled = {"testpay", "alipay_wap"};
  std::map<std::string, sdk::Charge> charges;
  std::vector<sdk::NewCharge> requests;
  std::map<std::string, bool> paid_at_provider;
  int retrieve_calls = 0;
  bool fail_create = false;

 private:
  sdk::Host& host_;
  SqliteDatabase& db_;
  FakeClock& clock_;
  int next_ = 1;
};

class NoHttp : public sdk::HttpClient {
 public:
  sdk::Result<sdk::OutboundResponse> send(const sdk::OutboundRequest&) noexcept override {
    return sdk::make_error(sdk::ErrorKind::unavailable, "no_network", "tests have no network");
  }
};

class FakeHost : public sdk::Host {
 public:
  FakeHost() : charges_(*this, fake_db, fake_clock) {}
  bool livemode() const noexcept override { return false; }
  std::string app_id() const override { return "app_5anXP4ezfXvL8m5e"; }
  std::string public_url() const override { return "http://127.0.0.1:1"; }
  std::string notify_url(std::string_view plugin) const override {
    return public_url() + "/notify/" + std::string(plugin);
  }
  std::string data_dir() const override { return "/tmp"; }
  sdk::Logger& logger() noexcept override { return fake_log; }
  const sdk::Clock& clock() const noexcept override { return fake_clock; }
  sdk::HttpClient& http() noexcept override { return http_; }
  sdk::ChargeService& charges() noexcept override { return charges_; }
  sdk::Database& database() noexcept override { return fake_db; }
  void schedule(std::chrono::milliseconds, std::function<void()>) override {}
  sdk::Result<sdk::KeyPairPem> sandbox_keypair(std::string_view) noexcept override {
    return sdk::make_error(sdk::ErrorKind::internal, "unsupported", "no sandbox keys");
  }

  FakeCharges& fake_charges() { return charges_; }

  FakeClock fake_clock;
  FakeLogger fake_log;
  SqliteDatabase fake_db;

 private:
  NoHttp http_;
  FakeCharges charges_;
};

}  // namespace payhost::campus::testing
