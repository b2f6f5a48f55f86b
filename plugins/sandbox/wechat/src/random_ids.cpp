#include "random_ids.hpp"

#include <stdexcept>
#include <string_view>
#include <vector>

#include <openssl/rand.h>

#include "rfc3339.hpp"

namespace payhost::sandbox_wechat {
namespace {

// Rejection sampling keeps every symbol equally likely.
std::string random_from(std::string_view alphabet, std::size_t count) {
  const auto limit = static_cast<unsigned>(256 - 256 % alphabet.size());
  std::string out;
  out.reserve(count);
  std::vector<unsigned char> buffer(count * 2 + 16);
  while (out.size() < count) {
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    for (unsigned char b : buffer) {
      if (b >= limit) continue;
      out += alphabet[b % alphabet.size()];
      if (out.size() == count) break;
    }
  }
  return out;
}

constexpr std::string_view kLowerHex = "0123456789abcdef";

}  // namespace

std::string random_digits(std::size_t count) {
  return random_from("0123456789", count);
}

std::string random_alnum(std::size_t count) {
  return random_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", count);
}

std::string make_prepay_id(std::int64_t now) {
  return "wx" + beijing_timestamp_digits(now) + random_from(kLowerHex, 20);
}

std::string make_h5_url(const std::string& prepay_id) {
  return "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=" + prepay_id +
         "&package=" + random_digits(10);
}

std::string make_code_url() {
  return "weixin://wxpay/bizpayurl?pr=" + random_alnum(7);
}

std::string make_transaction_id(std::int64_t now) {
  return "4200" + random_digits(6) + beijing_date_digits(now) + random_digits(10);
}

std::string make_refund_id(std::int64_t now) {
  return "50" + random_digits(11) + beijing_date_digits(now) + random_digits(8);
}

std::string make_openid() {
  return "o" + random_from("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-", 27);
}

std::string make_notification_id() {
  std::string hex = random_from(kLowerHex, 32);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

std::string make_request_id() {
  return random_from("0123456789ABCDEF", 48);
}

}  // namespace payhost::sandbox_wechat
