// Money is integer fen (1/100 yuan). These helpers convert to and from the decimal
// yuan strings providers use, by integer arithmetic only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::sdk {

using Fen = std::int64_t;

// 1 -> "0.01", 12345 -> "123.45", -5 -> "-0.05". Always exactly two decimals.
std::string format_yuan(Fen amount);

// Strict parse of a non-negative yuan amount: "12", "12.3", "12.30". Refuses signs,
// exponents, spaces, more than two decimals and values beyond 10^13 fen.
std::optional<Fen> parse_yuan(std::string_view text);

// Strict parse of a non-negative integer fen string ("0", "158"); refuses "+1", "01", "1.0".
std::optional<Fen> parse_fen(std::string_view text);

}  // namespace payhost::sdk
