// The payment endpoints of the simulated WeChat Pay v3 (under /sandbox/wechat):
//   POST /v3/pay/transactions/{app,h5,jsapi,native}          prepay
//   GET  /v3/pay/transactions/out-trade-no/{no}?mchid=…       query
//   POST /v3/pay/transactions/out-trade-no/{no}/close         close (204)
#pragma once

#include "api_requests.hpp"
#include "payhost/sdk/http.hpp"
#include "wechat_sim.hpp"

namespace payhost::sandbox_wechat {

sdk::HttpResponse handle_prepay(WechatSim& sim, const sdk::HttpRequest& request, PrepayKind kind);
sdk::HttpResponse handle_query(WechatSim& sim, const sdk::HttpRequest& request);
sdk::HttpResponse handle_close(WechatSim& sim, const sdk::HttpRequest& request);

}  // namespace payhost::sandbox_wechat
