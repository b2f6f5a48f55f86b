// What a /v1 request carries, as one JSON object: a JSON body (Ping++'s SDKs for PHP, Node,
// Python, Java and Go send one on POST), or a form body or query string with qs-style
// bracket keys (app[id]=..., metadata[k]=..., created[gt]=...), as curl users, older SDKs
// and every GET send.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host::api {

inline constexpr std::size_t kMaxFormPairs = 256;
inline constexpr std::size_t kMaxFormKeyBytes = 128;
inline constexpr int kMaxBracketDepth = 4;  // a[b][c][d][e]: extra objects nest a little

// Pairs with bracket keys -> an object whose leaves are strings. Refused (invalid_request,
// param = the key): a malformed key ("a[", "a]b", "[x]", "a[]", an empty segment), more
// than kMaxBracketDepth brackets, a key given twice, a key that is both a value and an
// object (a=1&a[b]=2), more than kMaxFormPairs pairs.
sdk::Result<sdk::Json> parse_bracket_pairs(
    const std::vector<std::pair<std::string, std::string>>& pairs);

// The body of a POST: application/json (an object) or application/x-www-form-urlencoded;
// an empty body is an empty object. Anything else is refused.
sdk::Result<sdk::Json> parse_request_body(const sdk::HttpRequest& request);

// The query string as an object (bracket keys as above).
sdk::Result<sdk::Json> parse_request_query(const sdk::HttpRequest& request);

}  // namespace payhost::host::api
