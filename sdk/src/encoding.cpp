#include "payhost/sdk/encoding.hpp"

#include <array>
#include <cstdint>

namespace payhost::sdk {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kB64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

// RFC 3986 unreserved characters, the only ones url_encode leaves as they are.
constexpr std::array<bool, 256> kUnreserved = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) {
    table[static_cast<std::size_t>(c)] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                                         (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                                         c == '.' || c == '~';
  }
  return table;
}();

std::string encode_with(std::string_view data, const char* alphabet, bool pad) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const std::uint32_t n = (std::uint32_t(std::uint8_t(data[i])) << 16) |
                            (std::uint32_t(std::uint8_t(data[i + 1])) << 8) |
                            std::uint8_t(data[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += alphabet[n & 63];
  }
  const std::size_t rest = data.size() - i;
  if (rest > 0) {
    std::uint32_t n = std::uint32_t(std::uint8_t(data[i])) << 16;
    if (rest == 2) n |= std::uint32_t(std::uint8_t(data[i + 1])) << 8;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    if (rest == 2) out += alphabet[(n >> 6) & 63];
    if (pad) out.append(rest == 1 ? "==" : "=");
  }
  return out;
}

// Decodes the alphabet given; `url` selects base64url. Padding is optional but, when
// present, must be correct; whitespace is skipped.
std::optional<std::string> decode_with(std::string_view text, bool url) {
  std::array<int, 256> table{};
  table.fill(-1);
  const char* alphabet = url ? kB64Url : kB64;
  for (int i = 0; i < 64; ++i)
    table[std::uint8_t(alphabet[i])] = i;

  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t acc = 0;
  int bits = 0;
  std::size_t symbols = 0;
  std::size_t padding = 0;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    if (c == '=') {
      ++padding;
      continue;
    }
    if (padding > 0) return std::nullopt;  // data after padding
    const int v = table[std::uint8_t(c)];
    if (v < 0) return std::nullopt;
    ++symbols;
    acc = (acc << 6) | std::uint32_t(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  if (symbols % 4 == 1) return std::nullopt;
  if (padding > 0 && (symbols + padding) % 4 != 0) return std::nullopt;
  if (padding > 2) return std::nullopt;
  return out;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string hex_with(std::string_view data, const char* digits) {
  std::string out;
  out.reserve(data.size() * 2);
  for (char c : data) {
    out += digits[(std::uint8_t(c) >> 4) & 0xF];
    out += digits[std::uint8_t(c) & 0xF];
  }
  return out;
}

}  // namespace

std::string base64_encode(std::string_view data) {
  return encode_with(data, kB64, true);
}
std::optional<std::string> base64_decode(std::string_view text) {
  return decode_with(text, false);
}
std::string base64url_encode(std::string_view data) {
  return encode_with(data, kB64Url, false);
}
std::optional<std::string> base64url_decode(std::string_view text) {
  return decode_with(text, true);
}

std::string hex_lower(std::string_view data) {
  return hex_with(data, "0123456789abcdef");
}
std::string hex_upper(std::string_view data) {
  return hex_with(data, "0123456789ABCDEF");
}

std::string url_encode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  // Sized for the worst case and cut back: order strings are long, and appending a byte at
  // a time checked the capacity for each one.
  std::string out(text.size() * 3, '\0');
  char* p = out.data();
  for (const char c : text) {
    const auto u = static_cast<std::uint8_t>(c);
    if (kUnreserved[u]) {
      *p++ = c;
    } else {
      p[0] = '%';
      p[1] = kHex[u >> 4];
      p[2] = kHex[u & 0xF];
      p += 3;
    }
  }
  out.resize(static_cast<std::size_t>(p - out.data()));
  return out;
}

std::optional<std::string> url_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::string out;
  for (const auto& [k, v] : pairs) {
    if (!out.empty()) out += '&';
    out += url_encode(k);
    out += '=';
    out += url_encode(v);
  }
  return out;
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace payhost::sdk
