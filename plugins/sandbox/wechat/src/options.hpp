// The simulator's option table and its typed, checked form.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sandbox_wechat {

// How answers and notifications name the platform key in Wechatpay-Serial: by its
// certificate serial (the classic platform-certificate mode) or by its public key id
// (WeChat's newer "PUB_KEY_ID_…" mode).
enum class SerialStyle { certificate, public_key };

struct SimOptions {
  std::string mchid = "1230000109";
  std::vector<std::string> app_ids = {"wxd678efh567hg6787"};
  SerialStyle serial_style = SerialStyle::certificate;
  // Delays between notification attempts after the first (synchronous) one: WeChat's own
  // schedule (15s 15s 30s 3m 10m 20m 30m 30m 30m 60m 3h 3h 3h 6h 6h); the last repeats.
  std::vector<std::chrono::milliseconds> notify_retry = {
      std::chrono::seconds(15), std::chrono::seconds(15), std::chrono::seconds(30),
      std::chrono::minutes(3),  std::chrono::minutes(10), std::chrono::minutes(20),
      std::chrono::minutes(30), std::chrono::minutes(30), std::chrono::minutes(30),
      std::chrono::minutes(60), std::chrono::hours(3),    std::chrono::hours(3),
      std::chrono::hours(3),    std::chrono::hours(6),    std::chrono::hours(6)};
  // The first attempt plus the 15 retries of WeChat's schedule.
  int notify_max_attempts = 16;
  std::int64_t timestamp_window_seconds = 300;

  bool knows_app_id(const std::string& app_id) const;
};

std::vector<sdk::OptionSpec> option_specs();

// The host validated types and filled defaults; this checks what a table cannot say
// (mchid digits, app id shapes, each notify_retry_ms entry a positive integer).
sdk::Result<SimOptions> read_options(const sdk::Options& options);

}  // namespace payhost::sandbox_wechat
