#include "text/token_text.hpp"

namespace payhost::host {

bool is_token(std::string_view text, std::size_t max_bytes, std::string_view extra) noexcept {
  if (text.empty() || text.size() > max_bytes) return false;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    extra.find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return true;
}

}  // namespace payhost::host
