// The cashier's JSON answers, for scripted testers (Accept: application/json or
// ?format=json). A pay keeps the shape tests have long relied on:
//   {"paid":true,"trade_no","out_trade_no","trade_status","repeated","notified",
//    "notify_status","notify_answer"} (+"notify_error"), refused {"paid":false,"error","detail"};
// fail, close and expire answer {"action":"fail"|"close"|"expire", ...the same fields} and
// {"action":…,"error","detail"} when refused.
#pragma once

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/simulator.hpp"
#include "refusal.hpp"

namespace payhost::cashier {

sdk::HttpResponse result_json(sdk::CashierAction action, const sdk::CashierResult& result);
sdk::HttpResponse refusal_json(sdk::CashierAction action, const Refusal& refusal);

// Accept names application/json, or the query says format=json (some clients cannot set
// headers, and Pistache 0.0.5 hands plugins an empty Accept value).
bool wants_json(const sdk::HttpRequest& request);

}  // namespace payhost::cashier
