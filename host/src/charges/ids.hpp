// Identifiers in Ping++'s formats.
#pragma once

#include <cstdint>
#include <string>

namespace payhost::host {

std::string new_charge_id();  // "ch_" + 24 letters/digits
std::string new_event_id();   // "evt_" + 24 letters/digits
std::string new_refund_id();  // "re_" + 24 letters/digits
// 24 letters/digits: UTC timestamp yyyyMMddHHmmss + 10 random. Fits Alipay (1-64),
// WeChat (6-32) and UnionPay (8-40, letters and digits only).
std::string new_order_no(std::int64_t now);
std::string new_request_id();  // 16 hex characters

}  // namespace payhost::host
