// WeChat Pay's APIv3 notification (Wechatpay-* headers with an RSA signature over
// "timestamp\nnonce\nbody\n", a JSON envelope, the transaction sealed with AES-256-GCM under
// the APIv3 key) through the plugin's real entry point, verify_notification, on arbitrary
// headers and bodies (harness.hpp says how an input splits). The checked-in seeds are
// notifications signed with the sandbox platform key in keys/ and sealed with its APIv3 key,
// so mutations start from messages that pass the signature and reach what lies behind it.
//
// Never a crash, and no exception may reach the SDK's barrier (it would answer
// kind internal: a plugin bug). An accepted notification must carry what the host's
// cross-check needs: an order number, and an amount in fen or -1 for none (the host then
// compares it with the charge).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include "harness.hpp"

using payhost::fuzz::check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static payhost::wechat::fuzzing::Harness harness;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto status =
      harness.plugin.verify_notification(payhost::wechat::fuzzing::notify_request(input));
  if (status.ok()) {
    check(!status->order_no.empty(), "an accepted notification names its order");
    check(status->amount >= -1, "an amount is fen or -1");
  } else {
    check(status.error().kind != payhost::sdk::ErrorKind::internal,
          "no exception escapes the plugin");
  }
  return 0;
}
