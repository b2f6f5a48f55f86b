#include "random_ids.hpp"

#include <stdexcept>
#include <vector>

#include <openssl/rand.h>

#include "beijing_time.hpp"

namespace payhost::sandbox_unionpay {

std::string random_digits(std::size_t count) {
  // Rejection sampling keeps every digit equally likely.
  std::string out;
  out.reserve(count);
  std::vector<unsigned char> buffer(count * 2 + 8);
  while (out.size() < count) {
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
      throw std::runtime_error("RAND_bytes failed");
    }
    for (unsigned char b : buffer) {
      if (b >= 250) continue;
      out += static_cast<char>('0' + b % 10);
      if (out.size() == count) break;
    }
  }
  return out;
}

std::string make_tn(std::int64_t now) {
  return beijing_digits(now) + random_digits(7);
}

std::string make_trace_no() {
  return random_digits(6);
}

std::string make_query_id(std::int64_t at, const std::string& trace_no) {
  return random_digits(2) + beijing_digits(at).substr(2, 12) + trace_no + random_digits(1);
}

}  // namespace payhost::sandbox_unionpay
