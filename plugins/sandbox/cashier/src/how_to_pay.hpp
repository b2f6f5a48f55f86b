// What the buyer's device gets, shown under the charge: a QR code for the channels a phone
// scans or opens (the provider's code, or this page's own URL for wap/pc channels), or the
// credential an app's SDK would receive for the app channels.
#pragma once

#include <string>
#include <string_view>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/simulator.hpp"

namespace payhost::cashier {

// Safe HTML. `page_url` is the cashier page's absolute URL (empty when the host's public
// URL is not an absolute http(s) URL: then a browser channel gets no code).
std::string how_to_pay_html(const sdk::Charge& charge, const sdk::CashierView& view,
                            std::string_view page_url);

// {"object":"credential","<channel>":<charge.credential>} pretty-printed: what Ping++'s
// client SDKs hand the provider's app SDK. Invalid UTF-8 becomes U+FFFD.
std::string credential_text(const sdk::Charge& charge);

// Where the result page sends the buyer back: the simulator's return_url (a provider's
// signed return, a front URL) when it is a safe absolute URL, else the charge's own
// extra.success_url or extra.result_url (Ping++'s names for the merchant's result page)
// when safe; "" when none is.
std::string return_url_for(const sdk::Charge& charge, const sdk::CashierResult& result);

}  // namespace payhost::cashier
