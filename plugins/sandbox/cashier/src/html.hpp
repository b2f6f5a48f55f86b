// The page shell and table of the cashier's HTML. Every piece of text that reaches a page
// goes through sdk::html_escape here or in pages.cpp: charge subjects, simulator details
// and error messages are all someone else's bytes.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "payhost/sdk/http.hpp"

namespace payhost::cashier {

using Rows = std::vector<std::pair<std::string, std::string>>;

// A whole page; `title` is escaped here, `body_html` must already be safe. Served with a
// Content-Security-Policy that allows no script and nothing from elsewhere: the page is
// self-contained (its QR codes are inline SVG, its style one <style> block).
sdk::HttpResponse html_page(int status, std::string_view title, std::string_view body_html);

// <table> of label/value rows, both escaped here, then `extra_rows_html` (already safe).
std::string html_table(const Rows& rows, std::string_view extra_rows_html = {});

// One <tr>: `label` escaped here, `value_html` already safe.
std::string html_row(std::string_view label, std::string_view value_html);

// <p> with escaped text.
std::string html_paragraph(std::string_view text);

}  // namespace payhost::cashier
