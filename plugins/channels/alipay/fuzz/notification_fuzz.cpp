// Alipay's asynchronous notification (a form signed RSA2 over the sorted pairs) through the
// plugin's real entry point, verify_notification, on arbitrary bodies. The checked-in seeds
// are notifications signed with the sandbox platform key in keys/, so mutations start from
// bodies that pass the signature and reach the fields behind it.
//
// Never a crash, and the verdict any channel owes (payhost/sdk/testing/fuzzing.hpp).
#include <cstddef>
#include <cstdint>
#include <string>

#include "harness.hpp"
#include "payhost/sdk/testing/fuzzing.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static payhost::alipay::fuzzing::Harness harness;
  const std::string body(reinterpret_cast<const char*>(data), size);
  const auto status =
      harness.plugin.verify_notification(payhost::alipay::fuzzing::notify_request(body));
  payhost::sdk::testing::check_notification_verdict(status);
  return 0;
}
