// POST /api/v2/wallet/recharge: a pending record, then a charge for it. The balance moves
// only when the host settles the charge (WalletPlugin::do_on_charge_succeeded).
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
  sdk::Database& db = ctx.host.database();

  // The record exists before the charge because the charge must name it (product_ref).
  std::int64_t record_id = 0;
  const sdk::Status inserted = sdk::transact(db, [&](soci::session& sql) {
    record_id =
        ctx.ledger.insert_pending_recharge(db, sql, user_id, order.type, order.amount, ctx.now());
    return sdk::Status{};
  });
  if (!inserted) return internal_error(ctx, "creating a recharge record", inserted.error());

  sdk::NewCharge wanted;
  wanted.product = kProductName;
  wanted.product_ref = std::to_string(record_id);
  wanted.user_id = std::to_string(user_id);
  wanted.channel = order.type;
  wanted.amount = order.amount;
  wanted.subject = msg::kRechargeSubject;
  wanted.body = msg::kRechargeBody;
  wanted.client_ip = request.client_ip;
  wanted.extra = order.extra;
  // The record learns its charge id (and UnionPay's tn) in the transaction that stores the
  // charge. ctx lives as long as the plugin; the record id is copied.
  wanted.in_transaction = [&ctx, record_id](soci::session& sql, const sdk::Charge& stored) {
    ctx.ledger.attach_charge(ctx.host.database(), sql, record_id, stored.id,
                             payment_token(stored.channel, stored.credential), ctx.now());
    return sdk::Status{};
  };
  sdk::Result<sdk::Charge> charge = ctx.host.charges().create(wanted);

  if (!charge) {
    const sdk::Error& error = charge.error();
    // A refused request created no charge, so its record explains nothing: drop it. A
    // provider failure may have left a charge behind (a timeout is not a "no"), so that
    // record stays, marked failed; a late payment of it is still credited.
    const bool refused = error.kind == sdk::ErrorKind::invalid_request;
    const sdk::Status cleaned = sdk::transact(db, [&](soci::session& sql) {
      // discard_pending keeps a record that names a stored (failed) charge.
      if (refused) ctx.ledger.discard_pending(sql, record_id);
      ctx.ledger.mark_failed(sql, record_id, ctx.now());
      return sdk::Status{};
    });
    if (!cleaned) {
      ctx.host.logger().warn("wallet: could not update recharge record " +
                             std::to_string(record_id) +
                             " after a failed charge: " + cleaned.error().message);
    }
    if (!refused) {
      ctx.host.logger().warn("wallet: charge for recharge record " + std::to_string(record_id) +
                             " failed: " + error.code + ": " + error.message);
    }
    return charge_error_response(error);
  }

  // The charge's own text spliced in (plugin guide rule 14), not parsed and dumped again.
  return sdk::HttpResponse::json_text(201, "{\"id\":" + std::to_string(record_id) + ",\"charge\":" +
                                               sdk::to_pingpp_json_text(*charge) + "}");
}

}  // namespace

std::vector<sdk::Route> recharge_routes(const ContextSlot& slot) {
  return {user_route(slot, "POST", "/api/v2/wallet/recharge", recharge, /*idempotent=*/true)};
}

}  // namespace payhost::wallet
