// GET /api/v2/wallet: what the wallet page needs, and the caller's balance.
#include "context.hpp"
#include "payhost/sdk/database.hpp"

namespace payhost::wallet {

std::vector<sdk::Route> wallet_info_routes(const ContextSlot& slot) {
  sdk::Route info = user_route(
      slot, "GET", "/api/v2/wallet",
      [](WalletContext& ctx, const sdk::HttpRequest&, std::int64_t user_id) {
        sdk::Fen balance = 0;
        const sdk::Status read = sdk::with_session(ctx.host.database(), [&](soci::session& sql) {
          balance = ctx.ledger.balance(sql, user_id);
          return sdk::Status{};
        });
        if (!read) return internal_error(ctx, "reading the balance", read.error());
        const WalletConfig& c = ctx.config;
        return sdk::HttpResponse::json(200, sdk::Json{{"labels", c.labels},
                                                      {"ratio", c.ratio},
                                                      {"rule", c.rule},
                                                      {"cash", c.cash_types},
                                                      {"case_min_amount", c.case_min_amount},
                                                      {"recharge_type", ctx.recharge_types()},
                                                      {"balance", balance}});
      });
  info.quick = true;  // one read, no transaction
  return {std::move(info)};
}

}  // namespace payhost::wallet
