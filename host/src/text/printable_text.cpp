#include "text/printable_text.hpp"

#include <algorithm>

#include "text/utf8_text.hpp"

namespace payhost::host {

namespace {

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
    char32_t code_point = 0;
    const std::size_t length = decode_utf8(text, used, code_point);
    const std::string_view ch = text.substr(used, std::max<std::size_t>(length, 1));
    piece.clear();
    if (length == 0 || is_control_character(code_point)) {
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
