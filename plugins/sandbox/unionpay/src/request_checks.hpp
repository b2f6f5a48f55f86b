// What the simulated UnionPay checks in a request before it acts (notes §4.5), each
// refusal an sdk::Error whose code is the respCode (resp_codes.hpp) and whose message says
// which field is wrong.
#pragma once

#include <cstdint>
#include <string>

#include "acp_signature.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/result.hpp"
#include "unionpay_sim.hpp"

namespace payhost::sandbox_unionpay {

enum class Endpoint {
  app,    // appTransReq.do: consume for the UnionPay control (tn)
  front,  // frontTransReq.do: consume by browser form
  back,   // backTransReq.do: refunds
  query,  // queryTrans.do
};

// Every request: version, encoding, signMethod, certId, signature and merId present (13);
// version 5.1.0, encoding UTF-8 (any case), signMethod 01 (10); merId the simulator's (31);
// certId the merchant certificate's decimal serial (11); the signature verifying with the
// merchant certificate's key (11).
sdk::Status check_envelope(const UnionpaySim& sim, const Fields& fields);

struct ConsumeRequest {
  std::string order_id;
  std::string txn_time;
  std::int64_t txn_unix = 0;
  sdk::Fen amount = 0;
  std::string channel_type;
  std::string biz_type;
  std::string currency_code;
  std::string back_url;
  std::string front_url;
  std::string pay_timeout;
  std::int64_t expires_at = 0;
  std::string order_desc;
  std::string req_reserved;
  std::string digest;  // of the signed string: equal for a replay of the same request
};

// check_envelope, then the consume fields: txnType 01, txnSubType 01, bizType 000201
// (000802 too on appTransReq), channelType 08 (app) or 07/08 (front), accessType 0, orderId
// ^[0-9A-Za-z]{8,40}$, txnTime a Beijing YYYYMMDDhhmmss within txn_time_window_seconds of the
// host clock (39; a front request whose payTimeout is still ahead may be older), txnAmt
// ^[1-9]\d*$ (at most 12 digits), currencyCode 156, backUrl an absolute http(s) URL, frontUrl
// one too (required on frontTransReq), payTimeout after txnTime. `check_window` false skips
// the txnTime window (the cashier recording a form the browser never posted).
sdk::Result<ConsumeRequest> check_consume(const UnionpaySim& sim, const Fields& fields,
                                          Endpoint endpoint, std::int64_t now, bool check_window);

struct QueryRequest {
  std::string order_id;
  std::string txn_time;
};

// check_envelope, then txnType 00, txnSubType 00, bizType 000000, accessType 0, orderId and
// txnTime (the original's: no window) well formed.
sdk::Result<QueryRequest> check_query(const UnionpaySim& sim, const Fields& fields);

struct RefundRequest {
  std::string order_id;  // the refund's own
  std::string txn_time;
  sdk::Fen amount = 0;
  std::string orig_query_id;
  std::string back_url;
  std::string req_reserved;
};

// check_envelope, then txnType 04, txnSubType 00, bizType 000201, accessType 0,
// channelType 07/08 if given, orderId, txnTime (window), txnAmt, currencyCode 156 if given,
// origQryId 21 digits, backUrl.
sdk::Result<RefundRequest> check_refund(const UnionpaySim& sim, const Fields& fields,
                                        std::int64_t now);

// An absolute http(s) URL with a host, at most 2048 bytes, printable ASCII without
// whitespace, '"', '<', '>' or '\'.
bool absolute_http_url(const std::string& url);

}  // namespace payhost::sandbox_unionpay
