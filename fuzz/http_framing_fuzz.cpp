// The listener's request framing (http/http_framing.cpp) over arbitrary connection bytes.
// The bytes are framed twice: appended whole, and appended in pieces cut at points the
// input itself picks, as a connection receives them. Framing must not depend on how TCP cut
// the stream (that difference is how requests get smuggled), so both must frame the same
// requests and end the same way; each request must also respect the limits.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "http/http_framing.hpp"
#include "payhost/sdk/testing/fuzzing.hpp"

namespace {

using payhost::host::RequestFramer;
using payhost::sdk::testing::fuzz_check;

// Small limits, so inputs of a few KB reach them.
constexpr RequestFramer::Limits kLimits{.max_header_bytes = 1024, .max_body_bytes = 2048};

struct Framed {
  std::vector<std::string> requests;  // each request, flattened for comparison
  int refusal = 0;                    // the refusal's status, 0 if none
};

std::string flatten(const payhost::sdk::HttpRequest& r, bool keep_alive) {
  std::string out = r.method + ' ' + r.path + '?' + r.raw_query + '\n';
  for (const auto& [name, value] : r.headers.all())
    out += name + ':' + value + '\n';
  out += keep_alive ? "keep-alive\n" : "close\n";
  return out + r.body;
}

// Frames what has arrived so far, as the connection does after each read; stops at a
// refusal or after a request that closes the connection.
bool drain(RequestFramer& framer, Framed& out, std::size_t received) {
  for (;;) {
    payhost::sdk::HttpRequest request;
    bool keep_alive = true;
    const auto result = framer.next(request, keep_alive);
    if (result == RequestFramer::Result::incomplete) return true;
    if (result == RequestFramer::Result::refused) {
      out.refusal = framer.refusal().status;
      fuzz_check(out.refusal >= 400 && out.refusal <= 599, "a refusal is a 4xx or 5xx status");
      return false;
    }
    fuzz_check(!request.path.empty() && request.path.front() == '/', "paths are absolute");
    fuzz_check(!request.method.empty(), "a request has a method");
    fuzz_check(request.body.size() <= kLimits.max_body_bytes, "bodies stay within the limit");
    fuzz_check(request.body.size() <= received, "a body is never longer than what arrived");
    out.requests.push_back(flatten(request, keep_alive));
    if (!keep_alive) return false;
  }
}

Framed frame(std::string_view bytes, const std::vector<std::size_t>& cuts) {
  RequestFramer framer(kLimits);
  Framed out;
  std::size_t from = 0;
  for (std::size_t cut : cuts) {
    framer.append(bytes.data() + from, cut - from);
    from = cut;
    if (!drain(framer, out, from)) return out;
  }
  framer.append(bytes.data() + from, bytes.size() - from);
  drain(framer, out, bytes.size());
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  // Up to four cut points, ascending, taken from the input's first and last bytes.
  std::vector<std::size_t> cuts;
  if (size > 0) {
    std::size_t at = 0;
    for (std::size_t i = 0; i < 4 && i < size; ++i) {
      at += (static_cast<std::size_t>(data[size - 1 - i]) * 7 + data[i]) % (size / 4 + 1);
      if (at >= size) break;
      if (at > 0 && (cuts.empty() || at > cuts.back())) cuts.push_back(at);
    }
  }
  const Framed whole = frame(bytes, {});
  const Framed pieces = frame(bytes, cuts);
  fuzz_check(whole.requests == pieces.requests, "the same requests however the bytes arrive");
  fuzz_check(whole.refusal == pieces.refusal, "the same refusal however the bytes arrive");
  return 0;
}
