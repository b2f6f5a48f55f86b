#include "options.hpp"

#include <algorithm>
#include <charconv>

namespace payhost::sandbox_unionpay {
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
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_option",
                         param + ": " + std::move(message), param);
}

bool all_digits(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::vector<sdk::OptionSpec> option_specs() {
  const SimOptions defaults;
  sdk::Json retry = sdk::Json::array();
  for (auto delay : defaults.notify_retry)
    retry.push_back(std::to_string(delay.count()));

  std::vector<sdk::OptionSpec> specs;
  specs.push_back(spec("mer_id", sdk::OptionType::string, defaults.mer_id,
                       "The merchant number (merId, 15 digits) the simulated UnionPay knows; the "
                       "unionpay channel's mer_id must equal it. Its name is also in the CN of "
                       "the generated merchant.pfx certificate."));
  specs.push_back(spec("notify_retry_ms", sdk::OptionType::string_list, retry,
                       "Delays in milliseconds (integers written as strings) between back "
                       "notification attempts after the first, synchronous one; the last delay "
                       "repeats. The default is UnionPay's schedule (1, 2, 4 minutes)."));
  auto attempts =
      spec("notify_max_attempts", sdk::OptionType::integer, defaults.notify_max_attempts,
           "Give up a back notification after this many attempts (the first included).");
  attempts.min = 1;
  attempts.max = 1000;
  specs.push_back(std::move(attempts));
  auto window =
      spec("txn_time_window_seconds", sdk::OptionType::integer, defaults.txn_time_window_seconds,
           "Requests whose txnTime (Beijing time) is this far or further from the "
           "host clock are refused with respCode 39.");
  window.min = 1;
  window.max = 86400;
  specs.push_back(std::move(window));
  return specs;
}

sdk::Result<SimOptions> read_options(const sdk::Options& options) {
  SimOptions out;
  out.mer_id = options.get_string("mer_id", out.mer_id);
  if (!all_digits(out.mer_id) || out.mer_id.size() != 15) {
    return option_error("must be 15 digits", "mer_id");
  }
  if (options.has("notify_retry_ms")) {
    out.notify_retry.clear();
    for (const auto& text : options.get_list("notify_retry_ms")) {
      long long value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size() || value <= 0 ||
          value > 86400LL * 1000) {
        return option_error(
            "entry '" + text + "' is not a positive integer of milliseconds (at most one day)",
            "notify_retry_ms");
      }
      out.notify_retry.emplace_back(value);
    }
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
