// What a request says, read the way the old Laravel server read it ($request->input()):
// a JSON or form body, then query parameters the body did not set. ThinkSNS+ clients send
// both JSON and form bodies, so both must keep working.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::wallet {

struct Input {
  sdk::Json fields = sdk::Json::object();
  // The body could not be read: invalid JSON, JSON that is not an object, or text that is
  // not UTF-8. Handlers answer 422 "请求参数不合法".
  bool malformed = false;

  // nullptr when the field is absent.
  const sdk::Json* find(std::string_view name) const;
};

Input read_input(const sdk::HttpRequest& request);

// Form keys "extra[success_url]" become {"extra":{"success_url":...}}, as PHP does.
void put_form_field(sdk::Json& fields, std::string_view key, std::string value);

bool is_valid_utf8(std::string_view text) noexcept;

// The authenticated caller's user id. ThinkSNS+ user ids are positive integers, and a
// subject is one only in that integer's own spelling: "007" or "+7" is not user 7, since
// the host compares subjects as text (admin lists, idempotency keys, logs).
std::optional<std::int64_t> caller_id(const sdk::HttpRequest& request);

// A decimal integer with an optional '-' and at most 18 digits; nothing else ("+1", "1.0",
// " 1" are not integers).
std::optional<std::int64_t> parse_int64(std::string_view text) noexcept;
// A strictly positive decimal integer (a path id or a cursor), or nullopt.
std::optional<std::int64_t> parse_positive_id(std::string_view text) noexcept;

}  // namespace payhost::wallet
