// Text encodings used by provider protocols.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace payhost::sdk {

// Standard base64 with padding and no line breaks.
std::string base64_encode(std::string_view data);
// Standard base64; whitespace and line breaks are ignored; anything else invalid -> nullopt.
std::optional<std::string> base64_decode(std::string_view text);
// base64url without padding (JWT).
std::string base64url_encode(std::string_view data);
std::optional<std::string> base64url_decode(std::string_view text);

std::string hex_lower(std::string_view data);
std::string hex_upper(std::string_view data);

// Percent-encodes everything but RFC 3986 unreserved characters (A-Z a-z 0-9 - _ . ~),
// like JavaScript's encodeURIComponent minus its few extra exceptions. Space -> %20.
std::string url_encode(std::string_view text);
// Decodes %XX once; '+' becomes a space when `plus_is_space`. Malformed escapes -> nullopt.
std::optional<std::string> url_decode(std::string_view text, bool plus_is_space = true);
// "k=v&k2=v2" with url_encode'd keys and values, in the given order.
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& pairs);

// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

}  // namespace payhost::sdk
