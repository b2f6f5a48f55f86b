// The four gateway paths of ACP 5.1.0 under /sandbox/unionpay/gateway/api/.
#pragma once

#include "payhost/sdk/http.hpp"
#include "unionpay_sim.hpp"

namespace payhost::sandbox_unionpay {

// appTransReq.do: consume for the UnionPay control; answers the tn.
sdk::HttpResponse handle_app_trans(UnionpaySim& sim, const sdk::HttpRequest& request);
// frontTransReq.do: the browser's form; 302 to the cashier page of the order's charge, or a
// page showing respCode and respMsg.
sdk::HttpResponse handle_front_trans(UnionpaySim& sim, const sdk::HttpRequest& request);
// backTransReq.do: refunds (txnType 04), done at once.
sdk::HttpResponse handle_back_trans(UnionpaySim& sim, const sdk::HttpRequest& request);
// queryTrans.do: a consume's or a refund's state as origRespCode; 34 for an unknown order.
sdk::HttpResponse handle_query_trans(UnionpaySim& sim, const sdk::HttpRequest& request);

}  // namespace payhost::sandbox_unionpay
