// For fuzz targets (libFuzzer's LLVMFuzzerTestOneInput), a plugin's or payhost's own: the one
// way to report a broken invariant, and what any channel's verify_notification must answer
// whatever bytes it is given. Header only.
#pragma once

#include <cstdio>
#include <cstdlib>

#include "payhost/sdk/channel.hpp"

namespace payhost::sdk::testing {

// A message, then abort(): libFuzzer records it as a crash (and keeps the input), a replay
// of the corpus as a failed test.
inline void fuzz_check(bool ok, const char* invariant) {
  if (ok) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", invariant);
  std::abort();
}

// No exception may reach the SDK's barrier (it answers kind internal: a plugin bug), and an
// accepted notification carries what the host's cross-check needs: an order number, and an
// amount in fen or -1 for none (the host then compares it with the charge).
inline void check_notification_verdict(const Result<TradeStatus>& status) {
  if (status.ok()) {
    fuzz_check(!status->order_no.empty(), "an accepted notification names its order");
    fuzz_check(status->amount >= -1, "an amount is fen or -1");
  } else {
    fuzz_check(status.error().kind != ErrorKind::internal, "no exception escapes the plugin");
  }
}

}  // namespace payhost::sdk::testing
