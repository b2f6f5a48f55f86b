#include "html.hpp"

#include "payhost/sdk/encoding.hpp"

namespace payhost::sandbox_alipay {

sdk::HttpResponse html_page(int status, std::string_view title, std::string_view body_html) {
  std::string page =
      "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
  page += sdk::html_escape(title);
  page +=
      "</title><style>body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em}"
      "th{text-align:left;padding-right:1em;vertical-align:top}td{word-break:break-all}"
      "button{font-size:1.2em;padding:.4em 1.5em;background:#1677ff;color:#fff;border:0;"
      "border-radius:4px}.note{color:#666;font-size:.9em}</style></head><body><h1>";
  page += sdk::html_escape(title);
  page += "</h1>\n";
  page += body_html;
  page +=
      "\n<p class=\"note\">payhost sandbox: a simulated Alipay. No real money moves.</p>"
      "</body></html>\n";
  auto response = sdk::HttpResponse::text(status, std::move(page), "text/html; charset=utf-8");
  response.headers.set("Cache-Control", "no-store");
  return response;
}

std::string html_table(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::string out = "<table>";
  for (const auto& [label, value] : rows) {
    out += "<tr><th>";
    out += sdk::html_escape(label);
    out += "</th><td>";
    out += sdk::html_escape(value);
    out += "</td></tr>";
  }
  out += "</table>";
  return out;
}

}  // namespace payhost::sandbox_alipay
