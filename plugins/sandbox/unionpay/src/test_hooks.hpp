// Test hook (test mode only, like the whole plugin): send ONE deliberately wrong back
// notification for a charge's trade, no retries, and report the merchant's answer as
// {"status":<HTTP status, 0 if none>,"answer":"<body>"} (+ "error" when there was none).
//   POST /sandbox/unionpay/notify-tampered {"charge_id":"ch_…","tamper":"foreign_cn"|"expired"|
//        "outside_chain"|"amount"|"signature"|"mer_id"|"unknown_order"}
// The trade itself never changes.
#pragma once

#include "payhost/sdk/http.hpp"
#include "unionpay_sim.hpp"

namespace payhost::sandbox_unionpay {

sdk::HttpResponse handle_notify_tampered(UnionpaySim& sim, const sdk::HttpRequest& request);

}  // namespace payhost::sandbox_unionpay
