#include "how_to_pay.hpp"

#include "payhost/sdk/encoding.hpp"
#include "qr_svg.hpp"
#include "web_url.hpp"

namespace payhost::cashier {
namespace {

// Credentials are payhost's own (an order string, a form of signed fields); the bound
// only keeps a page readable whatever a channel stored.
constexpr std::size_t kMaxCredentialText = 32 * 1024;

std::string text_block(std::string_view label, std::string_view text, std::string_view testid) {
  std::string out = "<p>" + sdk::html_escape(label) + "</p><pre";
  if (!testid.empty()) out += " data-testid=\"" + std::string(testid) + "\"";
  return out + ">" + sdk::html_escape(text) + "</pre>";
}

// The code, or why there is none; then the text it carries.
std::string qr_block(std::string_view qr_text, std::string_view caption) {
  std::string out = "<figure class=\"qr\">";
  if (const auto qr = qr_svg(qr_text)) {
    out += qr->svg + "<figcaption>" + sdk::html_escape(caption) + "</figcaption>";
  } else {
    out += "<figcaption>" +
           sdk::html_escape("内容太长，无法生成二维码 Too long for a QR code (over " +
                            std::to_string(kMaxQrBytes) + " bytes): use the text below.") +
           "</figcaption>";
  }
  return out + "</figure>" + text_block("二维码内容 QR code text:", qr_text, "qr-text");
}

}  // namespace

std::string credential_text(const sdk::Charge& charge) {
  sdk::Json wrapped = sdk::Json::object();
  wrapped["object"] = "credential";
  wrapped[charge.channel] = charge.credential;
  std::string text = wrapped.dump(2, ' ', false, sdk::Json::error_handler_t::replace);
  if (text.size() > kMaxCredentialText) {
    text.resize(kMaxCredentialText);
    // Do not end inside a UTF-8 sequence.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
      text.pop_back();
    if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80) != 0) text.pop_back();
    text += "\n… (cut at " + std::to_string(kMaxCredentialText) + " bytes)";
  }
  return text;
}

std::string how_to_pay_html(const sdk::Charge& charge, const sdk::CashierView& view,
                            std::string_view page_url) {
  if (view.browser) {
    // A wap/pc channel on a desktop: the phone opens this same page (a GET that works for
    // every channel; a credential may be a form to POST, or too long for a code).
    std::string out = "<h2>手机扫码打开 Open on a phone</h2>";
    if (page_url.empty()) {
      out += "<p>" +
             sdk::html_escape(
                 "payhost 的 public_url 不是 http(s) 地址，无法生成二维码 "
                 "payhost's public_url is not an http(s) URL: no code to scan.") +
             "</p>";
    } else {
      out += qr_block(page_url,
                      "用手机浏览器扫码，在手机上打开本页 Scan to open this page in a "
                      "phone's browser");
    }
    if (!view.qr_text.empty()) {
      out += text_block("支付链接 The provider's payment link:", view.qr_text, "");
    }
    return out;
  }
  if (!view.qr_text.empty()) {
    return "<h2>扫码支付 Scan to pay</h2>" +
           qr_block(view.qr_text,
                    "用" + (view.provider.empty() ? std::string("支付应用") : view.provider) +
                        "扫码 Scan with the provider's app");
  }
  return "<h2>应用收到的凭据 What the app's SDK receives</h2>" +
         text_block("charge.credential:", credential_text(charge), "credential");
}

std::string return_url_for(const sdk::Charge& charge, const sdk::CashierResult& result) {
  if (is_absolute_web_url(result.return_url)) return result.return_url;
  if (charge.extra.is_object()) {
    for (const char* key : {"success_url", "result_url"}) {
      const auto it = charge.extra.find(key);
      if (it != charge.extra.end() && it->is_string() &&
          is_absolute_web_url(it->get_ref<const std::string&>())) {
        return it->get<std::string>();
      }
    }
  }
  return {};
}

}  // namespace payhost::cashier
