// Test hooks (test mode only, like the whole plugin): send ONE deliberately wrong
// notification for a charge's trade, no retries, and report the merchant's answer as
// {"status":<HTTP status, 0 if none>,"answer":"<body>"} (+ "error" when there was none).
//   POST /sandbox/wechat/notify-tampered  {"charge_id":"ch_…","tamper":"signature"|"amount"|
//        "mchid"|"appid"|"gcm_tag"|"timestamp"|"serial"|"unknown_order"|"probe"}
//   POST /sandbox/wechat/notify-probe     {"charge_id":"ch_…"}: the WECHATPAY/SIGNTEST/ probe
// The trade itself never changes.
#pragma once

#include "payhost/sdk/http.hpp"
#include "wechat_sim.hpp"

namespace payhost::sandbox_wechat {

sdk::HttpResponse handle_notify_tampered(WechatSim& sim, const sdk::HttpRequest& request);
sdk::HttpResponse handle_notify_probe(WechatSim& sim, const sdk::HttpRequest& request);

}  // namespace payhost::sandbox_wechat
