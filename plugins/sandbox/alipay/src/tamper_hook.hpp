// A test hook: one notification about a charge's trade, tampered with in one way, that the
// host must refuse. The trade itself is left as it is.
#pragma once

#include "alipay_sim.hpp"
#include "payhost/sdk/http.hpp"

namespace payhost::sandbox_alipay {

// POST /sandbox/alipay/notify-tampered  {"charge_id":..., "tamper":...}
sdk::HttpResponse notify_tampered(AlipaySim& sim, const sdk::HttpRequest& request);

}  // namespace payhost::sandbox_alipay
