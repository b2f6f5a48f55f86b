// An in-process sdk::Host for a plugin's component tests: a clock the test moves, the
// provider's answers scripted with faults, SQLite in memory, a log the test reads back, a
// charge core in miniature, scheduled tasks the test runs, sandbox key pairs and simulators.
//
//   payhost::sdk::testing::FakeHost host;
//   host.provider.reply(200, R"({"code":"10000"})");
//   MyChannel plugin;
//   ASSERT_TRUE(plugin.start(host, options, {"mychannel"}).ok());
//   host.clock.advance(std::chrono::minutes(5));
//   host.run_scheduled();
//
// A plugin's integration tests use the real payhostd instead (payhost/sdk/testing/payhostd.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "payhost/sdk/host.hpp"
#include "payhost/sdk/simulator.hpp"
#include "payhost/sdk/testing/fake_charges.hpp"
#include "payhost/sdk/testing/manual_clock.hpp"
#include "payhost/sdk/testing/memory_database.hpp"
#include "payhost/sdk/testing/recording_logger.hpp"
#include "payhost/sdk/testing/scripted_http.hpp"

namespace payhost::sdk::testing {

class FakeHost : public Host {
 public:
  static constexpr const char* kAppId = "app_5anXP4ezfXvL8m5e";

  // `data_dir` empty: a fresh directory of its own, removed with the host. Given: that
  // directory, kept (two hosts sharing one, as two payhostd on one data_dir would).
  explicit FakeHost(std::string data_dir = "");
  ~FakeHost() override;
  FakeHost(const FakeHost&) = delete;
  FakeHost& operator=(const FakeHost&) = delete;

  bool livemode() const noexcept override { return live; }
  std::string app_id() const override { return kAppId; }
  std::string public_url() const override { return base_url; }
  std::string notify_url(std::string_view plugin) const override;
  std::string data_dir() const override { return data_dir_.string(); }
  Logger& logger() noexcept override { return log; }
  const Clock& clock() const noexcept override { return time; }
  HttpClient& http() noexcept override { return provider; }
  ChargeService& charges() noexcept override { return charge_core; }
  Database& database() noexcept override { return db; }

  // Queued, not run: the test runs them (run_scheduled) when it wants them to happen.
  void schedule(std::chrono::milliseconds delay, std::function<void()> task) override;
  // A stable RSA-2048 pair per name, shared by every FakeHost in the process (generating
  // one costs tens of milliseconds); refused in live mode, as the host does.
  Result<KeyPairPem> sandbox_keypair(std::string_view name) noexcept override;
  Simulator* simulator_for(std::string_view channel) noexcept override;

  // Runs the tasks queued so far whose delay has passed on `time` (all of them when
  // `all`), in the order they fall due; returns how many ran. Tasks they queue wait for
  // the next call.
  int run_scheduled(bool all = false);
  // Runs the oldest queued task, due or not; false when none is queued.
  bool run_next_scheduled();
  std::size_t scheduled() const;
  std::vector<std::chrono::milliseconds> scheduled_delays() const;  // as asked, oldest first
  // sandbox_keypair(name) answers this pair (a fixture's, or one a simulator test shares).
  void use_sandbox_keypair(std::string name, KeyPairPem pair);
  int sandbox_key_requests() const;  // sandbox_keypair() calls so far
  // The simulator answers simulator_for() for each channel it declares.
  void add_simulator(Simulator& simulator);

  // Settable before start(): what the plugin sees.
  bool live = false;
  std::string base_url = "http://127.0.0.1:1";

  ManualClock time;
  RecordingLogger log;
  ScriptedHttp provider;
  MemoryDatabase db;
  FakeChargeService charge_core;

 private:
  struct Task {
    std::int64_t due_ms;
    std::chrono::milliseconds delay;
    std::function<void()> run;
  };
  std::filesystem::path data_dir_;
  bool owns_data_dir_;
  mutable std::mutex mutex_;
  std::vector<Task> tasks_;
  std::map<std::string, Simulator*, std::less<>> simulators_;
  std::map<std::string, KeyPairPem, std::less<>> own_keys_;
  int key_requests_ = 0;
};

}  // namespace payhost::sdk::testing
