// The sandbox's option table and its typed, checked form.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sandbox_alipay {

struct SandboxOptions {
  std::string alipay_app_id = "9021000000000001";
  std::string alipay_seller_id = "2088000000000001";
  // Delays between notification attempts after the first (synchronous) one; the last
  // delay repeats until notify_max_attempts attempts were made.
  std::vector<std::chrono::milliseconds> notify_retry = {
      std::chrono::milliseconds(1000),  std::chrono::milliseconds(2000),
      std::chrono::milliseconds(5000),  std::chrono::milliseconds(10000),
      std::chrono::milliseconds(30000), std::chrono::milliseconds(60000)};
  int notify_max_attempts = 20;
  std::int64_t timestamp_window_seconds = 600;
};

std::vector<sdk::OptionSpec> option_specs();

// The host validated types and filled defaults; this checks what a table cannot say
// (each notify_retry_ms entry is a positive integer).
sdk::Result<SandboxOptions> read_options(const sdk::Options& options);

}  // namespace payhost::sandbox_alipay
