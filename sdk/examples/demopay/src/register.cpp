// The library's one exported symbol: the descriptor payhostd loads.
#include "demopay_plugin.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_CHANNEL, "demopay", "1.0.0",
                        "DemoPay: the template channel for plugin authors", demopay::DemoPayPlugin);
