// Identifiers in the shapes WeChat Pay uses, from OpenSSL's CSPRNG so that two simulators
// on one database never collide the way a seeded generator could.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace payhost::sandbox_wechat {

std::string random_digits(std::size_t count);
std::string random_alnum(std::size_t count);  // [0-9A-Za-z]

// "wx" + Beijing yyyyMMddHHmmss + 20 lower-case hex characters (36 characters, like
// wx201410272009395522657a690389285100).
std::string make_prepay_id(std::int64_t now);
// https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=<id>&package=<10 digits>
std::string make_h5_url(const std::string& prepay_id);
// weixin://wxpay/bizpayurl?pr=<7 letters/digits>
std::string make_code_url();
// 28 digits: "4200" + 6 digits + Beijing yyyyMMdd + 10 digits.
std::string make_transaction_id(std::int64_t now);
// 29 digits: "50" + 11 digits + Beijing yyyyMMdd + 8 digits.
std::string make_refund_id(std::int64_t now);
// "o" + 27 of [A-Za-z0-9_-]: the shape of an openid.
std::string make_openid();
// A notification id in UUID shape (8-4-4-4-12 lower-case hex).
std::string make_notification_id();
// Request-ID on answers and notifications: 48 upper-case hex characters.
std::string make_request_id();

}  // namespace payhost::sandbox_wechat
