#include "charges/ids.hpp"

#include <cstdint>
#include <cstdio>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "text/utc_time.hpp"

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
  return format_utc(now, "%Y%m%d%H%M%S") + sdk::crypto::random_alnum(10);
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
