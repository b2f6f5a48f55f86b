#include "options.hpp"

#include <string_view>

#include "payhost/sdk/json.hpp"

namespace payhost::wallet {
namespace {

using sdk::Json;
using sdk::OptionSpec;
using sdk::OptionType;

OptionSpec spec(std::string name, OptionType type, Json default_value, std::string description,
                std::int64_t min = INT64_MIN, std::int64_t max = INT64_MAX) {
  OptionSpec s;
  s.name = std::move(name);
  s.type = type;
  s.default_value = std::move(default_value);
  s.description = std::move(description);
  s.min = min;
  s.max = max;
  return s;
}

sdk::Error config_error(std::string message) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_option", std::move(message));
}

}  // namespace

std::vector<OptionSpec> wallet_option_specs() {
  return {
      spec("labels", OptionType::object, Json::array({550, 2000, 9900}),
           "Recharge presets in fen, shown by clients as buttons: a list of positive integers, "
           "each at most recharge_max (GET /wallet `labels`)."),
      spec("ratio", OptionType::integer, 100,
           "Display conversion ratio in percent (GET /wallet `ratio`).", 1),
      spec("rule", OptionType::string, "",
           "Recharge and withdrawal rules, plain multi-line text (GET /wallet `rule`)."),
      spec("cash", OptionType::string_list, Json::array({"alipay"}),
           "Withdrawal methods users may choose (e.g. [alipay, wechat]); an empty list turns "
           "withdrawals off (GET /wallet `cash`)."),
      spec("case_min_amount", OptionType::integer, 1,
           "Smallest withdrawal in fen (GET /wallet `case_min_amount`; the spelling is the "
           "clients' contract).",
           1),
      spec("recharge_type", OptionType::string_list,
           Json::array({"alipay", "alipay_wap", "alipay_pc_direct", "alipay_qr", "wx", "wx_wap",
                        "applepay_upacp", "upacp"}),
           "Channels offered for recharges. GET /wallet shows, and POST /wallet/recharge "
           "accepts, only those of them that a channel plugin has enabled."),
      spec("recharge_max", OptionType::integer, 1'000'000,
           "Largest single recharge in fen (default 1,000,000 = 10,000.00 CNY).", 1),
      spec("cash_rate_limit", OptionType::integer, 5,
           "Withdrawal requests a user may make per window before getting 429; 0 turns the "
           "limit off. Counted in the database, so every host on it shares the count.",
           0),
      spec("cash_rate_window", OptionType::integer, 6,
           "Length of the withdrawal rate-limit window in seconds.", 1, 3600),
  };
}

sdk::Result<WalletConfig> parse_wallet_config(const sdk::Options& options) {
  WalletConfig config;
  config.ratio = options.get_int("ratio", config.ratio);
  config.rule = options.get_string("rule");
  config.cash_types = options.get_list("cash");
  config.case_min_amount = options.get_int("case_min_amount", config.case_min_amount);
  config.recharge_types = options.get_list("recharge_type");
  config.recharge_max = options.get_int("recharge_max", config.recharge_max);
  config.cash_rate_limit = static_cast<int>(options.get_int("cash_rate_limit", 5));
  config.cash_rate_window_seconds = static_cast<int>(options.get_int("cash_rate_window", 6));

  const Json& labels = options.get("labels");
  if (!labels.is_null()) {
    if (!labels.is_array()) return config_error("labels: expected a list of integers (fen)");
    for (const Json& label : labels) {
      if (!label.is_number_integer() || label.get<std::int64_t>() < 1 ||
          label.get<std::int64_t>() > config.recharge_max) {
        return config_error("labels: " + label.dump() +
                            " is not a whole number of fen between 1 and recharge_max (" +
                            std::to_string(config.recharge_max) + ")");
      }
      config.labels.push_back(label.get<sdk::Fen>());
    }
  }
  return config;
}

}  // namespace payhost::wallet
