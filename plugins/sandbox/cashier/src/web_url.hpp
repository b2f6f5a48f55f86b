// Which return URLs the cashier links to: a simulator's return_url is shown only when it is
// an absolute http(s) URL, so a stored "javascript:" or relative text never becomes a link.
#pragma once

#include <string_view>

namespace payhost::cashier {

// http:// or https:// (any case), a non-empty host, at most 4096 bytes, and no
// whitespace, control, non-ASCII, quote, angle bracket or backslash anywhere.
bool is_absolute_web_url(std::string_view url);

}  // namespace payhost::cashier
