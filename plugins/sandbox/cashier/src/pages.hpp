// The cashier's HTML pages: a charge with the buyer's choices, the outcome of one action,
// and refusals. Labels are Chinese first with English, as a Chinese provider's cashier
// would show them to a tester who may read either.
#pragma once

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/simulator.hpp"
#include "refusal.hpp"

namespace payhost::cashier {

// The charge's facts, the simulator's view and one form button per action. A charge that
// is no longer pending is shown without buttons, whatever the simulator offers.
sdk::HttpResponse charge_page(const sdk::Charge& charge, const sdk::CashierView& view);

// What `action` did; links back to the merchant only for an absolute http(s) return_url.
sdk::HttpResponse result_page(const sdk::Charge& charge, sdk::CashierAction action,
                              const sdk::CashierResult& result);

sdk::HttpResponse refusal_page(const Refusal& refusal);

// "支付 Pay", "支付失败 Fail", "关闭交易 Close".
const char* action_label(sdk::CashierAction action);

}  // namespace payhost::cashier
