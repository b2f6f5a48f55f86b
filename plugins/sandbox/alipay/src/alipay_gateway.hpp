// The simulated gateway.do: server calls (precreate, query, close, refund) answered with
// signed envelopes, and browser arrivals (wap.pay, page.pay) recorded then redirected to
// the cashier.
#pragma once

#include "alipay_sim.hpp"
#include "alipay_wire.hpp"
#include "payhost/sdk/http.hpp"

namespace payhost::sandbox_alipay {

// Query string and form body merged, each value decoded once. The same key twice with
// different values is refused rather than guessing which one was signed.
alipay::Checked<alipay::Params> gateway_params(const sdk::HttpRequest& request);

sdk::HttpResponse handle_gateway(AlipaySim& sim, const sdk::HttpRequest& request);

}  // namespace payhost::sandbox_alipay
