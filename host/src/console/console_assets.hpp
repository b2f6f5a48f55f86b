// The console's pages, scripts and styles, compiled into payhostd (host/web/console/,
// embedded by cmake/PayhostEmbed.cmake): the console needs no files at run time and
// fetches nothing from the internet.
#pragma once

#include <string_view>

namespace payhost::host::console {

struct Asset {
  std::string_view path;          // relative to host/web/console/, e.g. "app.js"
  std::string_view content_type;  // e.g. "text/javascript; charset=utf-8"
  std::string_view bytes;
};

// nullptr when there is no such asset.
const Asset* find_asset(std::string_view path) noexcept;

}  // namespace payhost::host::console
