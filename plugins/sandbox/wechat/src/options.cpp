#include "options.hpp"

#include <algorithm>
#include <cstdint>

namespace payhost::sandbox_wechat {
namespace {

constexpr std::int64_t kMaxRetryDelayMs = 86400LL * 1000;  // one day

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
  namespace option = sdk::option;
  const SimOptions defaults;
  sdk::Json retry = sdk::Json::array();
  for (auto delay : defaults.notify_retry)
    retry.push_back(delay.count());
  sdk::Json app_ids = sdk::Json::array();
  for (const auto& id : defaults.app_ids)
    app_ids.push_back(id);
  return {
      option::string("mchid",
                     "The merchant id the simulated WeChat Pay knows (digits); the wechat "
                     "channel's mchid must equal it.")
          .with_default(defaults.mchid),
      option::string_list("app_ids",
                          "App ids (APP, official account, mini program) accepted as `appid`; "
                          "every app id the wechat channel is configured with must be listed.")
          .with_default(app_ids),
      option::string("serial_style",
                     "How Wechatpay-Serial names the platform key on answers and notifications: "
                     "`certificate` (the platform certificate serial) or `public_key` "
                     "(PUB_KEY_ID_…, WeChat's public-key mode).")
          .with_default("certificate")
          .one_of({"certificate", "public_key"}),
      option::integer_list("notify_retry_ms",
                           "Delays in milliseconds between notification attempts after the "
                           "first, synchronous one; the last delay repeats. The default is "
                           "WeChat's schedule (15s … 6h, about 24 h).")
          .with_default(retry)
          .in_range(1, kMaxRetryDelayMs),
      option::integer("notify_max_attempts",
                      "Give up a notification after this many attempts (the first included).")
          .with_default(defaults.notify_max_attempts)
          .in_range(1, 1000),
      option::integer("timestamp_window_seconds",
                      "Requests whose Authorization timestamp is this far or further from the "
                      "host clock are refused with 401 SIGN_ERROR.")
          .with_default(defaults.timestamp_window_seconds)
          .in_range(1, 86400),
  };
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
    // Each entry is an integer within the table's bounds: the host checked it.
    for (const std::int64_t delay : options.get_int_list("notify_retry_ms"))
      out.notify_retry.emplace_back(delay);
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
