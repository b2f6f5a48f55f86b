// What client text a charge may carry. Subject, body and extras end up inside strings a
// provider signs as "k=v&k=v" (Alipay's biz_content, notifications echoing them back), so
// a client who could put '&' or '=' there could make one signature cover another
// parameter set.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host {

// Longest URL an extra may hold (bytes): browsers and providers truncate around 2 KB.
inline constexpr std::size_t kMaxExtraUrlBytes = 2048;

// Why `text` may not be free text in a signed field: not UTF-8, or it holds '&', '=',
// a C0 control (NUL, CR, LF ...), DEL, a C1 control or U+2028/U+2029. nullopt if fine.
std::optional<std::string> free_text_problem(std::string_view text);

// Why `url` may not be a URL extra: not an absolute http:// or https:// URL with a host,
// longer than kMaxExtraUrlBytes, or holding whitespace, controls, non-ASCII bytes, '"',
// '<', '>' or '\'. '&' and '=' are fine: they belong in a query. nullopt if fine.
std::optional<std::string> url_problem(std::string_view url);

// An extra whose name ends in "_url" is a URL (success_url, cancel_url, result_url ...).
bool is_url_extra(std::string_view name);

// Checks a charge's subject, body and every string in `extra` (URL extras as URLs, the
// rest, at any depth, as free text). Errors are invalid_request naming the param:
// "subject" / "body" (code forbidden_characters), "extra.<name>" (code extra_invalid).
sdk::Status check_charge_text(std::string_view subject, std::string_view body,
                              const sdk::Json& extra);

}  // namespace payhost::host
