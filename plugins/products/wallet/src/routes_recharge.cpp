// POST /api/v2/wallet/recharge: a charge and its pending record, written together. The balance
// moves only when the host settles the charge (WalletPlugin::do_on_charge_succeeded).
#include <memory>
#include <variant>

#include "context.hpp"
#include "input.hpp"
#include "messages.hpp"
#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/database.hpp"
#include "payment_token.hpp"
#include "validation.hpp"

namespace payhost::wallet {
namespace {

sdk::HttpResponse recharge(WalletContext& ctx, const sdk::HttpRequest& request,
                           std::int64_t user_id) {
  auto validated =
      validate_recharge(read_input(request), ctx.recharge_types(), ctx.config.recharge_max);
  if (const auto* rejection = std::get_if<Rejection>(&validated)) {
    return rejection_response(*rejection);
  }
  const RechargeRequest& order = std::get<RechargeRequest>(validated);
  // The record and the charge are written in one transaction: the record first, because
  // the charge names it (product_ref), and already linked to the charge, whose id and
  // credential exist by then. A charge the provider refused or did not answer is stored
  // failed or expiring; its record is stored failed (a late payment is still credited).
  auto record_id = std::make_shared<std::int64_t>(0);
  sdk::NewCharge wanted;
  wanted.user_id = std::to_string(user_id);
  wanted.channel = order.type;
  wanted.amount = order.amount;
  wanted.subject = msg::kRechargeSubject;
  wanted.body = msg::kRechargeBody;
  wanted.client_ip = request.client_ip;
  wanted.extra = order.extra;
  // ctx lives as long as the plugin; the rest is copied.
  wanted.product_row = [&ctx, record_id, user_id, channel = order.type, amount = order.amount](
                           soci::session& sql,
                           const sdk::Charge& charge) -> sdk::Result<std::string> {
    sdk::Database& db = ctx.host.database();
    const std::int64_t now = ctx.now();
    *record_id = ctx.ledger.insert_pending_recharge(db, sql, user_id, channel, amount, now);
    ctx.ledger.attach_charge(db, sql, *record_id, charge.id,
                             payment_token(charge.channel, charge.credential), now);
    if (charge.state == sdk::ChargeState::failed || charge.failure_code) {
      ctx.ledger.mark_failed(sql, *record_id, now);
    }
    return std::to_string(*record_id);
  };
  sdk::Result<sdk::Charge> charge = ctx.host.charges().create(wanted);

  if (!charge) {
    const sdk::Error& error = charge.error();
    // A refused request stored nothing; a provider failure stored the charge and its
    // record, both failed (a timeout is not a "no": the host closes that charge later).
    if (error.kind != sdk::ErrorKind::invalid_request) {
      ctx.host.logger().warn("wallet: charge for a recharge of user " + std::to_string(user_id) +
                             " failed: " + error.code + ": " + error.message);
    }
    return charge_error_response(error);
  }

  // The charge's own text spliced in (plugin guide rule 14), not parsed and dumped again.
  return sdk::HttpResponse::json_text(201, "{\"id\":" + std::to_string(*record_id) +
                                               ",\"charge\":" + sdk::to_pingpp_json_text(*charge) +
                                               "}");
}

}  // namespace

std::vector<sdk::Route> recharge_routes(const ContextSlot& slot) {
  return {user_route(slot, "POST", "/api/v2/wallet/recharge", recharge, /*idempotent=*/true)};
}

}  // namespace payhost::wallet
