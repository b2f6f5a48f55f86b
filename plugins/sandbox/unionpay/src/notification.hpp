// The back notification UnionPay POSTs to a consume's backUrl once it is paid (it notifies
// successes only), and the deliberately wrong variants the test hook sends.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "acp_signature.hpp"
#include "trade_store.hpp"
#include "unionpay_sim.hpp"

namespace payhost::sandbox_unionpay {

enum class Tamper {
  foreign_cn,     // signed with a certificate under the sandbox CA whose CN names another company
  expired,        // signed with an expired certificate under the sandbox CA
  outside_chain,  // signed with a certificate of UnionPay's CN under another root
  amount,         // correctly signed, txnAmt and settleAmt one fen more than the trade
  signature,      // the signature does not verify (one bit flipped)
  mer_id,         // correctly signed, for another merId
  unknown_order,  // correctly signed, for an orderId the merchant never sent
};

std::optional<Tamper> tamper_from_string(std::string_view name);
const char* tamper_names();  // for error messages

// The fields of the notification for `trade` (unsigned): accessType, bizType, currencyCode,
// encoding, merId, orderId, queryId, respCode 00, respMsg, settleAmt, settleCurrencyCode,
// settleDate, signMethod, traceNo, traceTime, txnAmt, txnSubType, txnTime, txnType, version,
// and reqReserved when the request had one. A trade not paid yet gets `now` as its times.
Fields notification_fields(const Trade& trade, std::int64_t now);

// The form body (each value percent-encoded once) signed by the sandbox's UnionPay
// certificate; nullopt if signing fails.
std::optional<std::string> notification_body(const UnionpaySim& sim, const Trade& trade,
                                             std::int64_t now);

std::optional<std::string> tampered_notification_body(const UnionpaySim& sim, const Trade& trade,
                                                      Tamper tamper, std::int64_t now);

}  // namespace payhost::sandbox_unionpay
