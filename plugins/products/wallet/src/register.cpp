// The library's one exported symbol.
#include "payhost/sdk/abi.hpp"
#include "wallet_plugin.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_PRODUCT, "wallet", "1.0.0",
                        "ThinkSNS+ wallet: balances, recharges, withdrawals, admin review",
                        payhost::wallet::WalletPlugin);
