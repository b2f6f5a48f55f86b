// The refund endpoints of the simulated WeChat Pay v3 (under /sandbox/wechat):
//   POST /v3/refund/domestic/refunds                   refund (SUCCESS at once)
//   GET  /v3/refund/domestic/refunds/{out_refund_no}   refund query
#pragma once

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"
#include "trade_store.hpp"
#include "wechat_sim.hpp"

namespace payhost::sandbox_wechat {

// WeChat's Refund object.
sdk::Json refund_json(const Refund& refund);

sdk::HttpResponse handle_refund(WechatSim& sim, const sdk::HttpRequest& request);
sdk::HttpResponse handle_refund_query(WechatSim& sim, const sdk::HttpRequest& request);

}  // namespace payhost::sandbox_wechat
