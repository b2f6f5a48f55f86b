#include "consume.hpp"

#include "random_ids.hpp"
#include "resp_codes.hpp"

namespace payhost::sandbox_unionpay {

sdk::Result<Trade> record_consume(UnionpaySim& sim, const ConsumeRequest& order, Endpoint endpoint,
                                  std::int64_t now) {
  Trade fresh;
  fresh.mer_id = sim.options.mer_id;
  fresh.order_id = order.order_id;
  fresh.txn_time = order.txn_time;
  fresh.channel_type = order.channel_type;
  fresh.biz_type = order.biz_type;
  fresh.endpoint = endpoint == Endpoint::front ? "front" : "app";
  fresh.amount = order.amount;
  fresh.currency_code = order.currency_code;
  fresh.back_url = order.back_url;
  fresh.front_url = order.front_url;
  fresh.pay_timeout = order.pay_timeout;
  fresh.expires_at = order.expires_at;
  fresh.order_desc = order.order_desc;
  fresh.req_reserved = order.req_reserved;
  fresh.request_digest = order.digest;
  fresh.state = kUnpaid;
  fresh.created_at = now;

  constexpr int kDraws = 8;  // each draw of numbers is taken with a chance below 1 in 1000
  sdk::Result<TradeStore::Opened> opened =
      sdk::make_error(sdk::ErrorKind::unavailable, "numbers_taken",
                      "no free tn and queryId in " + std::to_string(kDraws) + " draws");
  for (int draw = 0; draw < kDraws; ++draw) {
    fresh.tn = make_tn(now);
    fresh.trace_no = make_trace_no();
    fresh.query_id = make_query_id(now, fresh.trace_no);
    auto attempt = sim.store.open(fresh);
    if (attempt.ok() && attempt->opening == TradeStore::Opening::numbers_taken) continue;
    opened = std::move(attempt);
    break;
  }
  if (!opened.ok()) {
    sim.host.logger().error("sandbox_unionpay: storing a trade failed: " + opened.error().message);
    return sdk::make_error(sdk::ErrorKind::unavailable, kRespUnknown,
                           "the sandbox could not store the trade");
  }
  using Opening = TradeStore::Opening;
  if (opened->opening == Opening::clash) {
    return acp_error(kRespDuplicate, "orderId " + order.order_id + " is a refund's orderId");
  }
  if (opened->opening == Opening::existing && opened->trade.request_digest != order.digest) {
    return acp_error(kRespDuplicate,
                     "orderId " + order.order_id + " was sent before with other content");
  }
  return std::move(opened->trade);
}

}  // namespace payhost::sandbox_unionpay
