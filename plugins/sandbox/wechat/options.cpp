#include "options.hpp"

#include <algorithm>
#include <charconv>

namespace payhost::sandbox_wechat {
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

// WeChat app ids are "wx" + 16 hex; other shapes (mini-program test ids) exist, so only
// the characters and the length are held to.
bool app_id_shape(const std::string& s) {
  return !s.empty() && s.size() <= 32 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  });
}

}  // namespace

bool SimOptions::knows_app_id(const std::string& app_id) const {
  return std::find(app_ids.begin(), app_ids.end(), app_id) != app_ids.end();
}

std::vector<sdk::OptionSpec> option_specs() {
  const SimOptions defaults;
  sdk::Json retry = sdk::Json::array();
  for (auto delay : defaults.notify_retry)
    retry.push_back(std::to_string(delay.count()));
  sdk::Json app_ids = sdk::Json::array();
  for (const auto& id : defaults.app_ids)
    app_ids.push_back(id);

  std::vector<sdk::OptionSpec> specs;
  specs.push_back(spec("mchid", sdk::OptionType::string, defaults.mchid,
                       "The merchant id the simulated WeChat Pay knows (digits); the wechat "
                       "channel's mchid must equal it."));
  specs.push_back(spec("app_ids", sdk::OptionType::string_list, app_ids,
                       "App ids (APP, official account, mini program) accepted as `appid`; "
                       "every app id the wechat channel is configured with must be listed."));
  auto style = spec("serial_style", sdk::OptionType::string, "certificate",
                    "How Wechatpay-Serial names the platform key on answers and notifications: "
                    "`certificate` (the platform certificate serial) or `public_key` "
                    "(PUB_KEY_ID_…, WeChat's public-key mode).");
  style.choices = {"certificate", "public_key"};
  specs.push_back(std::move(style));
  specs.push_back(spec("notify_retry_ms", sdk::OptionType::string_list, retry,
                       "Delays in milliseconds (integers written as strings) between "
                       "notification attempts after the first, synchronous one; the last delay "
                       "repeats. The default is WeChat's schedule (15s … 6h, about 24 h)."));
  auto attempts =
      spec("notify_max_attempts", sdk::OptionType::integer, defaults.notify_max_attempts,
           "Give up a notification after this many attempts (the first included).");
  attempts.min = 1;
  attempts.max = 1000;
  specs.push_back(std::move(attempts));
  auto window =
      spec("timestamp_window_seconds", sdk::OptionType::integer, defaults.timestamp_window_seconds,
           "Requests whose Authorization timestamp is this far or further from the host "
           "clock are refused with 401 SIGN_ERROR.");
  window.min = 1;
  window.max = 86400;
  specs.push_back(std::move(window));
  return specs;
}

sdk::Result<SimOptions> read_options(const sdk::Options& options) {
  SimOptions out;
  out.mchid = options.get_string("mchid", out.mchid);
  if (!all_digits(out.mchid) || out.mchid.size() > 32) {
    return option_error("must be 1-32 digits", "mchid");
  }
  if (options.has("app_ids")) out.app_ids = options.get_list("app_ids");
  if (out.app_ids.empty()) return option_error("needs at least one app id", "app_ids");
  for (const auto& id : out.app_ids) {
    if (!app_id_shape(id)) {
      return option_error("'" + id + "' is not 1-32 letters, digits or '_'", "app_ids");
    }
  }
  const std::string style = options.get_string("serial_style", "certificate");
  if (style == "certificate") {
    out.serial_style = SerialStyle::certificate;
  } else if (style == "public_key") {
    out.serial_style = SerialStyle::public_key;
  } else {
    return option_error("must be certificate or public_key", "serial_style");
  }
  if (options.has("notify_retry_ms")) {
    out.notify_retry.clear();
    for (const auto& text : options.get_list("notify_retry_ms")) {
      long long value = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
      if (ec != std::errc() || end != text.data() + text.size() || value <= 0 ||
          value > 86400LL * 1000) {
        return option_error("entry '" + text +
                                "' is not a positive integer of milliseconds "
                                "(at most one day)",
                            "notify_retry_ms");
      }
      out.notify_retry.emplace_back(value);
    }
    if (out.notify_retry.empty())
      return option_error("needs at least one delay", "notify_retry_ms");
  }
  const std::int64_t attempts = options.get_int("notify_max_attempts", out.notify_max_attempts);
  if (attempts < 1 || attempts > 1000) {
    return option_error("must be 1-1000", "notify_max_attempts");
  }
  out.notify_max_attempts = static_cast<int>(attempts);
  out.timestamp_window_seconds =
      options.get_int("timestamp_window_seconds", out.timestamp_window_seconds);
  if (out.timestamp_window_seconds < 1 || out.timestamp_window_seconds > 86400) {
    return option_error("must be 1-86400", "timestamp_window_seconds");
  }
  return out;
}

}  // namespace payhost::sandbox_wechat
