// WeChat Pay v3 request authentication as the real API checks it:
//   Authorization: WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",
//                  serial_no="…",signature="…"
// over the message METHOD\nURL\nTIMESTAMP\nNONCE\nBODY\n (five lines, trailing newline even
// for an empty body), URL being the request's path plus "?query" exactly as sent.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sandbox_wechat {

inline constexpr std::string_view kAuthScheme = "WECHATPAY2-SHA256-RSA2048";

struct Authorization {
  std::string mchid;
  std::string nonce_str;
  std::string timestamp;  // decimal Unix seconds as sent
  std::string serial_no;
  std::string signature;  // base64
};

// The pairs may come in any order, with optional spaces after commas; all five are
// required, each exactly once, with a double-quoted value (no quotes, backslashes or
// control characters inside). Unknown names are refused too: a header that could be read
// two ways is not guessed at. Errors are unauthorized, with a message naming the problem.
sdk::Result<Authorization> parse_authorization(std::string_view header);

// The URL line as the client signed it: the path as received (the host hands plugins the
// request target's path undecoded: host/src/http/http_framing.cpp) plus "?" + the raw query.
std::string signed_url(const sdk::HttpRequest& request);

std::string request_message(std::string_view method, std::string_view url,
                            std::string_view timestamp, std::string_view nonce,
                            std::string_view body);

// TIMESTAMP\nNONCE\nBODY\n: what answers and notifications are signed over.
std::string answer_message(std::string_view timestamp, std::string_view nonce,
                           std::string_view body);

// A decimal Unix timestamp of 1-12 digits, or nullopt.
std::optional<std::int64_t> parse_timestamp(std::string_view text);

}  // namespace payhost::sandbox_wechat
