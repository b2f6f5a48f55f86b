// The library's only exported symbol: the descriptor payhostd reads before anything else.
#include "alipay_plugin.hpp"
#include "payhost/sdk/abi.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_CHANNEL, "alipay", "1.0.0",
                        "Alipay OpenAPI (RSA2): app, wap, page and QR payments",
                        payhost::alipay::AlipayPlugin);
