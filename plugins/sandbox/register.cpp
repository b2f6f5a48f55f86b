// The library's one exported symbol. Kept apart from the plugin class so unit tests can
// link the class without exporting a descriptor.
#include "payhost/sdk/abi.hpp"
#include "sandbox_plugin.hpp"

PAYHOST_REGISTER_PLUGIN(
    PAYHOST_PLUGIN_PRODUCT, "sandbox", "1.0.0",
    "Provider simulators for test mode (Alipay gateway, cashier, notifications)",
    payhost::sandbox::SandboxPlugin);
