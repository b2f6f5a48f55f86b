// The two text shapes ACP messages travel in: requests and back notifications are HTML
// form bodies (application/x-www-form-urlencoded, each value percent-encoded once), while
// synchronous answers are raw "k=v&k=v" with values as they are (base64 with '=', a PEM
// with \r\n), which readers split on '&' only outside {…} and […].
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "acp_signature.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sandbox_unionpay {

inline constexpr std::size_t kMaxFormBytes = 64 * 1024;
inline constexpr std::size_t kMaxFormFields = 100;

// Decodes a form body once ('+' is a space). Refused (an error whose message says why):
// more than kMaxFormBytes or kMaxFormFields, a piece without '=', a malformed escape, a
// name outside [A-Za-z0-9_]{1,64}, a repeated name, a value that is not UTF-8 or holds a
// control character or '&' (the signed string "k=v&k=v" must split back one way only).
sdk::Result<Fields> parse_request_form(std::string_view body);

// Valid UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool valid_utf8(std::string_view text);

// Sorted "k=v&k=v" with raw values: the body of a synchronous answer.
std::string raw_answer(const Fields& fields);

// An answer body read as ACP clients read it (split on '&' outside {…}/[…], each pair at its
// first '=', nothing decoded); nullopt for a piece without '=' or a repeated name.
std::optional<Fields> parse_raw_answer(std::string_view body);

}  // namespace payhost::sandbox_unionpay
