#include "options.hpp"

#include <string_view>

#include "payhost/sdk/json.hpp"

namespace payhost::wallet {
namespace {

using sdk::Json;
using sdk::OptionSpec;

sdk::Error config_error(std::string message) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_option", std::move(message));
}

}  // namespace

std::vector<OptionSpec> wallet_option_specs() {
  namespace option = sdk::option;
  return {
      option::integer_list("labels",
                           "Recharge presets in fen, shown by clients as buttons, each at most "
                           "recharge_max (GET /wallet `labels`).")
          .with_default({550, 2000, 9900})
          .at_least(1),
      option::integer("ratio", "Display conversion ratio in percent (GET /wallet `ratio`).")
          .with_default(100)
          .at_least(1),
      option::string("rule",
                     "Recharge and withdrawal rules, plain multi-line text (GET /wallet `rule`).")
          .with_default(""),
      option::string_list("cash",
                          "Withdrawal methods users may choose (e.g. [alipay, wechat]); an empty "
                          "list turns withdrawals off (GET /wallet `cash`).")
          .with_default(Json::array({"alipay"})),
      option::integer("case_min_amount",
                      "Smallest withdrawal in fen (GET /wallet `case_min_amount`; the spelling is "
                      "the clients' contract).")
          .with_default(1)
          .at_least(1),
      option::string_list("recharge_type",
                          "Channels offered for recharges. GET /wallet shows, and POST "
                          "/wallet/recharge accepts, only those of them that a channel plugin has "
                          "enabled.")
          .with_default(Json::array({"alipay", "alipay_wap", "alipay_pc_direct", "alipay_qr", "wx",
                                     "wx_wap", "applepay_upacp", "upacp"})),
      option::integer("recharge_max",
                      "Largest single recharge in fen (default 1,000,000 = 10,000.00 CNY).")
          .with_default(1'000'000)
          .at_least(1),
      option::integer("cash_rate_limit",
                      "Withdrawal requests a user may make per window before getting 429; 0 "
                      "turns the limit off. Counted in the database, so every host on it shares "
                      "the count.")
          .with_default(5)
          .at_least(0),
      option::integer("cash_rate_window", "Length of the withdrawal rate-limit window in seconds.")
          .with_default(6)
          .in_range(1, 3600),
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
