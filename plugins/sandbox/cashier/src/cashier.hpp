// The provider-neutral cashier: shows any test-mode charge and pays, fails, closes or expires it
// through the simulator of the charge's channel (Host::simulator_for), so a channel that
// ships a simulator in its own plugin gets a cashier without touching this one.
#pragma once

#include "payhost/sdk/host.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/simulator.hpp"

namespace payhost::cashier {

// GET /sandbox/cashier/{charge_id}
sdk::HttpResponse show_charge(sdk::Host& host, const sdk::HttpRequest& request);

// POST /sandbox/cashier/{charge_id}/pay | /fail | /close | /expire
sdk::HttpResponse act_on_charge(sdk::Host& host, const sdk::HttpRequest& request,
                                sdk::CashierAction action);

}  // namespace payhost::cashier
