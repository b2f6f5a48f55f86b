// Admin: list withdrawal applications and decide them, once.
#include <variant>

#include "context.hpp"
#include "format.hpp"
#include "input.hpp"
#include "messages.hpp"
#include "payhost/sdk/database.hpp"
#include "validation.hpp"

namespace payhost::wallet {
namespace {

sdk::HttpResponse list(WalletContext& ctx, const sdk::HttpRequest& request) {
  const Page page = parse_page(request);
  const std::optional<std::int64_t> user = parse_positive_id(request.query_param("user"));
  const std::optional<int> status = parse_status_filter(request.query_param("status"));
  std::vector<Cash> cashes;
  const sdk::Status read = sdk::with_session(ctx.host.database(), [&](soci::session& sql) {
    cashes = ctx.ledger.list_cashes(sql, user, status, page);
    return sdk::Status{};
  });
  if (!read) return internal_error(ctx, "listing withdrawals", read.error());
  sdk::Json out = sdk::Json::array();
  for (const Cash& c : cashes)
    out.push_back(cash_json(c, /*for_admin=*/true));
  return sdk::HttpResponse::json(200, out);
}

sdk::HttpResponse decide(WalletContext& ctx, const sdk::HttpRequest& request, bool pass) {
  const auto id = parse_positive_id(request.path_param("id"));
  if (!id) return message_response(404, msg::kNotFound);
  auto remark = validate_remark(read_input(request));
  if (const auto* rejection = std::get_if<Rejection>(&remark))
    return rejection_response(*rejection);

  DecisionOutcome outcome = DecisionOutcome::not_found;
  const sdk::Status done = sdk::transact(ctx.host.database(), [&](soci::session& sql) {
    outcome = ctx.ledger.decide_cash(sql, *id, pass, std::get<std::string>(remark), ctx.now());
    return sdk::Status{};
  });
  if (!done) return internal_error(ctx, "deciding a withdrawal", done.error());
  switch (outcome) {
    case DecisionOutcome::not_found:
      return message_response(404, msg::kNotFound);
    case DecisionOutcome::already_decided:
      return message_response(409, msg::kAlreadyDecided);
    case DecisionOutcome::done:
      break;
  }
  ctx.host.logger().info("wallet: withdrawal " + std::to_string(*id) +
                         (pass ? " passed by admin " : " refused by admin ") +
                         request.principal->user_id);
  return message_list_response(201, msg::kDecisionDone);
}

}  // namespace

std::vector<sdk::Route> admin_routes(const ContextSlot& slot) {
  return {admin_route(slot, "GET", "/api/v2/admin/wallet/cashes", list),
          admin_route(
              slot, "PATCH", "/api/v2/admin/wallet/cashes/{id}/passed",
              [](WalletContext& ctx, const sdk::HttpRequest& r) { return decide(ctx, r, true); }),
          admin_route(
              slot, "PATCH", "/api/v2/admin/wallet/cashes/{id}/refuse",
              [](WalletContext& ctx, const sdk::HttpRequest& r) { return decide(ctx, r, false); })};
}

}  // namespace payhost::wallet
