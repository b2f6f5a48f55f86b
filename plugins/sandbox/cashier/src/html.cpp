#include "html.hpp"

#include "payhost/sdk/encoding.hpp"

namespace payhost::cashier {

sdk::HttpResponse html_page(int status, std::string_view title, std::string_view body_html) {
  std::string page =
      "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
  page += sdk::html_escape(title);
  page +=
      "</title><style>body{font-family:sans-serif;max-width:40em;margin:2em auto;padding:0 1em}"
      "th{text-align:left;padding-right:1em;vertical-align:top}td{word-break:break-all}"
      "form{display:inline-block;margin:0 .5em .5em 0}"
      "button{font-size:1.1em;padding:.4em 1.2em;border:0;border-radius:4px;color:#fff;"
      "background:#1677ff}button.fail{background:#d4380d}button.close{background:#595959}"
      "button.expire{background:#8c6d1f}"
      "pre{white-space:pre-wrap;word-break:break-all;background:#f5f5f5;padding:.5em}"
      "figure.qr{margin:1em 0}figure.qr svg{display:block;width:14em;max-width:100%;height:auto}"
      ".result{font-size:1.3em;font-weight:bold}"
      ".note{color:#666;font-size:.9em}</style></head><body><h1>";
  page += sdk::html_escape(title);
  page += "</h1>\n";
  page += body_html;
  page +=
      "\n<p class=\"note\">payhost 沙箱收银台 sandbox cashier: simulated providers, test mode "
      "only. No real money moves.</p></body></html>\n";
  auto response = sdk::HttpResponse::text(status, std::move(page), "text/html; charset=utf-8");
  response.headers.set("Cache-Control", "no-store");
  response.headers.set("Content-Security-Policy",
                       "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                       "base-uri 'none'; frame-ancestors 'none'");
  return response;
}

std::string html_row(std::string_view label, std::string_view value_html) {
  std::string out = "<tr><th>";
  out += sdk::html_escape(label);
  out += "</th><td>";
  out += value_html;
  out += "</td></tr>";
  return out;
}

std::string html_table(const Rows& rows, std::string_view extra_rows_html) {
  std::string out = "<table>";
  for (const auto& [label, value] : rows)
    out += html_row(label, sdk::html_escape(value));
  out += extra_rows_html;
  out += "</table>";
  return out;
}

std::string html_paragraph(std::string_view text) {
  return "<p>" + sdk::html_escape(text) + "</p>";
}

}  // namespace payhost::cashier
