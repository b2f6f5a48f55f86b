// What the console's charge list and detail share: the charge object C of docs/console.md,
// the columns it is read from and the check on charge ids in paths.
#pragma once

#include <string>
#include <string_view>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::host::console {

// Charge ids are at most 64 of [A-Za-z0-9_-]; anything else names no charge.
bool is_charge_id(std::string_view id) noexcept;

// C = {"id","order_no","app","channel","product","user","amount","amount_refunded",
// "currency","subject","state","livemode","created","time_paid","transaction_no"}.
sdk::Json charge_summary_json(const sdk::Charge& charge);

}  // namespace payhost::host::console
