// The /v1 handlers, each given an authenticated caller. The pipeline around them
// (authentication, rate limit, request signature, Idempotency-Key) is pingpp_api.cpp's.
#pragma once

#include <string>

#include "api/api_auth.hpp"
#include "charges/charge_service.hpp"
#include "charges/core_context.hpp"
#include "charges/settlement.hpp"
#include "payhost/sdk/http.hpp"
#include "refunds/refund_service.hpp"

namespace payhost::host::api {

struct ApiServices {
  CoreContext& ctx;
  ChargeServiceImpl& charges;
  Settlement& settlement;
  refunds::RefundService& refunds;
};

// The answer as it leaves: `Connection: close` for Ping++'s Node SDK, which writes a body
// only on a fresh socket's `connect`, so a kept-alive socket would leave its next request
// unsent (see pingpp_api.cpp).
sdk::HttpResponse finish(sdk::HttpResponse response, const sdk::HttpRequest& request);

// Ping++'s 404 for an object of another app or mode as well as for none at all.
sdk::HttpResponse not_found(const std::string& object, const std::string& id);

// Charges (charge_routes.cpp).
sdk::HttpResponse create_charge(ApiServices& s, const Caller& caller, const sdk::HttpRequest& r);
sdk::HttpResponse list_charges(ApiServices& s, const Caller& caller, const sdk::HttpRequest& r);
sdk::HttpResponse retrieve_charge(ApiServices& s, const Caller& caller, const sdk::HttpRequest& r);
sdk::HttpResponse reverse_charge(ApiServices& s, const Caller& caller, const sdk::HttpRequest& r);

// Refunds and events (refund_routes.cpp).
sdk::HttpResponse create_refund(ApiServices& s, const Caller& caller, const sdk::HttpRequest& r);
sdk::HttpResponse list_refunds(ApiServices& s, const Caller& caller, const sdk::HttpRequest& r);
sdk::HttpResponse retrieve_refund(ApiServices& s, const Caller& caller, const sdk::HttpRequest& r);
sdk::HttpResponse retrieve_event(ApiServices& s, const Caller& caller, const sdk::HttpRequest& r);

// The caller's charge `id` (not_found for another app's or mode's), for the routes under it.
sdk::Result<sdk::Charge> caller_charge(ApiServices& s, const Caller& caller, const std::string& id);

// A charge a product plugin created (the wallet's recharge, campus payments) is read
// through /v1 like any charge of the app, but never reversed or refunded there: its
// product keeps its own books of it (a wallet balance), which such a change would bypass.
sdk::Status only_api_charge(const sdk::Charge& charge);

// Refuses any query parameter (routes that take none; Node's SDK sends a bare "?").
sdk::Status no_query(const sdk::HttpRequest& r);

}  // namespace payhost::host::api
