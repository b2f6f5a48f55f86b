// The library's one exported symbol. Kept apart from the plugin class so unit tests can
// link the class without exporting a descriptor.
#include "cashier_plugin.hpp"
#include "payhost/sdk/abi.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_PRODUCT, "sandbox", "2.1.0",
                        "Sandbox cashier for test mode: shows any test-mode charge and pays, "
                        "fails, closes or expires it "
                        "through the simulator plugin of its channel",
                        payhost::cashier::CashierPlugin);
