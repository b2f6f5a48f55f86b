#include "html.hpp"

#include "payhost/sdk/encoding.hpp"

namespace payhost::sandbox_unionpay {
namespace {

sdk::HttpResponse page(int status, const std::string& title, const std::string& body_html) {
  std::string out =
      "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>";
  out += sdk::html_escape(title);
  out +=
      "</title><style>body{font-family:sans-serif;max-width:36em;margin:2em auto;padding:0 1em}"
      "code{word-break:break-all}.note{color:#666;font-size:.9em}</style></head><body><h1>";
  out += sdk::html_escape(title);
  out += "</h1>\n";
  out += body_html;
  out +=
      "\n<p class=\"note\">payhost sandbox: a simulated UnionPay gateway. No real money "
      "moves.</p></body></html>\n";
  auto response = sdk::HttpResponse::text(status, std::move(out), "text/html; charset=utf-8");
  response.headers.set("Cache-Control", "no-store");
  return response;
}

}  // namespace

sdk::HttpResponse redirect_page(const std::string& location) {
  auto response = page(302, "银联 sandbox: redirecting",
                       "<p><a id=\"cashier\" href=\"" + sdk::html_escape(location) +
                           "\">Continue to the cashier</a></p>");
  response.headers.set("Location", location);
  return response;
}

sdk::HttpResponse refusal_page(int status, const std::string& resp_code,
                               const std::string& resp_msg) {
  return page(status, "银联 sandbox: 交易失败",
              "<p>respCode <code id=\"respCode\">" + sdk::html_escape(resp_code) +
                  "</code></p><p>respMsg <code id=\"respMsg\">" + sdk::html_escape(resp_msg) +
                  "</code></p>");
}

}  // namespace payhost::sandbox_unionpay
