// The two ways UnionPay writes a parameter set, read strictly, and the form payhost sends.
//
// Synchronous answers (appTransReq, backTransReq, queryTrans) are raw "k=v&k=v" with values
// NOT percent-encoded (base64 holds '=', signPubKeyCert holds line breaks, some values are
// {...} or [...] holding '&'): they split on '&' only outside braces and brackets, each pair
// at its first '='. Back notifications are ordinary HTML form posts: decoded once.
//
// Either way the result must split back one way, because the signature covers the values
// joined with '&': names are [A-Za-z0-9_], no name repeats, no value holds '&' outside a
// balanced {...} or [...]. Values are UTF-8 without control characters other than CR, LF
// and TAB (signPubKeyCert's PEM lines). Sizes and counts are bounded.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "payhost/sdk/result.hpp"

namespace payhost::unionpay {

// In the order received (or built). Names are unique.
using Fields = std::vector<std::pair<std::string, std::string>>;

inline constexpr std::size_t kMaxMessageBytes = 64 * 1024;
inline constexpr std::size_t kMaxFields = 100;
inline constexpr std::size_t kMaxNameBytes = 64;
inline constexpr std::size_t kMaxValueBytes = 16 * 1024;

// Errors are invalid_request with codes message_too_large, malformed_message,
// too_many_fields, invalid_field_name, duplicate_field, value_too_large, invalid_utf8,
// control_character, ambiguous_value (and for forms, malformed_escape).
sdk::Result<Fields> parse_sync_answer(std::string_view body);
sdk::Result<Fields> parse_notification_form(std::string_view body);

// application/x-www-form-urlencoded: each name and value percent-encoded once, in order.
std::string form_body(const Fields& fields);

// The value of `name`, or nullopt when absent.
std::optional<std::string> field(const Fields& fields, std::string_view name);
// The value of `name`, or "" when absent.
std::string field_or_empty(const Fields& fields, std::string_view name);

// Provider text for messages and failure_msg: controls replaced, at most 200 bytes, cut on
// a UTF-8 character boundary.
std::string short_text(std::string_view text);

}  // namespace payhost::unionpay
