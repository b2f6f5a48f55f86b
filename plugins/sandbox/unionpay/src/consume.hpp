// Recording a checked consume request as a trade, shared by appTransReq.do,
// frontTransReq.do and the cashier (which records a front form the browser never posted).
#pragma once

#include <cstdint>

#include "request_checks.hpp"
#include "trade_store.hpp"
#include "unionpay_sim.hpp"

namespace payhost::sandbox_unionpay {

// The stored trade for `order`: created now, or the one a replay of the same signed request
// created before. orderId taken by another request (or by a refund) is respCode 12; a
// storage failure an `unavailable` error with respCode 04 (its detail logged, not shown).
sdk::Result<Trade> record_consume(UnionpaySim& sim, const ConsumeRequest& order, Endpoint endpoint,
                                  std::int64_t now);

}  // namespace payhost::sandbox_unionpay
