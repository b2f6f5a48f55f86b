// Tiny HTML pages for the browser-facing parts (cashier, gateway errors). Callers pass
// already-escaped fragments; `title` is escaped here.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "payhost/sdk/http.hpp"

namespace payhost::sandbox_alipay {

sdk::HttpResponse html_page(int status, std::string_view title, std::string_view body_html);

// <table> of label/value rows; both escaped here.
std::string html_table(const std::vector<std::pair<std::string, std::string>>& rows);

}  // namespace payhost::sandbox_alipay
