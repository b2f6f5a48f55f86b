#include "options.hpp"

#include <charconv>

namespace payhost::sandbox_alipay {
namespace {

sdk::OptionSpec spec(std::string name, sdk::OptionType type, sdk::Json default_value,
                     std::string description) {
  sdk::OptionSpec s;
  s.name = std::move(name);
  s.type = type;
  s.default_value = std::move(default_value);
  s.description = std::move(description);
  return s;
}

sdk::Error option_error(std::string message, std::string param) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_option", std::move(message),
                         std::move(param));
}

}  // namespace

std::vector<sdk::OptionSpec> option_specs() {
  const SandboxOptions defaults;
  sdk::Json retry = sdk::Json::array();
  for (auto delay : defaults.notify_retry)
    retry.push_back(std::to_string(delay.count()));

  std::vector<sdk::OptionSpec> specs;
  specs.push_back(spec("alipay_app_id", sdk::OptionType::string, defaults.alipay_app_id,
                       "The only merchant app id the simulated Alipay gateway knows; the "
                       "alipay channel's app_id must equal it."));
  specs.push_back(spec("alipay_seller_id", sdk::OptionType::string, defaults.alipay_seller_id,
                       "seller_id (2088...) the simulator puts in notifications."));
  specs.push_back(spec("notify_retry_ms", sdk::OptionType::string_list, retry,
                       "Delays in milliseconds (integers written as strings) between "
                       "notification attempts after the first, synchronous one; the last "
                       "delay repeats. Real Alipay waits 4m, 10m, 10m, 1h, 2h, 6h, 15h."));
  auto attempts =
      spec("notify_max_attempts", sdk::OptionType::integer, defaults.notify_max_attempts,
           "Give up a notification after this many attempts (the first included).");
  attempts.min = 1;
  attempts.max = 1000;
  specs.push_back(std::move(attempts));
  auto window =
      spec("timestamp_window_seconds", sdk::OptionType::integer, defaults.timestamp_window_seconds,
           "Gateway requests whose timestamp is further than this from the host "
           "clock are refused with isv.invalid-timestamp.");
  window.min = 1;
  window.max = 7 * 86400;
  specs.push_back(std::move(window));
  return specs;
}

sdk::Result<SandboxOptions> read_options(const sdk::Options& options) {
  SandboxOptions out;
  out.alipay_app_id = options.get_string("alipay_app_id", out.alipay_app_id);
  out.alipay_seller_id = options.get_string("alipay_seller_id", out.alipay_seller_id);
  if (out.alipay_app_id.empty()) return option_error("must not be empty", "alipay_app_id");
  if (out.alipay_seller_id.empty()) return option_error("must not be empty", "alipay_seller_id");
  if (options.has("notify_retry_ms")) {
    out.notify_retry.clear();
    for (const auto& text : options.get_list("notify_retry_ms")) {
      long long value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size() || value <= 0 ||
          value > 86400LL * 1000) {
        return option_error("entry '" + text + "' is not a positive integer of milliseconds",
                            "notify_retry_ms");
      }
      out.notify_retry.emplace_back(value);
    }
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
