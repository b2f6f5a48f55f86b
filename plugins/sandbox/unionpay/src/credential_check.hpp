// What UnionPay (its control in the app, its gateway in the browser) checks in a charge's
// credential before the buyer can pay.
#pragma once

#include <string>
#include <string_view>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/result.hpp"
#include "request_checks.hpp"
#include "trade_store.hpp"
#include "unionpay_sim.hpp"

namespace payhost::sandbox_unionpay {

// applepay_upacp, upacp, upacp_wap, upacp_pc.
bool is_unionpay_channel(std::string_view channel);
// applepay_upacp and upacp: paid through the UnionPay control with a tn.
bool is_app_channel(std::string_view channel);

// applepay_upacp, upacp: {tn, mode, merchant_id}: tn the trade's, mode "01" (the test
// environment), merchant_id a non-empty string for applepay_upacp; the trade an app
// (channelType 08) trade of the charge's amount.
sdk::Status check_app_credential(const sdk::Charge& charge, const Trade& trade);

// upacp_wap, upacp_pc: an object of the signed form fields (string values), optionally with
// the gateway URL under channel_url, url, gateway_url or action (then it must end with
// /gateway/api/frontTransReq.do), the fields possibly nested under data, fields or form.
// They must pass frontTransReq.do's checks (but the txnTime window: the buyer may come
// later) and match the charge: orderId = order_no, txnAmt = amount, channelType 08 for
// upacp_wap and 07 for upacp_pc.
sdk::Result<ConsumeRequest> check_form_credential(const UnionpaySim& sim, const sdk::Charge& charge,
                                                  std::int64_t now);

}  // namespace payhost::sandbox_unionpay
