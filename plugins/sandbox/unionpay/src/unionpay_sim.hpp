// Everything the simulated UnionPay needs, built once in do_start and shared read-only
// (apart from the store and the notifier, which are thread-safe) by the gateway routes,
// the test hook and the cashier's Simulator.
#pragma once

#include "notifier.hpp"
#include "options.hpp"
#include "payhost/sdk/host.hpp"
#include "sandbox_pki.hpp"
#include "trade_store.hpp"

namespace payhost::sandbox_unionpay {

struct UnionpaySim {
  UnionpaySim(sdk::Host& h, SimOptions o, SandboxPki p)
      : host(h),
        options(std::move(o)),
        pki(std::move(p)),
        store(h.database()),
        notifier(h, options.notify_retry, options.notify_max_attempts) {}

  sdk::Host& host;
  SimOptions options;
  SandboxPki pki;
  TradeStore store;
  Notifier notifier;
};

}  // namespace payhost::sandbox_unionpay
