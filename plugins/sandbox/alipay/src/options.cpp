#include "options.hpp"

#include <cstdint>

namespace payhost::sandbox_alipay {
namespace {

constexpr std::int64_t kMaxRetryDelayMs = 86400LL * 1000;  // one day

sdk::Error option_error(std::string message, std::string param) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_option", std::move(message),
                         std::move(param));
}

}  // namespace

std::vector<sdk::OptionSpec> option_specs() {
  namespace option = sdk::option;
  const SandboxOptions defaults;
  sdk::Json retry = sdk::Json::array();
  for (auto delay : defaults.notify_retry)
    retry.push_back(delay.count());
  return {
      option::string("alipay_app_id",
                     "The only merchant app id the simulated Alipay gateway knows; the alipay "
                     "channel's app_id must equal it.")
          .with_default(defaults.alipay_app_id),
      option::string("alipay_seller_id", "seller_id (2088...) the simulator puts in notifications.")
          .with_default(defaults.alipay_seller_id),
      option::integer_list("notify_retry_ms",
                           "Delays in milliseconds between notification attempts after the "
                           "first, synchronous one; the last delay repeats. Real Alipay waits "
                           "4m, 10m, 10m, 1h, 2h, 6h, 15h.")
          .with_default(retry)
          .in_range(1, kMaxRetryDelayMs),
      option::integer("notify_max_attempts",
                      "Give up a notification after this many attempts (the first included).")
          .with_default(defaults.notify_max_attempts)
          .in_range(1, 1000),
      option::integer("timestamp_window_seconds",
                      "Gateway requests whose timestamp is further than this from the host "
                      "clock are refused with isv.invalid-timestamp.")
          .with_default(defaults.timestamp_window_seconds)
          .in_range(1, 7 * 86400),
  };
}

sdk::Result<SandboxOptions> read_options(const sdk::Options& options) {
  SandboxOptions out;
  out.alipay_app_id = options.get_string("alipay_app_id", out.alipay_app_id);
  out.alipay_seller_id = options.get_string("alipay_seller_id", out.alipay_seller_id);
  if (out.alipay_app_id.empty()) return option_error("must not be empty", "alipay_app_id");
  if (out.alipay_seller_id.empty()) return option_error("must not be empty", "alipay_seller_id");
  if (options.has("notify_retry_ms")) {
    out.notify_retry.clear();
    // Each entry is an integer within the table's bounds: the host checked it.
    for (const std::int64_t delay : options.get_int_list("notify_retry_ms"))
      out.notify_retry.emplace_back(delay);
    if (out.notify_retry.empty()) {
      return option_error("needs at least one delay", "notify_retry_ms");
    }
  }
  out.notify_max_attempts =
      static_cast<int>(options.get_int("notify_max_attempts", out.notify_max_attempts));
  out.timestamp_window_seconds =
      options.get_int("timestamp_window_seconds", out.timestamp_window_seconds);
  if (out.notify_max_attempts < 1) {
    return option_error("must be at least 1", "notify_max_attempts");
  }
  if (out.timestamp_window_seconds < 1) {
    return option_error("must be at least 1", "timestamp_window_seconds");
  }
  return out;
}

}  // namespace payhost::sandbox_alipay
