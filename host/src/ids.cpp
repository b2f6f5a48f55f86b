#include "ids.hpp"

#include <cstdint>
#include <cstdio>
#include <ctime>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"

namespace payhost::host {

std::string new_charge_id() {
  return "ch_" + sdk::crypto::time_ordered_alnum(24);
}
std::string new_event_id() {
  return "evt_" + sdk::crypto::time_ordered_alnum(24);
}
std::string new_refund_id() {
  return "re_" + sdk::crypto::time_ordered_alnum(24);
}

std::string new_order_no(std::int64_t now) {
  const std::time_t t = static_cast<std::time_t>(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[16];
  std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%S", &tm);
  return std::string(stamp) + sdk::crypto::random_alnum(10);
}

std::string new_request_id() {
  // Unique, not secret: a random prefix per thread and a counter, so a request does not pay
  // for the CSPRNG.
  thread_local const std::string prefix = sdk::hex_lower(sdk::crypto::random_bytes(4));
  thread_local std::uint32_t counter = 0;
  char tail[9];
  std::snprintf(tail, sizeof tail, "%08x", ++counter);
  return prefix + tail;
}

}  // namespace payhost::host
