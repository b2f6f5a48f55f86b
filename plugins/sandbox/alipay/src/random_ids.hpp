// Identifiers in the shapes Alipay uses, from OpenSSL's CSPRNG (RAND_bytes) so that two
// simulators on one database never collide the way a seeded PRNG could.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace payhost::sandbox_alipay {

std::string random_digits(std::size_t count);
std::string random_lower_alnum(std::size_t count);

// 28 digits: Beijing date (yyyyMMdd) + "2200" + 16 random digits, like
// 2024010122001412345678901234.
std::string make_trade_no(std::int64_t now);
// https://qr.alipay.com/bax... (22 lower-case letters/digits after "bax").
std::string make_qr_code();
// 34 lower-case letters/digits.
std::string make_notify_id();
// 2088 + 12 digits.
std::string make_buyer_id();

}  // namespace payhost::sandbox_alipay
