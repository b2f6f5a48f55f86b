// The option table: defaults, bounds and flags; and parsing refusing bad labels.
#include <gtest/gtest.h>

#include <algorithm>

#include "options.hpp"
#include "wallet_plugin.hpp"

namespace payhost::wallet {
namespace {

sdk::Options defaults() {
  sdk::Json values = sdk::Json::object();
  for (const auto& spec : wallet_option_specs())
    values[spec.name] = spec.default_value;
  return sdk::Options(values);
}

TEST(WalletOptions, EveryOptionHasADescriptionAndADefault) {
  const auto specs = wallet_option_specs();
  ASSERT_EQ(specs.size(), 9u);
  for (const auto& spec : specs) {
    EXPECT_FALSE(spec.description.empty()) << spec.name;
    EXPECT_FALSE(spec.default_value.is_null()) << spec.name;
    EXPECT_FALSE(spec.required) << spec.name;
    EXPECT_FALSE(spec.secret) << spec.name;
  }
  WalletPlugin plugin;
  EXPECT_EQ(plugin.option_specs().size(), specs.size());
}

TEST(WalletOptions, DefaultsFollowTheSeedAndTheIssue) {
  auto config = parse_wallet_config(defaults());
  ASSERT_TRUE(config.ok()) << config.error().message;
  EXPECT_EQ(config->labels, (std::vector<sdk::Fen>{550, 2000, 9900}));
  EXPECT_EQ(config->ratio, 100);
  EXPECT_EQ(config->rule, "");
  EXPECT_EQ(config->cash_types, (std::vector<std::string>{"alipay"}));
  EXPECT_EQ(config->case_min_amount, 1);
  EXPECT_EQ(config->recharge_max, 1'000'000);
  EXPECT_EQ(config->cash_rate_limit, 5);
  EXPECT_EQ(config->cash_rate_window_seconds, 6);
  for (const char* channel : {"alipay", "alipay_wap", "alipay_pc_direct", "alipay_qr", "wx",
                              "wx_wap", "applepay_upacp", "upacp"}) {
    EXPECT_NE(std::find(config->recharge_types.begin(), config->recharge_types.end(), channel),
              config->recharge_types.end())
        << channel;
  }
}

TEST(WalletOptions, IntegerBoundsAreDeclared) {
  for (const auto& spec : wallet_option_specs()) {
    if (spec.name == "ratio" || spec.name == "case_min_amount" || spec.name == "recharge_max") {
      EXPECT_EQ(spec.min, 1) << spec.name;
    }
    if (spec.name == "cash_rate_limit") {
      EXPECT_EQ(spec.min, 0);
    }
  }
}

TEST(WalletOptions, LabelsMustBePositiveIntegersWithinTheMaximum) {
  for (const sdk::Json& bad : {sdk::Json("550"), sdk::Json::array({1.5}), sdk::Json::array({0}),
                               sdk::Json::array({"550"}), sdk::Json::array({2'000'000})}) {
    sdk::Json values = defaults().all();
    values["labels"] = bad;
    auto config = parse_wallet_config(sdk::Options(values));
    EXPECT_FALSE(config.ok()) << bad.dump();
    if (!config.ok()) {
      EXPECT_NE(config.error().message.find("labels"), std::string::npos);
    }
  }
  sdk::Json values = defaults().all();
  values["labels"] = sdk::Json::array({1, 100, 1'000'000});
  auto config = parse_wallet_config(sdk::Options(values));
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->labels, (std::vector<sdk::Fen>{1, 100, 1'000'000}));
}

TEST(WalletOptions, EmptyCashListTurnsWithdrawalsOff) {
  sdk::Json values = defaults().all();
  values["cash"] = sdk::Json::array();
  auto config = parse_wallet_config(sdk::Options(values));
  ASSERT_TRUE(config.ok());
  EXPECT_TRUE(config->cash_types.empty());
}

TEST(WalletPluginShape, DeclaresRoutesMigrationsAndTheAuditVerb) {
  WalletPlugin plugin;
  const auto routes = plugin.routes();
  std::vector<std::string> seen;
  for (const auto& r : routes) {
    seen.push_back(r.method + " " + r.path);
    const bool idempotent = r.path == "/api/v2/wallet/recharge" ||
                            (r.path == "/api/v2/wallet/cashes" && r.method == "POST");
    EXPECT_EQ(r.idempotent, idempotent) << r.path;
    const bool admin = r.path.rfind("/api/v2/admin/", 0) == 0;
    EXPECT_EQ(r.auth, admin ? sdk::AuthPolicy::admin : sdk::AuthPolicy::user) << r.path;
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{
                "GET /api/v2/wallet", "POST /api/v2/wallet/recharge", "GET /api/v2/wallet/charges",
                "GET /api/v2/wallet/charges/{id}", "POST /api/v2/wallet/cashes",
                "GET /api/v2/wallet/cashes", "GET /api/v2/admin/wallet/cashes",
                "PATCH /api/v2/admin/wallet/cashes/{id}/passed",
                "PATCH /api/v2/admin/wallet/cashes/{id}/refuse"}));

  // Before start, routes answer 503 instead of crashing.
  sdk::HttpRequest request;
  request.principal = sdk::Principal{"1", false};
  EXPECT_EQ(routes.front().handler(request).status, 503);

  const auto migrations = plugin.migrations();
  ASSERT_EQ(migrations.size(), 2u);
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(migrations[i].version, static_cast<int>(i) + 1);
    EXPECT_EQ(migrations[i].sqlite.size(), migrations[i].postgresql.size());
    for (const auto& statement : migrations[i].sqlite) {
      EXPECT_NE(statement.find("wallet_"), std::string::npos) << statement;
    }
  }

  const auto commands = plugin.commands();
  ASSERT_EQ(commands.size(), 1u);
  EXPECT_EQ(commands[0].verb, "audit");
  std::string out, err;
  EXPECT_EQ(commands[0].run({}, out, err), 2) << "not started";
  EXPECT_EQ(commands[0].run({"--bogus"}, out, err), 64);
}

TEST(WalletPluginShape, AuthFailuresUseTheThinkSnsEnvelope) {
  WalletPlugin plugin;
  auto r = plugin.auth_failure(sdk::make_error(sdk::ErrorKind::unauthorized, "expired", "expired"));
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, R"({"message":"Unauthenticated."})");
  r = plugin.auth_failure(sdk::make_error(sdk::ErrorKind::forbidden, "not_admin", "x"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(sdk::Json::parse(r.body)["message"], "你没有权限执行该操作");
}

}  // namespace
}  // namespace payhost::wallet
