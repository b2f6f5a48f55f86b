#include "options.hpp"

#include <algorithm>
#include <cstdint>

namespace payhost::sandbox_unionpay {
namespace {

constexpr std::int64_t kMaxRetryDelayMs = 86400LL * 1000;  // one day

sdk::Error option_error(std::string message, std::string param) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_option",
                         param + ": " + std::move(message), param);
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<sdk::OptionSpec> option_specs() {
  namespace option = sdk::option;
  const SimOptions defaults;
  sdk::Json retry = sdk::Json::array();
  for (auto delay : defaults.notify_retry)
    retry.push_back(delay.count());
  return {
      option::string("mer_id",
                     "The merchant number (merId, 15 digits) the simulated UnionPay knows; the "
                     "unionpay channel's mer_id must equal it. Its name is also in the CN of "
                     "the generated merchant.pfx certificate.")
          .with_default(defaults.mer_id),
      option::integer_list("notify_retry_ms",
                           "Delays in milliseconds between back notification attempts after the "
                           "first, synchronous one; the last delay repeats. The default is "
                           "UnionPay's schedule (1, 2, 4 minutes).")
          .with_default(retry)
          .in_range(1, kMaxRetryDelayMs),
      option::integer("notify_max_attempts",
                      "Give up a back notification after this many attempts (the first "
                      "included).")
          .with_default(defaults.notify_max_attempts)
          .in_range(1, 1000),
      option::integer("txn_time_window_seconds",
                      "Requests whose txnTime (Beijing time) is this far or further from the "
                      "host clock are refused with respCode 39.")
          .with_default(defaults.txn_time_window_seconds)
          .in_range(1, 86400),
  };
}

sdk::Result<SimOptions> read_options(const sdk::Options& options) {
  SimOptions out;
  out.mer_id = options.get_string("mer_id", out.mer_id);
  if (!all_digits(out.mer_id) || out.mer_id.size() != 15) {
    return option_error("must be 15 digits", "mer_id");
  }
  if (options.has("notify_retry_ms")) {
    out.notify_retry.clear();
    // Each entry is an integer within the table's bounds: the host checked it.
    for (const std::int64_t delay : options.get_int_list("notify_retry_ms"))
      out.notify_retry.emplace_back(delay);
    if (out.notify_retry.empty())
      return option_error("needs at least one delay", "notify_retry_ms");
  }
  const std::int64_t attempts = options.get_int("notify_max_attempts", out.notify_max_attempts);
  if (attempts < 1 || attempts > 1000) return option_error("must be 1-1000", "notify_max_attempts");
  out.notify_max_attempts = static_cast<int>(attempts);
  out.txn_time_window_seconds =
      options.get_int("txn_time_window_seconds", out.txn_time_window_seconds);
  if (out.txn_time_window_seconds < 1 || out.txn_time_window_seconds > 86400) {
    return option_error("must be 1-86400", "txn_time_window_seconds");
  }
  return out;
}

}  // namespace payhost::sandbox_unionpay
