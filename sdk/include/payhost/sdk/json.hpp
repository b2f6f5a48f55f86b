// The JSON type used across the SDK. Ordered, because API field order is a contract
// (Ping++ charges and the seed APIs list their fields in a fixed order).
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace payhost::sdk {

using Json = nlohmann::ordered_json;

// How deeply parse_json lets objects and arrays nest. Payment requests need a few levels;
// nlohmann parses any depth, but copying, comparing or dumping a tree is recursive: a body
// of a few hundred KB of nested `{"a":` would exhaust a worker's stack.
inline constexpr int kMaxJsonDepth = 64;

// Parses text from outside (request bodies, provider answers, tokens). Not JSON, or nested
// deeper than kMaxJsonDepth: a discarded value (is_discarded()), as
// Json::parse(text, nullptr, false) gives for text that is not JSON. Use it, not
// Json::parse, for anything a client or a network peer wrote.
Json parse_json(std::string_view text);

// Compact text of `j`, byte for byte what `j.dump(-1, ' ', false, replace)` writes (and what
// HttpResponse::json sends): invalid UTF-8 becomes U+FFFD instead of throwing. Strings that
// need no escaping (ids, signatures, URL-encoded order strings) are copied whole rather than
// walked byte by byte, so a long credential costs a copy, not a parse.
std::string json_dump(const Json& j);
void append_json(std::string& out, const Json& j);
// `s` as a JSON string literal, quotes included, as json_dump would write it.
void append_json_string(std::string& out, std::string_view s);

}  // namespace payhost::sdk
