// The simulator's option table and its typed, checked form.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sandbox_unionpay {

struct SimOptions {
  // The test merchant of the published UnionPay vectors, which the unionpay channel
  // defaults to as well.
  std::string mer_id = "777290058167151";
  // Delays between back-notification attempts after the first (synchronous) one:
  // UnionPay sends at 0, 1, 2 and 4 minutes. The last delay repeats if more attempts are
  // allowed than delays listed.
  std::vector<std::chrono::milliseconds> notify_retry = {
      std::chrono::minutes(1), std::chrono::minutes(2), std::chrono::minutes(4)};
  int notify_max_attempts = 4;
  // How far txnTime may be from the host clock (it must be "the current time").
  std::int64_t txn_time_window_seconds = 300;
};

std::vector<sdk::OptionSpec> option_specs();

// The host validated types and filled defaults; this checks what a table cannot say
// (mer_id 15 digits, each notify_retry_ms entry a positive integer).
sdk::Result<SimOptions> read_options(const sdk::Options& options);

}  // namespace payhost::sandbox_unionpay
