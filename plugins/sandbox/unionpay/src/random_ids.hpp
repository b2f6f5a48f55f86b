// Numbers in the shapes UnionPay uses, from OpenSSL's CSPRNG so that several simulators
// on one database never collide the way a seeded generator could.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace payhost::sandbox_unionpay {

std::string random_digits(std::size_t count);

// tn, the payment token the UnionPay control takes: 21 digits, Beijing
// YYYYMMDDhhmmss of its creation + 7 random digits.
std::string make_tn(std::int64_t now);

// The system trace number (traceNo): 6 digits.
std::string make_trace_no();

// queryId, UnionPay's transaction number: 21 digits shaped like the published ones
// (512209110416475616528 = 2 digits, Beijing YYMMDDhhmmss, the 6-digit traceNo, 1 digit).
std::string make_query_id(std::int64_t at, const std::string& trace_no);

}  // namespace payhost::sandbox_unionpay
