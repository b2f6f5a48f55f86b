// What verified UnionPay messages say about a trade or a refund: back notifications,
// queryTrans answers and backTransReq answers, read into the host's terms. Pure: the
// signature has been checked before anything here runs.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "messages.hpp"
#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::unionpay {

// A trade UnionPay does not know this long after its payTimeout can no longer be paid:
// the margin covers payhost's and UnionPay's clocks disagreeing.
inline constexpr std::int64_t kNoSuchTradeMarginSeconds = 300;

inline constexpr std::string_view kRespSuccess = "00";
inline constexpr std::string_view kRespDefectiveSuccess = "A6";
inline constexpr std::string_view kRespNoSuchTrade = "34";

// 03, 04, 05: UnionPay has not decided yet (ask again later).
bool is_in_progress(std::string_view resp_code);
// 00, A6: success (A6 "有缺陷的成功" is a success with a remark).
bool is_success(std::string_view resp_code);

// A back notification of a payment: signMethod 01 and version 5.1.0 (checked before the
// signature: nothing else can be verified), merId ours, txnType 01, respCode 00/A6, then
// read_paid_trade. Errors are invalid_request: unsupported_sign_method,
// unsupported_version, mer_id_mismatch, not_a_payment, payment_not_successful, and
// read_paid_trade's codes.
sdk::Status check_notification_envelope(const Fields& fields);
sdk::Result<sdk::TradeStatus> read_payment_notification(const Fields& verified,
                                                        std::string_view mer_id);

// A paid trade's fields -> TradeStatus succeeded: order_no = orderId (8-40 alnum),
// transaction_no = queryId, amount = txnAmt (digits, no leading zero, > 0), time_paid =
// traceTime (Beijing, year from txnTime) or txnTime when traceTime is absent. txnTime must
// be well-formed; currencyCode, when given, 156. Errors are invalid_request:
// invalid_order_id, invalid_query_id, invalid_amount, invalid_txn_time, invalid_trace_time,
// currency_mismatch.
sdk::Result<sdk::TradeStatus> read_paid_trade(const Fields& fields);

// A verified queryTrans answer about `trade`:
//   respCode 00: origRespCode 00/A6 succeeded, 03/04/05 pending, anything else failed
//     (failure_code origRespCode); merId and orderId must be ours;
//   respCode 34 (no such trade): pending until time_expire + margin, then closed;
//   respCode 03/04/05: unavailable (outcome unknown); other codes: channel error.
// A verified answer that cannot be read is unavailable.
sdk::Result<sdk::TradeStatus> read_query_answer(const Fields& verified, const sdk::TradeRef& trade,
                                                std::string_view mer_id, std::int64_t now);

// A verified backTransReq answer to a refund: respCode 00 accepted (pending: UnionPay
// returns the money later; query_refund learns it), 03/04/05 unavailable, others channel.
sdk::Result<sdk::RefundResult> read_refund_answer(const Fields& verified,
                                                  const sdk::RefundRequest& request,
                                                  std::string_view mer_id);

// A verified queryTrans answer about a refund: origRespCode 00 succeeded, 03/04/05
// pending, others failed; respCode 34 not_found (send the refund again, same refund_no).
sdk::Result<sdk::RefundResult> read_refund_query(const Fields& verified,
                                                 const sdk::RefundRequest& request,
                                                 std::string_view mer_id);

}  // namespace payhost::unionpay
