#include "gateway_api.hpp"

#include "acp_form.hpp"
#include "answers.hpp"
#include "beijing_time.hpp"
#include "consume.hpp"
#include "html.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/simulator.hpp"
#include "random_ids.hpp"
#include "request_checks.hpp"
#include "resp_codes.hpp"

namespace payhost::sandbox_unionpay {
namespace {

const std::string kSuccessMsg = "成功[0000000]";

Fields base_answer(const Fields& request) {
  Fields out;
  for (const char* name : {"version", "encoding", "signMethod", "accessType", "merId"}) {
    const auto it = request.find(name);
    if (it != request.end()) out[name] = it->second;
  }
  out["respCode"] = kRespSuccess;
  out["respMsg"] = kSuccessMsg;
  return out;
}

// What a query says about a trade's state.
void add_trade_state(Fields& out, const Trade& trade) {
  if (trade.state == kPaid) {
    out["origRespCode"] = kRespSuccess;
    out["origRespMsg"] = kSuccessMsg;
    out["queryId"] = trade.query_id;
    out["settleAmt"] = std::to_string(trade.amount);
    out["settleCurrencyCode"] = "156";
    out["settleDate"] = trade.settle_date;
    out["traceNo"] = trade.trace_no;
    out["traceTime"] = trade.trace_time;
  } else if (trade.state == kUnpaid) {
    out["origRespCode"] = kRespAccepted;
    out["origRespMsg"] = resp_msg(kRespAccepted, "waiting for the buyer");
  } else if (trade.state == kFailed) {
    out["origRespCode"] = kRespFailed;
    out["origRespMsg"] = resp_msg(kRespFailed, "the buyer's payment failed");
  } else {
    out["origRespCode"] = kRespFailed;
    out["origRespMsg"] = resp_msg(kRespFailed, "the order timed out unpaid");
  }
}

sdk::HttpResponse consume_refusal(UnionpaySim& sim, const Fields& fields, const sdk::Error& error) {
  if (error.kind == sdk::ErrorKind::unavailable) return storage_failure_answer(sim, fields, error);
  return refusal_answer(sim, fields, error);
}

}  // namespace

sdk::HttpResponse handle_app_trans(UnionpaySim& sim, const sdk::HttpRequest& request) {
  auto fields = parse_request_form(request.body);
  if (!fields.ok()) return refusal_answer(sim, {}, fields.error());
  const std::int64_t now = sim.host.clock().now();
  auto order = check_consume(sim, *fields, Endpoint::app, now, true);
  if (!order.ok()) return refusal_answer(sim, *fields, order.error());
  auto trade = record_consume(sim, *order, Endpoint::app, now);
  if (!trade.ok()) return consume_refusal(sim, *fields, trade.error());

  Fields out = base_answer(*fields);
  out["bizType"] = trade->biz_type;
  out["orderId"] = trade->order_id;
  out["txnTime"] = trade->txn_time;
  out["txnType"] = "01";
  out["txnSubType"] = "01";
  out["tn"] = trade->tn;
  if (!trade->req_reserved.empty()) out["reqReserved"] = trade->req_reserved;
  return signed_answer(sim, std::move(out));
}

sdk::HttpResponse handle_front_trans(UnionpaySim& sim, const sdk::HttpRequest& request) {
  const auto refuse = [](const sdk::Error& error) {
    const int status = error.kind == sdk::ErrorKind::unavailable ? 503 : 400;
    return refusal_page(status, error.code, resp_msg(error.code, error.message));
  };
  auto fields = parse_request_form(request.body);
  if (!fields.ok()) return refuse(fields.error());
  const std::int64_t now = sim.host.clock().now();
  auto order = check_consume(sim, *fields, Endpoint::front, now, true);
  if (!order.ok()) return refuse(order.error());
  auto trade = record_consume(sim, *order, Endpoint::front, now);
  if (!trade.ok()) return refuse(trade.error());
  // UnionPay would show its own card page now; the sandbox's is the cashier of the charge
  // whose order this is.
  auto charge = sim.host.charges().get_by_order_no(trade->order_id);
  if (!charge.ok()) {
    return refusal_page(404, kRespNoSuchTrade,
                        resp_msg(kRespNoSuchTrade,
                                 "the trade is recorded, but no payhost charge "
                                 "has order_no " +
                                     trade->order_id + ", so there is no cashier page to show"));
  }
  return redirect_page(sdk::kCashierPathPrefix + sdk::url_encode(charge->id));
}

sdk::HttpResponse handle_back_trans(UnionpaySim& sim, const sdk::HttpRequest& request) {
  auto fields = parse_request_form(request.body);
  if (!fields.ok()) return refusal_answer(sim, {}, fields.error());
  const std::int64_t now = sim.host.clock().now();
  auto asked = check_refund(sim, *fields, now);
  if (!asked.ok()) return refusal_answer(sim, *fields, asked.error());

  const std::string when = beijing_digits(now);
  Refund fresh;
  fresh.mer_id = sim.options.mer_id;
  fresh.order_id = asked->order_id;
  fresh.txn_time = asked->txn_time;
  fresh.amount = asked->amount;
  fresh.orig_query_id = asked->orig_query_id;
  fresh.trace_no = make_trace_no();
  fresh.query_id = make_query_id(now, fresh.trace_no);
  fresh.trace_time = when.substr(4, 10);
  fresh.settle_date = when.substr(4, 4);
  fresh.back_url = asked->back_url;
  fresh.created_at = now;
  auto refunded = sim.store.refund(fresh);
  if (!refunded.ok()) return storage_failure_answer(sim, *fields, refunded.error());

  using Change = TradeStore::Change;
  switch (refunded->change) {
    case Change::done:
    case Change::repeated: {
      const Refund& r = refunded->refund;
      Fields out = base_answer(*fields);
      out["bizType"] = "000201";
      out["orderId"] = r.order_id;
      out["txnTime"] = r.txn_time;
      out["txnType"] = "04";
      out["txnSubType"] = "00";
      out["txnAmt"] = std::to_string(r.amount);
      out["origQryId"] = r.orig_query_id;
      out["queryId"] = r.query_id;
      if (!asked->req_reserved.empty()) out["reqReserved"] = asked->req_reserved;
      return signed_answer(sim, std::move(out));
    }
    case Change::not_found:
      return refusal_answer(
          sim, *fields,
          acp_error(kRespOriginalState, "no payment of merId " + sim.options.mer_id +
                                            " has queryId " + asked->orig_query_id));
    case Change::wrong_state:
      return refusal_answer(
          sim, *fields,
          acp_error(kRespOriginalState, "the payment " + asked->orig_query_id + " is " +
                                            refunded->trade.state + ", not paid"));
    case Change::exceeds:
      return refusal_answer(
          sim, *fields,
          acp_error(kRespAmountLimit,
                    "txnAmt " + std::to_string(asked->amount) + " is more than the " +
                        std::to_string(refunded->trade.amount - refunded->trade.refunded) +
                        " fen left to refund"));
    case Change::inconsistent:
      return refusal_answer(sim, *fields,
                            acp_error(kRespDuplicate, "orderId " + asked->order_id +
                                                          " was used before for another "
                                                          "refund or order"));
  }
  return storage_failure_answer(sim, *fields,
                                sdk::make_error(sdk::ErrorKind::internal, "unreachable", ""));
}

sdk::HttpResponse handle_query_trans(UnionpaySim& sim, const sdk::HttpRequest& request) {
  auto fields = parse_request_form(request.body);
  if (!fields.ok()) return refusal_answer(sim, {}, fields.error());
  auto asked = check_query(sim, *fields);
  if (!asked.ok()) return refusal_answer(sim, *fields, asked.error());
  const std::int64_t now = sim.host.clock().now();

  auto trade = sim.store.find(sim.options.mer_id, asked->order_id);
  if (!trade.ok()) return storage_failure_answer(sim, *fields, trade.error());
  if (trade->has_value() && (*trade)->txn_time == asked->txn_time) {
    Trade t = std::move(**trade);
    // An order left unpaid past its payTimeout is closed by then.
    if (t.state == kUnpaid && t.expires_at > 0 && now >= t.expires_at) {
      auto closed = sim.store.close(t.mer_id, t.order_id, now);
      if (!closed.ok()) return storage_failure_answer(sim, *fields, closed.error());
      t = std::move(closed->trade);
    }
    Fields out = base_answer(*fields);
    out["bizType"] = "000000";
    out["orderId"] = t.order_id;
    out["txnTime"] = t.txn_time;
    out["txnType"] = "01";
    out["txnSubType"] = "01";
    out["txnAmt"] = std::to_string(t.amount);
    out["currencyCode"] = t.currency_code;
    if (!t.req_reserved.empty()) out["reqReserved"] = t.req_reserved;
    add_trade_state(out, t);
    return signed_answer(sim, std::move(out));
  }
  auto refund = sim.store.find_refund(sim.options.mer_id, asked->order_id);
  if (!refund.ok()) return storage_failure_answer(sim, *fields, refund.error());
  if (refund->has_value() && (*refund)->txn_time == asked->txn_time) {
    const Refund& r = **refund;
    Fields out = base_answer(*fields);
    out["bizType"] = "000000";
    out["orderId"] = r.order_id;
    out["txnTime"] = r.txn_time;
    out["txnType"] = "04";
    out["txnSubType"] = "00";
    out["txnAmt"] = std::to_string(r.amount);
    out["currencyCode"] = "156";
    out["origQryId"] = r.orig_query_id;
    out["queryId"] = r.query_id;
    out["origRespCode"] = kRespSuccess;
    out["origRespMsg"] = kSuccessMsg;
    out["settleAmt"] = std::to_string(r.amount);
    out["settleCurrencyCode"] = "156";
    out["settleDate"] = r.settle_date;
    out["traceNo"] = r.trace_no;
    out["traceTime"] = r.trace_time;
    return signed_answer(sim, std::move(out));
  }
  return refusal_answer(
      sim, *fields,
      acp_error(kRespNoSuchTrade, "no order " + asked->order_id + " at " + asked->txn_time +
                                      " for merId " + sim.options.mer_id));
}

}  // namespace payhost::sandbox_unionpay
