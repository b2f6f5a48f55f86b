// WeChat Pay's APIv3 notification (Wechatpay-* headers with an RSA signature over
// "timestamp\nnonce\nbody\n", a JSON envelope, the transaction sealed with AES-256-GCM under
// the APIv3 key) through the plugin's real entry point, verify_notification, on arbitrary
// headers and bodies (harness.hpp says how an input splits). The checked-in seeds are
// notifications signed with the sandbox platform key in keys/ and sealed with its APIv3 key,
// so mutations start from messages that pass the signature and reach what lies behind it.
//
// Never a crash, and the verdict any channel owes (payhost/sdk/testing/fuzzing.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "harness.hpp"
#include "payhost/sdk/testing/fuzzing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static payhost::wechat::fuzzing::Harness harness;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto status =
      harness.plugin.verify_notification(payhost::wechat::fuzzing::notify_request(input));
  payhost::sdk::testing::check_notification_verdict(status);
  return 0;
}
