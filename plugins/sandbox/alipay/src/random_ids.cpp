#include "random_ids.hpp"

#include <stdexcept>
#include <vector>

#include <openssl/rand.h>

#include "beijing_time.hpp"

namespace payhost::sandbox_alipay {
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

}  // namespace

std::string random_digits(std::size_t count) {
  return random_from("0123456789", count);
}

std::string random_lower_alnum(std::size_t count) {
  return random_from("abcdefghijklmnopqrstuvwxyz0123456789", count);
}

std::string make_trade_no(std::int64_t now) {
  return beijing_date_digits(now) + "2200" + random_digits(16);
}

std::string make_qr_code() {
  return "https://qr.alipay.com/bax" + random_lower_alnum(22);
}

std::string make_notify_id() {
  return random_lower_alnum(34);
}

std::string make_buyer_id() {
  return "2088" + random_digits(12);
}

}  // namespace payhost::sandbox_alipay
