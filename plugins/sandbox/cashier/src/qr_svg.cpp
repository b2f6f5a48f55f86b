#include "qr_svg.hpp"

#include <qrencode.h>

#include <memory>

namespace payhost::cashier {
namespace {

// The quiet zone the QR standard asks for around the symbol, in modules.
constexpr int kQuietZone = 4;
// Pixels per module at the page's default size (CSS may scale the SVG).
constexpr int kPixelsPerModule = 6;

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

bool dark(const QRcode& code, int x, int y) {
  return (code.data[static_cast<std::size_t>(y) * static_cast<std::size_t>(code.width) +
                    static_cast<std::size_t>(x)] &
          1U) != 0;
}

// One subpath per horizontal run of dark modules: compact and exact at any scale.
std::string dark_runs(const QRcode& code) {
  std::string d;
  for (int y = 0; y < code.width; ++y) {
    for (int x = 0; x < code.width;) {
      if (!dark(code, x, y)) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < code.width && dark(code, x + run, y))
        ++run;
      d += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
           std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  return d;
}

}  // namespace

std::optional<QrSvg> qr_svg(std::string_view text) {
  if (text.empty() || text.size() > kMaxQrBytes) return std::nullopt;
  // Byte mode: URLs and provider codes are ASCII, and anything else is encoded as its bytes.
  std::unique_ptr<QRcode, QrFree> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (!code || code->width <= 0) return std::nullopt;
  const int modules = code->width;
  const std::string side = std::to_string(modules + 2 * kQuietZone);
  const std::string pixels = std::to_string((modules + 2 * kQuietZone) * kPixelsPerModule);
  QrSvg out;
  out.modules = modules;
  out.svg = "<svg data-testid=\"qr\" data-modules=\"" + std::to_string(modules) +
            "\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + side + " " + side +
            "\" width=\"" + pixels + "\" height=\"" + pixels +
            "\" shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR code\">"
            "<rect width=\"" +
            side + "\" height=\"" + side + "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" +
            dark_runs(*code) + "\"/></svg>";
  return out;
}

}  // namespace payhost::cashier
