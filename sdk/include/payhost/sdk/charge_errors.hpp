// The codes ChargeService::create refuses a request with (ErrorKind::invalid_request, with
// `param` naming the field). Products translate them into their own API's words by
// comparing with these constants, never with spelled-out strings:
//
//   if (error.code == sdk::charge_errors::extra_missing) ...
//
// Any other error is the channel's (kind channel: the provider refused) or an unknown
// outcome (kind unavailable: timeout, network), whose code is the channel plugin's own.
#pragma once

#include <string_view>

namespace payhost::sdk::charge_errors {

// `channel` is not a channel an enabled plugin declares.
inline constexpr std::string_view channel_not_enabled = "channel_not_enabled";
// `amount` is not an integer number of fen from 1 to the host's limit.
inline constexpr std::string_view amount_invalid = "amount_invalid";
// `subject` is not 1 to 32 characters, or `body` not 1 to 128.
inline constexpr std::string_view subject_invalid = "subject_invalid";
inline constexpr std::string_view body_invalid = "body_invalid";
// subject, body or an extra holds a character a provider's signed string cannot carry
// (a separator or a control character); `param` names which.
inline constexpr std::string_view forbidden_characters = "forbidden_characters";
// `extra` is not an object, or one of its values is refused; `param` is "extra" or
// "extra.<key>".
inline constexpr std::string_view extra_invalid = "extra_invalid";
// The channel requires extra.<key> (a non-empty string); `param` is "extra.<key>".
inline constexpr std::string_view extra_missing = "extra_missing";
// `metadata` is not an object.
inline constexpr std::string_view metadata_invalid = "metadata_invalid";

}  // namespace payhost::sdk::charge_errors
