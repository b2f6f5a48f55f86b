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
  SharedServices(const Config& c, const sdk::Clock& clk, CurlHttpClient& h, Db& d, Scheduler& s,
                 std::string sandbox_key_dir)
      : config(c),
        clock(clk),
        http(h),
        db(d),
        scheduler(s),
        sandbox_keys(std::move(sandbox_key_dir)) {}

  const Config& config;
  const sdk::Clock& clock;
  CurlHttpClient& http;
  Db& db;
  Scheduler& scheduler;
  SandboxKeys sandbox_keys;
  PluginRegistry* plugins = nullptr;  // for simulator_for; loaded before any plugin starts

  void set_public_url(std::string url);
  std::string public_url() const;
  // public_url + "/notify/" + plugin, where providers post a channel's notifications (the
  // one place this URL is made: channels are told it and the charge core records it).
  std::string notify_url(std::string_view plugin) const;

 private:
  mutable std::mutex mutex_;
  std::string public_url_;
};

class HostServices final : public sdk::Host {
 public:
  // `charges`: this plugin's view of the charge core (it stamps the plugin as the product).
  HostServices(std::string plugin, SharedServices& shared, sdk::ChargeService& charges)
      : shared_(shared), charges_(charges), logger_(std::move(plugin)) {}

  bool livemode() const noexcept override { return shared_.config.livemode; }
  std::string app_id() const override { return shared_.config.app_id; }
  std::string public_url() const override { return shared_.public_url(); }
  std::string notify_url(std::string_view plugin) const override;
  std::string data_dir() const override { return shared_.config.data_dir; }
  sdk::Logger& logger() noexcept override { return logger_; }
  const sdk::Clock& clock() const noexcept override { return shared_.clock; }
  sdk::HttpClient& http() noexcept override { return shared_.http; }
  sdk::ChargeService& charges() noexcept override { return charges_; }
  sdk::Database& database() noexcept override { return shared_.db; }
  void schedule(std::chrono::milliseconds delay, std::function<void()> task) override;
  sdk::Result<sdk::KeyPairPem> sandbox_keypair(std::string_view name) noexcept override;
  sdk::Simulator* simulator_for(std::string_view channel) noexcept override;

 private:
  SharedServices& shared_;
  sdk::ChargeService& charges_;
  ComponentLogger logger_;
};

}  // namespace payhost::host
