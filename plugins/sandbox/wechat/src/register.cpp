// The library's one exported symbol. Kept apart from the plugin class so unit tests can
// link the class without exporting a descriptor.
#include "payhost/sdk/abi.hpp"
#include "sandbox_wechat_plugin.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_PRODUCT, "sandbox_wechat", "1.0.0",
                        "Simulated WeChat Pay API v3 for test mode (prepay, query, close, "
                        "refunds, encrypted notifications, cashier simulator)",
                        payhost::sandbox_wechat::SandboxWechatPlugin);
