// Pure builders for the ACP 5.1.0 requests this plugin sends: the channel table, the checks
// made before anything is sent, the unsigned fields of each call, and the credentials.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "messages.hpp"
#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::unionpay {

enum class Channel { applepay, app, wap, pc };

struct ChannelInfo {
  Channel channel;
  std::string_view name;          // payhost/Ping++ channel name
  std::string_view channel_type;  // 08 mobile, 07 PC
  bool browser_form;              // frontTransReq.do posted by the client (wap, pc)
};

std::optional<ChannelInfo> channel_info(std::string_view channel_name);
std::vector<sdk::ChannelSpec> channel_specs();

inline constexpr std::int64_t kDefaultExpirySeconds = 3600;  // Ping++'s for UnionPay
inline constexpr std::string_view kFrontPath = "/gateway/api/frontTransReq.do";
inline constexpr std::string_view kAppPath = "/gateway/api/appTransReq.do";
inline constexpr std::string_view kBackPath = "/gateway/api/backTransReq.do";
inline constexpr std::string_view kQueryPath = "/gateway/api/queryTrans.do";
inline constexpr std::string_view kResultUrlExtra = "result_url";

// orderId: 8-40 letters and digits (UnionPay refuses '-' and '_').
bool is_valid_order_id(std::string_view s);
// queryId (UnionPay's trade number) as this plugin accepts it: 1-40 letters and digits.
bool is_valid_query_id(std::string_view s);

// The checks UnionPay would make, made before anything is sent: amount, currency,
// order_no, created time, and for wap/pc extra.result_url. Errors are invalid_request
// naming the param.
sdk::Status check_create(const sdk::CreateRequest& request, const ChannelInfo& info);

// What every request carries besides its own fields.
struct Merchant {
  std::string mer_id;
  std::string back_url;  // the notification URL
};

// Consume (txnType 01), unsigned, for appTransReq.do (app channels) or frontTransReq.do
// (wap, pc). txnTime is the charge's creation time in Beijing time, so that query can send
// it again; payTimeout its time_expire. `request` passed check_create.
Fields consume_fields(const sdk::CreateRequest& request, const ChannelInfo& info,
                      const Merchant& merchant);

// queryTrans.do for the trade (orderId, txnTime) sent earlier.
Fields query_fields(std::string_view mer_id, std::string_view order_id, std::string_view txn_time);

// A refund's orderId is its refund_no, and its txnTime the instant the refund_no names: a
// refund_no is 8-40 letters and digits starting with YYYYMMDDhhmmss in UTC, the shape of
// payhost's ids, so every retry and every query_refund sends the same pair. Errors are
// invalid_request naming refund_no.
sdk::Result<std::string> refund_txn_time(std::string_view refund_no);

// Refund checks (amount within the trade, transaction_no known, refund_no shape).
sdk::Status check_refund(const sdk::RefundRequest& request);
// backTransReq.do txnType 04 with origQryId = the charge's transaction_no.
Fields refund_fields(const sdk::RefundRequest& request, std::string_view txn_time,
                     const Merchant& merchant);

// applepay_upacp / upacp: {tn, mode ("00" live, "01" test), merchant_id (Apple Pay only)}.
sdk::Json app_credential(std::string_view tn, bool livemode, std::string_view apple_merchant_id);
// upacp_wap / upacp_pc: the signed form fields in the order sent, then channel_url.
sdk::Json form_credential(const Fields& signed_fields, std::string_view channel_url);

}  // namespace payhost::unionpay
