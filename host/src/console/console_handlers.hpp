// The console's data routes (JSON under /console/api/), each given a signed-in caller.
// Session, CSRF, role and audit are checked and written around them (console_routes.cpp).
#pragma once

#include "charges/core_context.hpp"
#include "console/console_caller.hpp"
#include "payhost/sdk/http.hpp"
#include "refunds/refund_service.hpp"

namespace payhost::host::console {

struct ConsoleServices {
  CoreContext& core;
  refunds::RefundService& refunds;
  int utc_offset_minutes = 480;  // what "today" and "this week" mean on the overview
};

// GET /console/api/overview
sdk::HttpResponse overview(ConsoleServices& s, const ConsoleCaller& c, const sdk::HttpRequest& r);
// GET /console/api/charges
sdk::HttpResponse search_charges(ConsoleServices& s, const ConsoleCaller& c,
                                 const sdk::HttpRequest& r);
// GET /console/api/charges/{id}
sdk::HttpResponse charge_detail(ConsoleServices& s, const ConsoleCaller& c,
                                const sdk::HttpRequest& r);
// POST /console/api/charges/{id}/refunds (finance, admin)
sdk::HttpResponse refund_charge(ConsoleServices& s, const ConsoleCaller& c,
                                const sdk::HttpRequest& r);
// GET /console/api/plugins
sdk::HttpResponse plugins(ConsoleServices& s, const ConsoleCaller& c, const sdk::HttpRequest& r);

}  // namespace payhost::host::console
