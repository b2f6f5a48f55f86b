// The library's one exported symbol. Kept apart from the plugin class so unit tests can
// link the class without exporting a descriptor.
#include "payhost/sdk/abi.hpp"
#include "sandbox_alipay_plugin.hpp"

PAYHOST_REGISTER_PLUGIN(
    PAYHOST_PLUGIN_PRODUCT, "sandbox_alipay", "1.0.0",
    "Simulated Alipay for test mode (gateway.do, notifications, cashier simulator)",
    payhost::sandbox_alipay::SandboxAlipayPlugin);
