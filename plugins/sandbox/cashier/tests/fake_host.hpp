// A Host and a Simulator for the cashier's unit tests: charges kept in a map, simulators
// registered by channel, and a simulator whose answers the test scripts and whose calls
// it records.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "payhost/sdk/host.hpp"
#include "payhost/sdk/simulator.hpp"

namespace payhost::cashier::testing {

class FakeLogger : public sdk::Logger {
 public:
  void log(sdk::LogLevel, std::string_view message) noexcept override;
  std::vector<std::string> lines;
};

class FakeClock : public sdk::Clock {
 public:
  std::int64_t now() const noexcept override { return 1703141677; }
};

class NoHttp : public sdk::HttpClient {
 public:
  sdk::Result<sdk::OutboundResponse> send(const sdk::OutboundRequest&) noexcept override;
};

class NoDatabase : public sdk::Database {
 public:
  sdk::Dialect dialect() const noexcept override { return sdk::Dialect::sqlite; }
  sdk::Status transact(const std::function<sdk::Status(soci::session&)>&) noexcept override;
  sdk::Status with_session(const std::function<sdk::Status(soci::session&)>&) noexcept override;
};

class FakeCharges : public sdk::ChargeService {
 public:
  sdk::Result<sdk::Charge> create(const sdk::NewCharge& request) noexcept override;
  sdk::Result<sdk::Charge> get(const std::string& charge_id) noexcept override;
  sdk::Result<sdk::Charge> get_by_order_no(const std::string& order_no) noexcept override;
  sdk::Result<sdk::Charge> retrieve(const std::string& charge_id) noexcept override;
  std::vector<std::string> enabled_channels() const override { return {}; }

  std::map<std::string, sdk::Charge> charges;
  std::optional<sdk::Error> failure;  // when set, get() answers it
  int lookups = 0;
};

class FakeSimulator : public sdk::Simulator {
 public:
  std::vector<std::string> channels() const override { return served; }
  sdk::Result<sdk::CashierView> inspect(const sdk::Charge& charge) noexcept override;
  sdk::Result<sdk::CashierResult> act(const sdk::Charge& charge,
                                      sdk::CashierAction action) noexcept override;

  std::vector<std::string> served = {"fakepay"};
  sdk::Result<sdk::CashierView> view = sdk::CashierView{};
  sdk::Result<sdk::CashierResult> result = sdk::CashierResult{};
  std::vector<std::string> inspected;  // charge ids
  std::vector<std::pair<std::string, sdk::CashierAction>> acted;
};

class FakeHost : public sdk::Host {
 public:
  bool livemode() const noexcept override { return livemode_; }
  std::string app_id() const override { return "app_5anXP4ezfXvL8m5e"; }
  std::string public_url() const override { return "http://cashier.test"; }
  std::string notify_url(std::string_view plugin) const override {
    return public_url() + "/notify/" + std::string(plugin);
  }
  std::string data_dir() const override { return "/nonexistent"; }
  sdk::Logger& logger() noexcept override { return logger_; }
  const sdk::Clock& clock() const noexcept override { return clock_; }
  sdk::HttpClient& http() noexcept override { return http_; }
  sdk::ChargeService& charges() noexcept override { return charges_; }
  sdk::Database& database() noexcept override { return db_; }
  void schedule(std::chrono::milliseconds, std::function<void()>) override {}
  sdk::Result<sdk::KeyPairPem> sandbox_keypair(std::string_view name) noexcept override;
  // Like the host: the registered simulator declaring `channel`, none in live mode.
  sdk::Simulator* simulator_for(std::string_view channel) noexcept override;

  bool livemode_ = false;
  FakeLogger logger_;
  FakeClock clock_;
  NoHttp http_;
  NoDatabase db_;
  FakeCharges charges_;
  std::vector<sdk::Simulator*> simulators_;
};

}  // namespace payhost::cashier::testing
