// The library's only exported symbol: the descriptor payhostd reads before anything else.
#include "payhost/sdk/abi.hpp"
#include "wechat_plugin.hpp"

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_CHANNEL, "wechat", "1.0.0",
                        "WeChat Pay API v3: app, H5, official account, Native QR and mini program",
                        payhost::wechat::WechatPlugin);
