// POST /v1/charges: Ping++'s create parameters, checked strictly, into the charge core's
// request. What the core checks itself (channel enabled, amount range, subject and body
// lengths and text, required extras) is left to it.
#pragma once

#include <cstdint>
#include <string>

#include "charges/charge_service.hpp"
#include "payhost/sdk/host.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host::api {

// Metadata limits (Ping++ documents bounded metadata without numbers; these are ours).
inline constexpr std::size_t kMaxMetadataKeys = 50;
inline constexpr std::size_t kMaxMetadataKeyChars = 40;
inline constexpr std::size_t kMaxMetadataValueChars = 500;
inline constexpr std::size_t kMaxDescriptionChars = 255;
inline constexpr std::int64_t kMaxExpirySeconds = 15 * 86400;  // time_expire at most 15 days on

struct ChargeRequest {
  sdk::NewCharge charge;
  ApiChargeFields fields;
};

// `params` is the parsed body; `app` the caller's key's app; `now` Unix seconds.
// invalid_request errors name the param (Ping++'s spelling: "app[id]", "metadata").
sdk::Result<ChargeRequest> parse_charge_request(const sdk::Json& params, const std::string& app,
                                                std::int64_t now);

// metadata as Ping++ takes it: an object of at most kMaxMetadataKeys keys (each at most
// kMaxMetadataKeyChars), values strings, numbers or booleans of at most
// kMaxMetadataValueChars characters. Shared by charges and refunds.
sdk::Status check_metadata(const sdk::Json& metadata);

// Well-formed UTF-8 without control characters (free text we store and echo).
bool is_clean_text(std::string_view text);

// A positive whole number of fen: a JSON integer, or a string of digits (forms).
sdk::Result<std::int64_t> parse_fen(const sdk::Json& value, const std::string& param);

}  // namespace payhost::host::api
