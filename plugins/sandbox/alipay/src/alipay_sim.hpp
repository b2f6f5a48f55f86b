// Everything the simulated Alipay needs, built once in do_start and shared read-only by
// the gateway, the cashier and the notification hook.
#pragma once

#include "evp_rsa.hpp"
#include "notifier.hpp"
#include "options.hpp"
#include "payhost/sdk/host.hpp"
#include "trade_store.hpp"

namespace payhost::sandbox_alipay {

struct AlipaySim {
  AlipaySim(sdk::Host& h, SandboxOptions o, rsa::Key merchant, rsa::Key platform)
      : host(h),
        options(std::move(o)),
        merchant_public_key(std::move(merchant)),
        platform_private_key(std::move(platform)),
        store(h.database()),
        notifier(h, options.notify_retry, options.notify_max_attempts) {}

  sdk::Host& host;
  SandboxOptions options;
  rsa::Key merchant_public_key;   // verifies what the merchant (the alipay channel) signs
  rsa::Key platform_private_key;  // signs what "Alipay" says
  TradeStore store;
  Notifier notifier;
};

}  // namespace payhost::sandbox_alipay
