// Everything the simulated WeChat Pay needs, built once in do_start and shared read-only
// (apart from the store and the notifier, which are thread-safe) by the API routes, the
// test hooks and the cashier's Simulator.
#pragma once

#include <memory>
#include <string>

#include "notifier.hpp"
#include "options.hpp"
#include "payhost/sdk/host.hpp"
#include "platform_signer.hpp"
#include "rsa_sha256.hpp"
#include "trade_store.hpp"

namespace payhost::sandbox_wechat {

struct WechatSim {
  WechatSim(sdk::Host& h, SimOptions o, RsaKey merchant_key, std::string merchant_cert_serial,
            std::shared_ptr<const PlatformSigner> platform, std::string v3_key)
      : host(h),
        options(std::move(o)),
        merchant_public_key(std::move(merchant_key)),
        merchant_serial(std::move(merchant_cert_serial)),
        signer(std::move(platform)),
        apiv3_key(std::move(v3_key)),
        store(h.database()),
        notifier(h, signer, options.notify_retry, options.notify_max_attempts) {}

  sdk::Host& host;
  SimOptions options;
  RsaKey merchant_public_key;   // verifies what the merchant (the wechat channel) signs
  std::string merchant_serial;  // the serial_no its requests must carry
  std::shared_ptr<const PlatformSigner> signer;  // signs what "WeChat Pay" says
  std::string apiv3_key;                         // seals notification resources
  TradeStore store;
  Notifier notifier;
};

}  // namespace payhost::sandbox_wechat
