// GET /api/v2/wallet: what the wallet page needs, and the caller's balance.
#include "context.hpp"
#include "payhost/sdk/database.hpp"

namespace payhost::wallet {

std::vector<sdk::Route> wallet_info_routes(const ContextSlot& slot) {
  sdk::Route info =
      user_route(slot, "GET", "/api/v2/wallet",
                 [](WalletContext& ctx, const sdk::HttpRequest&, std::int64_t user_id) {
                   sdk::Fen balance = 0;
                   sdk::Database& db = ctx.host.database();
                   const sdk::Status read = sdk::with_session(db, [&](soci::session& sql) {
                     balance = ctx.ledger.balance(db, sql, user_id);
                     return sdk::Status{};
                   });
                   if (!read) return internal_error(ctx, "reading the balance", read.error());
                   return sdk::HttpResponse::text(
                       200, ctx.wallet_info_prefix() + std::to_string(balance) + "}",
                       "application/json; charset=utf-8");
                 });
  info.quick = true;  // one read, no transaction
  return {std::move(info)};
}

}  // namespace payhost::wallet
