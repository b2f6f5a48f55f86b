// The cashier's HTML pages: a charge with the buyer's choices, the outcome of one action,
// and refusals. Labels are Chinese first with English, as a Chinese provider's cashier
// would show them to a tester who may read either.
//
// Browser tests rely on these hooks, so they stay as they are: <button data-action="pay|
// fail|close|expire"> in forms posting to the action routes, <svg data-testid="qr">, <pre
// data-testid="credential">, <span data-testid="state"> holding pending|succeeded|failed|
// closed, <p data-testid="result"> and <a data-testid="return">.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/simulator.hpp"
#include "refusal.hpp"

namespace payhost::cashier {

// The charge's facts, the simulator's view, how the buyer's device pays (a QR code or the
// app's credential) and one form button per action. A charge that is no longer pending is
// shown without buttons, whatever the simulator offers. `page_url`: see how_to_pay_html.
sdk::HttpResponse charge_page(const sdk::Charge& charge, const sdk::CashierView& view,
                              std::string_view page_url);

// What `action` did and the charge's state as payhost reports it afterwards (`after`, when
// it could be read); links back to the merchant only through a safe return URL.
sdk::HttpResponse result_page(const sdk::Charge& charge, sdk::CashierAction action,
                              const sdk::CashierResult& result,
                              const std::optional<sdk::Charge>& after);

sdk::HttpResponse refusal_page(const Refusal& refusal);

// A refused action: the refusal, marked as the action's result, and a link back to the
// cashier of `charge_id` (a plausible id, or "" for none).
sdk::HttpResponse action_refusal_page(const Refusal& refusal, sdk::CashierAction action,
                                      const std::string& charge_id);

// "支付 Pay", "支付失败 Fail the payment", "关闭交易 Close the trade", "让订单过期 Let it expire".
const char* action_label(sdk::CashierAction action);

}  // namespace payhost::cashier
