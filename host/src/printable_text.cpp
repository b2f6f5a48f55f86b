#include "printable_text.hpp"

#include <algorithm>

namespace payhost::host {

namespace {

// Length of the well-formed UTF-8 character at the start of `s`, 0 if it is not one.
std::size_t utf8_length(std::string_view s) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char lead = byte(0);
  if (lead < 0x80) return 1;
  std::size_t n = 0;
  unsigned char low = 0x80, high = 0xbf;  // allowed range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    n = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    n = 3;
    if (lead == 0xe0) low = 0xa0;   // overlong
    if (lead == 0xed) high = 0x9f;  // surrogates
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    n = 4;
    if (lead == 0xf0) low = 0x90;   // overlong
    if (lead == 0xf4) high = 0x8f;  // beyond U+10FFFF
  } else {
    return 0;
  }
  if (s.size() < n || byte(1) < low || byte(1) > high) return 0;
  for (std::size_t i = 2; i < n; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return 0;
  }
  return n;
}

// Characters some terminals or log viewers treat as line ends or controls.
bool must_escape(std::string_view ch) {
  const auto b0 = static_cast<unsigned char>(ch[0]);
  if (ch.size() == 1) return b0 < 0x20 || b0 == 0x7f;
  const auto b1 = static_cast<unsigned char>(ch[1]);
  if (ch.size() == 2) return b0 == 0xc2 && b1 < 0xa0;  // C1 controls U+0080..U+009F
  return ch.size() == 3 && b0 == 0xe2 && b1 == 0x80 &&
         (static_cast<unsigned char>(ch[2]) == 0xa8 || static_cast<unsigned char>(ch[2]) == 0xa9);
}

void append_escaped(std::string& out, std::string_view bytes) {
  constexpr char kHex[] = "0123456789abcdef";
  for (const char ch : bytes) {
    switch (ch) {
      case '\r':
        out += "\\r";
        continue;
      case '\n':
        out += "\\n";
        continue;
      case '\t':
        out += "\\t";
        continue;
      default:
        break;
    }
    const auto b = static_cast<unsigned char>(ch);
    out += "\\x";
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
}

}  // namespace

std::string printable_line(std::string_view text, std::size_t max_bytes) {
  std::string out;
  out.reserve(std::min(text.size(), max_bytes) + 32);
  std::string piece;
  std::size_t used = 0;  // bytes of `text` represented in `out`
  while (used < text.size()) {
    const std::string_view rest = text.substr(used);
    const std::size_t length = utf8_length(rest);
    const std::string_view ch = rest.substr(0, std::max<std::size_t>(length, 1));
    piece.clear();
    if (length == 0 || must_escape(ch)) {
      append_escaped(piece, ch);
    } else {
      piece.assign(ch);
    }
    if (out.size() + piece.size() > max_bytes) break;
    out += piece;
    used += ch.size();
  }
  if (used < text.size()) out += "...[" + std::to_string(text.size() - used) + " more bytes]";
  return out;
}

}  // namespace payhost::host
