#include "wallet_plugin.hpp"

#include "audit.hpp"
#include "format.hpp"
#include "input.hpp"
#include "messages.hpp"
#include "payhost/sdk/database.hpp"
#include "schema.hpp"

namespace payhost::wallet {
namespace {

sdk::Error not_started() {
  return sdk::make_error(sdk::ErrorKind::internal, "wallet_not_started",
                         "the wallet plugin has not been started");
}

}  // namespace

std::vector<sdk::OptionSpec> WalletPlugin::option_specs() const {
  return wallet_option_specs();
}

std::vector<sdk::Migration> WalletPlugin::migrations() const {
  return wallet_migrations();
}

std::vector<sdk::Command> WalletPlugin::commands() {
  return {audit_command(context_)};
}

std::vector<sdk::Route> WalletPlugin::routes() {
  std::vector<sdk::Route> out;
  for (auto group :
       {wallet_info_routes, recharge_routes, charge_routes, cash_routes, admin_routes}) {
    for (sdk::Route& route : group(context_))
      out.push_back(std::move(route));
  }
  return out;
}

// ThinkSNS+ clients treat exactly this 401 as "log in again".
sdk::HttpResponse WalletPlugin::auth_failure(const sdk::Error& error) const {
  if (error.kind == sdk::ErrorKind::forbidden) return message_response(403, msg::kAdminOnly);
  return message_response(401, msg::kUnauthenticated);
}

sdk::Status WalletPlugin::do_validate(const sdk::Options& options) const {
  auto parsed = parse_wallet_config(options);
  if (!parsed) return parsed.error();
  return {};
}

sdk::Status WalletPlugin::do_start(const sdk::Options& options, sdk::Host& host) {
  auto config = parse_wallet_config(options);
  if (!config) return config.error();
  context_ = std::make_unique<WalletContext>(std::move(config.value()), host);
  return {};
}

sdk::Status WalletPlugin::do_on_charge_succeeded(sdk::SettlementContext& settlement) {
  if (!context_) return not_started();
  const sdk::Charge& charge = settlement.charge;
  const auto record_id = parse_positive_id(charge.product_ref);
  if (!record_id) {
    return sdk::make_error(
        sdk::ErrorKind::internal, "wallet_bad_product_ref",
        "charge " + charge.id + " names no wallet record ('" + charge.product_ref + "')");
  }
  PaidCharge paid;
  paid.record_id = *record_id;
  paid.charge_id = charge.id;
  paid.amount = charge.amount;
  paid.user_id = charge.user_id;
  paid.transaction_no = charge.transaction_no.value_or("");
  paid.payer_account = charge.payer_account;
  try {
    auto outcome = context_->ledger.settle_recharge(settlement.sql, paid, context_->now());
    if (!outcome) {
      context_->host.logger().error("wallet: refusing to settle " + outcome.error().message);
      return outcome.error();
    }
    if (outcome.value() == SettleOutcome::credited &&
        settlement.previous_state != sdk::ChargeState::pending) {
      context_->host.logger().warn(
          "wallet: late payment of " + std::string(sdk::to_string(settlement.previous_state)) +
          " charge " + charge.id + " credited to record " + std::to_string(*record_id));
    }
    return {};
  } catch (...) {
    // Contention must reach the host as `retry`, not as a generic plugin failure.
    return sdk::database_error_from_current_exception();
  }
}

sdk::Status WalletPlugin::do_on_charge_failed(sdk::SettlementContext& settlement) {
  if (!context_) return not_started();
  const auto record_id = parse_positive_id(settlement.charge.product_ref);
  if (!record_id) return {};  // nothing of ours to mark
  try {
    context_->ledger.mark_failed(settlement.sql, *record_id, context_->now());
    return {};
  } catch (...) {
    return sdk::database_error_from_current_exception();
  }
}

}  // namespace payhost::wallet
