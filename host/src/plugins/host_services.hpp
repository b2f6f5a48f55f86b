// The sdk::Host each plugin receives: shared services plus a logger named after it.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "config/config.hpp"
#include "http/http_client.hpp"
#include "observability/logging.hpp"
#include "payhost/sdk/host.hpp"
#include "plugins/sandbox_keys.hpp"
#include "storage/database.hpp"
#include "threads/scheduler.hpp"

namespace payhost::host {

class PluginRegistry;

struct SharedServices {
  SharedServices(const Config& c, const sdk::Clock& clk, CurlHttpClient& h, sdk::ChargeService& ch,
                 Db& d, Scheduler& s, std::string sandbox_key_dir)
      : config(c),
        clock(clk),
        http(h),
        charges(ch),
        db(d),
        scheduler(s),
        sandbox_keys(std::move(sandbox_key_dir)) {}

  const Config& config;
  const sdk::Clock& clock;
  CurlHttpClient& http;
  sdk::ChargeService& charges;
  Db& db;
  Scheduler& scheduler;
  SandboxKeys sandbox_keys;
  PluginRegistry* plugins = nullptr;  // for simulator_for; loaded before any plugin starts

  void set_public_url(std::string url);
  std::string public_url() const;

 private:
  mutable std::mutex mutex_;
  std::string public_url_;
};

class HostServices final : public sdk::Host {
 public:
  HostServices(std::string plugin, SharedServices& shared)
      : shared_(shared), logger_(std::move(plugin)) {}

  bool livemode() const noexcept override { return shared_.config.livemode; }
  std::string app_id() const override { return shared_.config.app_id; }
  std::string public_url() const override { return shared_.public_url(); }
  std::string notify_url(std::string_view plugin) const override;
  std::string data_dir() const override { return shared_.config.data_dir; }
  sdk::Logger& logger() noexcept override { return logger_; }
  const sdk::Clock& clock() const noexcept override { return shared_.clock; }
  sdk::HttpClient& http() noexcept override { return shared_.http; }
  sdk::ChargeService& charges() noexcept override { return shared_.charges; }
  sdk::Database& database() noexcept override { return shared_.db; }
  void schedule(std::chrono::milliseconds delay, std::function<void()> task) override;
  sdk::Result<sdk::KeyPairPem> sandbox_keypair(std::string_view name) noexcept override;
  sdk::Simulator* simulator_for(std::string_view channel) noexcept override;

 private:
  SharedServices& shared_;
  ComponentLogger logger_;
};

}  // namespace payhost::host
