// The library's one exported symbol. Kept apart from the plugin class so unit tests can
// link the class without exporting a descriptor.
#include "payhost/sdk/abi.hpp"
#include "sandbox_unionpay_plugin.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_PRODUCT, "sandbox_unionpay", "1.0.0",
                        "Simulated UnionPay ACP 5.1.0 for test mode (its CA and merchant .pfx, "
                        "app/front consume, query, refunds, back notifications, cashier "
                        "simulator)",
                        payhost::sandbox_unionpay::SandboxUnionpayPlugin);
