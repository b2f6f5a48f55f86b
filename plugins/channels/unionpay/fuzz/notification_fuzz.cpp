// UnionPay's ACP 5.1.0 notification (a form carrying its signing certificate,
// signPubKeyCert, and an RSA-SHA256 signature over the SHA-256 of the sorted pairs) through
// the plugin's real entry point, verify_notification, on arbitrary bodies. The checked-in
// seeds are signed by a certificate of the sandbox PKI in keys/, so mutations start from
// bodies whose certificate chains and whose signature verifies.
//
// Never a crash, and the verdict any channel owes (payhost/sdk/testing/fuzzing.hpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness.hpp"
#include "payhost/sdk/testing/fuzzing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static payhost::unionpay::fuzzing::Harness harness;
  const std::string body(reinterpret_cast<const char*>(data), size);
  const auto status =
      harness.plugin.verify_notification(payhost::unionpay::fuzzing::notify_request(body));
  payhost::sdk::testing::check_notification_verdict(status);
  return 0;
}
