// What the console's charge list and detail share: the charge object C of docs/console.md,
// the columns it is read from, the check on charge ids in paths and the JSON answer.
#pragma once

#include <string>
#include <string_view>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::host::console {

// Charge ids are at most 64 of [A-Za-z0-9_-]; anything else names no charge.
bool is_charge_id(std::string_view id) noexcept;

// C = {"id","order_no","app","channel","product","user","amount","amount_refunded",
// "currency","subject","state","livemode","created","time_paid","transaction_no"}.
sdk::Json charge_summary_json(const sdk::Charge& charge);

// A 200 (or `status`) JSON answer nobody caches.
sdk::HttpResponse console_json(int status, const sdk::Json& body);

}  // namespace payhost::host::console
