// The simulated Alipay cashier: where a tester (or a test) "pays". It checks the
// credential the channel produced for the charge exactly as Alipay's app/cashier would,
// marks the trade paid and sends the signed notification.
#pragma once

#include "alipay_sim.hpp"
#include "payhost/sdk/http.hpp"

namespace payhost::sandbox {

// GET /sandbox/cashier/{charge_id}
sdk::HttpResponse cashier_page(AlipaySim& sim, const sdk::HttpRequest& request);
// POST /sandbox/cashier/{charge_id}/pay
sdk::HttpResponse cashier_pay(AlipaySim& sim, const sdk::HttpRequest& request);
// POST /sandbox/alipay/notify-tampered  {"charge_id":..., "tamper":...}
sdk::HttpResponse notify_tampered(AlipaySim& sim, const sdk::HttpRequest& request);

}  // namespace payhost::sandbox
