// POST and GET /api/v2/wallet/cashes: withdrawal applications.
#include <variant>

#include "context.hpp"
#include "format.hpp"
#include "input.hpp"
#include "messages.hpp"
#include "payhost/sdk/database.hpp"
#include "validation.hpp"

namespace payhost::wallet {
namespace {

void add_rate_headers(sdk::HttpResponse& response, int limit, int remaining) {
  response.headers.set("X-RateLimit-Limit", std::to_string(limit));
  response.headers.set("X-RateLimit-Remaining", std::to_string(remaining));
}

sdk::HttpResponse apply(WalletContext& ctx, const sdk::HttpRequest& request, std::int64_t user_id) {
  // Counted before validation, like the old throttle middleware: invalid attempts count.
  CashAttempts::Decision rate;
  if (ctx.cash_attempts.limit() > 0) {
    const sdk::Status counted = sdk::transact(ctx.host.database(), [&](soci::session& sql) {
      rate = ctx.cash_attempts.count(sql, user_id, ctx.now());
      return sdk::Status{};
    });
    if (!counted) return internal_error(ctx, "counting withdrawal attempts", counted.error());
  }
  if (!rate.allowed) {
    sdk::HttpResponse response = message_response(429, msg::kTooManyAttempts);
    response.headers.set("Retry-After", std::to_string(rate.retry_after_seconds));
    add_rate_headers(response, ctx.cash_attempts.limit(), 0);
    return response;
  }

  auto validated =
      validate_cash(read_input(request), ctx.config.cash_types, ctx.config.case_min_amount);
  if (const auto* rejection = std::get_if<Rejection>(&validated)) {
    return rejection_response(*rejection);
  }
  const CashRequest& cash = std::get<CashRequest>(validated);

  CashOutcome outcome = CashOutcome::insufficient_balance;
  const sdk::Status done = sdk::transact(ctx.host.database(), [&](soci::session& sql) {
    outcome = ctx.ledger.apply_cash(sql, user_id, cash, ctx.now());
    return sdk::Status{};
  });
  if (!done) return internal_error(ctx, "applying for a withdrawal", done.error());

  sdk::HttpResponse response =
      outcome == CashOutcome::applied
          ? message_list_response(201, msg::kCashApplied)
          : rejection_response(Rejection{{{"value", {msg::kCashValueOverBalance}}}, {}});
  if (ctx.cash_attempts.limit() > 0)
    add_rate_headers(response, ctx.cash_attempts.limit(), rate.remaining);
  return response;
}

sdk::HttpResponse list(WalletContext& ctx, const sdk::HttpRequest& request, std::int64_t user_id) {
  const Page page = parse_page(request);
  std::vector<Cash> cashes;
  const sdk::Status read = sdk::with_session(ctx.host.database(), [&](soci::session& sql) {
    cashes = ctx.ledger.list_cashes(sql, user_id, std::nullopt, page);
    return sdk::Status{};
  });
  if (!read) return internal_error(ctx, "listing withdrawals", read.error());
  sdk::Json out = sdk::Json::array();
  for (const Cash& c : cashes)
    out.push_back(cash_json(c));
  return sdk::HttpResponse::json(200, out);
}

}  // namespace

std::vector<sdk::Route> cash_routes(const ContextSlot& slot) {
  sdk::Route withdrawals = user_route(slot, "GET", "/api/v2/wallet/cashes", list);
  withdrawals.quick = true;  // reads only
  return {user_route(slot, "POST", "/api/v2/wallet/cashes", apply, /*idempotent=*/true),
          std::move(withdrawals)};
}

}  // namespace payhost::wallet
