#include "hello_channel.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_CHANNEL, "hello_channel", "1.0.0",
                        "Example third-party channel", hello::HelloChannel);
