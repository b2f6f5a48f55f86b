// What every wallet route shares: configuration, the host's services, the ledger, and
// the answers all routes give the same way.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "cash_attempts.hpp"
#include "ledger.hpp"
#include "options.hpp"
#include "payhost/sdk/host.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/product.hpp"

namespace payhost::wallet {

struct WalletContext {
  WalletContext(WalletConfig c, sdk::Host& h)
      : config(std::move(c)),
        host(h),
        ledger(h.database().dialect()),
        cash_attempts(config.cash_rate_limit, config.cash_rate_window_seconds) {}

  const WalletConfig config;
  sdk::Host& host;
  const Ledger ledger;
  const CashAttempts cash_attempts;

  std::int64_t now() const { return host.clock().now(); }
  // The configured recharge channels that a channel plugin has enabled, in configured order.
  std::vector<std::string> recharge_types() const;
  // GET /wallet's answer up to the balance: the same for every caller once the host runs,
  // so it is serialised on the first request instead of on every one.
  const std::string& wallet_info_prefix() const;

 private:
  mutable std::once_flag info_once_;
  mutable std::string info_prefix_;
};

// Filled by start(). Routes hold a reference to the slot, not to the context, so they can
// be listed before start and answer 503 rather than crash if called too early.
using ContextSlot = std::unique_ptr<WalletContext>;

// 401 {"message":"Unauthenticated."}
sdk::HttpResponse unauthenticated();
// Logs the error with what was being done and answers 500 without internals.
sdk::HttpResponse internal_error(WalletContext& ctx, std::string_view what,
                                 const sdk::Error& error);

using UserHandler =
    std::function<sdk::HttpResponse(WalletContext&, const sdk::HttpRequest&, std::int64_t user_id)>;
using AdminHandler = std::function<sdk::HttpResponse(WalletContext&, const sdk::HttpRequest&)>;

// Routes whose handlers are guarded (no exception leaves the plugin). A user handler gets
// the caller's numeric id: a token whose subject is not a user id answers 401.
sdk::Route user_route(const ContextSlot& slot, std::string method, std::string path,
                      UserHandler handler, bool idempotent = false);
sdk::Route admin_route(const ContextSlot& slot, std::string method, std::string path,
                       AdminHandler handler);

std::vector<sdk::Route> wallet_info_routes(const ContextSlot& slot);
std::vector<sdk::Route> recharge_routes(const ContextSlot& slot);
std::vector<sdk::Route> charge_routes(const ContextSlot& slot);
std::vector<sdk::Route> cash_routes(const ContextSlot& slot);
std::vector<sdk::Route> admin_routes(const ContextSlot& slot);

}  // namespace payhost::wallet
