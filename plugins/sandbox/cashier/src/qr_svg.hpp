// QR codes drawn server-side as inline SVG (libqrencode), so the cashier page needs no
// script, no image request and no external service: a phone scans the code off the screen.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::cashier {

// Longer text is shown as text only: a denser code is hard to scan off a screen, and the
// bound keeps what a stored value can make us draw small.
inline constexpr std::size_t kMaxQrBytes = 1024;

struct QrSvg {
  std::string svg;  // <svg data-testid="qr" ...>...</svg>, no text of the input inside
  int modules = 0;  // the symbol's width in modules, without the quiet zone
};

// The code for `text` (byte mode, error correction level M, the smallest version that
// holds it), the same SVG for the same text; nullopt when the text is empty, longer than
// kMaxQrBytes or cannot be encoded.
std::optional<QrSvg> qr_svg(std::string_view text);

}  // namespace payhost::cashier
