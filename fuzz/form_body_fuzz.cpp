// application/x-www-form-urlencoded from outside: sdk::parse_form (notifications, query
// strings) and the /v1 API's bracket-key reader (api/request_body.cpp) on a form body and
// on the same bytes as a query string. Both readings of one string must agree, and a body
// that is accepted is an object whose leaves are strings, within the documented bounds.
#include <cstddef>
#include <cstdint>
#include <string>

#include "api/request_body.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/testing/fuzzing.hpp"

using payhost::sdk::testing::fuzz_check;
namespace api = payhost::host::api;

namespace {

// Leaves are strings; objects nest at most kMaxBracketDepth + 1 levels.
bool well_formed(const payhost::sdk::Json& j, int depth) {
  if (j.is_string()) return true;
  if (!j.is_object() || depth > api::kMaxBracketDepth + 1) return false;
  for (const auto& [key, value] : j.items()) {
    if (key.empty() || !well_formed(value, depth + 1)) return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto pairs = payhost::sdk::parse_form(text);
  const auto map = payhost::sdk::parse_form_map(text);
  fuzz_check(map.size() <= pairs.size(), "the map holds no name the pairs lack");

  payhost::sdk::HttpRequest request;
  request.method = "POST";
  request.headers.set("Content-Type", "application/x-www-form-urlencoded");
  request.body = text;
  request.raw_query = text;
  const auto body = api::parse_request_body(request);
  const auto query = api::parse_request_query(request);
  fuzz_check(body.ok() == query.ok(), "a body and a query string of the same bytes read alike");
  if (body.ok()) {
    fuzz_check(*body == *query, "a body and a query string of the same bytes read alike");
    fuzz_check(body->is_object() && well_formed(*body, 0), "an accepted body is a tree of strings");
    fuzz_check(pairs.size() <= api::kMaxFormPairs, "no more pairs than the limit");
  }
  return 0;
}
