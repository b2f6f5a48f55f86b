// Reading the objects WeChat Pay describes trades and refunds with, once their signature
// (and for notifications, their encryption) checked out: the Transaction of query answers
// and TRANSACTION.SUCCESS notifications, and the Refund of refund answers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::wechat {

// trade_state -> Outcome: SUCCESS and REFUND (it was paid) succeeded; NOTPAY, USERPAYING
// pending; CLOSED, REVOKED closed; PAYERROR failed; anything else unknown.
sdk::Outcome outcome_from_trade_state(std::string_view trade_state);

// Refund status -> Outcome: SUCCESS succeeded, PROCESSING pending, CLOSED and ABNORMAL
// failed (the money did not go back), anything else unknown.
sdk::Outcome outcome_from_refund_status(std::string_view status);

// Whose trade a Transaction must be: our mchid, and one of the app ids configured for the
// kind of payment.
struct Owner {
  std::string mchid;
  std::vector<std::string> app_ids;
};

// A Transaction -> TradeStatus (app_id left empty: the channel checks it here). Errors are
// invalid_request: mchid_mismatch, app_id_mismatch, invalid_transaction (a missing or
// mistyped field), invalid_success_time. A paid trade must carry transaction_id,
// amount.total and a valid success_time.
sdk::Result<sdk::TradeStatus> read_transaction(const sdk::Json& transaction, const Owner& owner);

// A Refund answer -> RefundResult; out_refund_no must be `refund_no`. Errors are
// invalid_request (invalid_refund, refund_mismatch).
sdk::Result<sdk::RefundResult> read_refund(const sdk::Json& refund, std::string_view refund_no);

// Provider text for messages and failure_msg: controls replaced, at most 200 bytes, cut
// on a UTF-8 character boundary.
std::string short_text(std::string_view text);

}  // namespace payhost::wechat
