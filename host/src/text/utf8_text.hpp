// Reading UTF-8 text one character at a time, for the checks and escapes that must agree
// on what a character is (charge text, log lines, stored fields).
#pragma once

#include <cstddef>
#include <string_view>

namespace payhost::host {

// Length (1 to 4) of the well-formed UTF-8 character starting at text[i], its code point
// in `code_point`; 0 if none starts there (a stray or truncated byte, an overlong form, a
// surrogate, a code point past U+10FFFF).
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& code_point);

// C0 controls (NUL, TAB, CR, LF ...), DEL, C1 controls and U+2028/U+2029: what terminals,
// log readers and JavaScript take as line ends or control codes.
bool is_control_character(char32_t code_point);

}  // namespace payhost::host
