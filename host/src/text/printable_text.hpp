// Text from anywhere (client input included) made safe to write as one line of a log or
// one stored field: it can neither start a line of its own nor grow without bound.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace payhost::host {

// Longest message a log line carries.
inline constexpr std::size_t kMaxLogMessageBytes = 2048;

// `text` with every byte that could end or disguise a line shown as a visible escape: CR,
// LF and TAB as "\r" "\n" "\t"; NUL, the other C0 controls, DEL, C1 controls, U+2028/U+2029
// and bytes that are not UTF-8 as "\xNN" (per byte). Longer than `max_bytes`, it is cut
// between characters and ends with "...[N more bytes]" (N counts bytes of `text`).
std::string printable_line(std::string_view text, std::size_t max_bytes = kMaxLogMessageBytes);

}  // namespace payhost::host
