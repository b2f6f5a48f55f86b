// Alipay's asynchronous notification (a form signed RSA2 over the sorted pairs) through the
// plugin's real entry point, verify_notification, on arbitrary bodies. The checked-in seeds
// are notifications signed with the sandbox platform key in keys/, so mutations start from
// bodies that pass the signature and reach the fields behind it.
//
// Never a crash, and no exception may reach the SDK's barrier (it would answer
// kind internal: a plugin bug). An accepted notification must carry what the host's
// cross-check needs: an order number, and an amount in fen or -1 for none (the host then
// compares it with the charge).
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "harness.hpp"

using payhost::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static payhost::alipay::fuzzing::Harness harness;
  const std::string body(reinterpret_cast<const char*>(data), size);
  const auto status =
      harness.plugin.verify_notification(payhost::alipay::fuzzing::notify_request(body));
  if (status.ok()) {
    check(!status->order_no.empty(), "an accepted notification names its order");
    check(status->amount >= -1, "an amount is fen or -1");
  } else {
    check(status.error().kind != payhost::sdk::ErrorKind::internal,
          "no exception escapes the plugin");
  }
  return 0;
}
