// JSON from outside: sdk::parse_json (depth-limited) and the /v1 API's body reader
// (api/request_body.cpp) on an application/json body. What parses must dump and parse back
// to the same value: the host stores and re-sends what it dumped (idempotent replays,
// events), so a value that does not survive its own text would change on the way.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/request_body.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/testing/fuzzing.hpp"

using payhost::sdk::testing::fuzz_check;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const payhost::sdk::Json parsed = payhost::sdk::parse_json(text);
  if (!parsed.is_discarded()) {
    const payhost::sdk::Json again = payhost::sdk::parse_json(payhost::sdk::json_dump(parsed));
    fuzz_check(!again.is_discarded(), "a parsed value's dump parses");
    fuzz_check(again == parsed, "a parsed value's dump parses to the same value");
  }

  payhost::sdk::HttpRequest request;
  request.method = "POST";
  request.headers.set("Content-Type", "application/json; charset=utf-8");
  request.body = text;
  const auto body = payhost::host::api::parse_request_body(request);
  if (body.ok()) {
    fuzz_check(body->is_object(), "a request body is an object");
    fuzz_check(size == 0 || *body == parsed, "the body reader and parse_json agree");
  }
  return 0;
}
