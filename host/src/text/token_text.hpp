// Identifiers from outside (ids, names, path segments): ASCII letters and digits plus a
// few punctuation characters the caller names, bounded in length.
#pragma once

#include <cstddef>
#include <string_view>

namespace payhost::host {

// 1..max_bytes of [A-Za-z0-9] and the characters of `extra`.
bool is_token(std::string_view text, std::size_t max_bytes, std::string_view extra) noexcept;

}  // namespace payhost::host
