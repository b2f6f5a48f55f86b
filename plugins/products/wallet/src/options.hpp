// The wallet's option table and the typed configuration parsed from it once, at start.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "payhost/sdk/money.hpp"
#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::wallet {

struct WalletConfig {
  std::vector<sdk::Fen> labels;             // recharge presets shown by the clients
  std::int64_t ratio = 100;                 // display conversion, percent
  std::string rule;                         // recharge/withdrawal rules text
  std::vector<std::string> cash_types;      // withdrawal methods; empty = withdrawals off
  sdk::Fen case_min_amount = 1;             // smallest withdrawal
  std::vector<std::string> recharge_types;  // offered channels, before ∩ enabled channels
  sdk::Fen recharge_max = 1'000'000;        // largest single recharge
  int cash_rate_limit = 5;                  // withdrawal requests per window per user; 0 = off
  int cash_rate_window_seconds = 6;
};

std::vector<sdk::OptionSpec> wallet_option_specs();

// Checks what the generic table cannot express (labels are positive integers within the
// recharge limit) and builds the configuration.
sdk::Result<WalletConfig> parse_wallet_config(const sdk::Options& options);

}  // namespace payhost::wallet
