// The library's only exported symbol: the descriptor payhostd reads before anything else.
#include "payhost/sdk/abi.hpp"
#include "unionpay_plugin.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_CHANNEL, "unionpay", "1.0.0",
                        "UnionPay online payments (ACP 5.1.0): Apple Pay, app, mobile web and PC",
                        payhost::unionpay::UnionpayPlugin);
