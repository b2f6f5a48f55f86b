// JSON shapes of the wallet's answers. Field order is part of the contract.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"
#include "records.hpp"

namespace payhost::wallet {

// Unix seconds -> "YYYY-MM-DD HH:MM:SS" in UTC.
std::string format_time(std::int64_t unix_seconds);

// id, user_id, channel, account, charge_id, action, amount, currency, subject, body,
// transaction_no, status, created_at, updated_at, deleted_at.
sdk::Json record_json(const Record& record);

// id, value, type, account, status, remark, created_at (+ user_id and updated_at for admins).
sdk::Json cash_json(const Cash& cash, bool for_admin = false);

// {"message": text} and {"message": [text]}: the seed uses both, per route.
sdk::HttpResponse message_response(int status, std::string_view text);
sdk::HttpResponse message_list_response(int status, std::string_view text);

}  // namespace payhost::wallet
