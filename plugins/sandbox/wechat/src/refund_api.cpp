#include "refund_api.hpp"

#include "api_gate.hpp"
#include "api_requests.hpp"
#include "random_ids.hpp"
#include "rfc3339.hpp"

namespace payhost::sandbox_wechat {

sdk::Json refund_json(const Refund& refund) {
  sdk::Json out = sdk::Json::object();
  out["refund_id"] = refund.refund_id;
  out["out_refund_no"] = refund.out_refund_no;
  out["transaction_id"] = refund.transaction_id;
  out["out_trade_no"] = refund.out_trade_no;
  out["channel"] = "ORIGINAL";
  out["user_received_account"] = "支付用户零钱";
  if (refund.success_at > 0) out["success_time"] = format_rfc3339_beijing(refund.success_at);
  out["create_time"] = format_rfc3339_beijing(refund.created_at);
  out["status"] = refund.status;
  out["funds_account"] = "AVAILABLE";
  sdk::Json amount = sdk::Json::object();
  amount["total"] = refund.total;
  amount["refund"] = refund.amount;
  amount["payer_total"] = refund.total;
  amount["payer_refund"] = refund.amount;
  amount["settlement_refund"] = refund.amount;
  amount["settlement_total"] = refund.total;
  amount["discount_refund"] = 0;
  amount["currency"] = "CNY";
  amount["refund_fee"] = 0;
  out["amount"] = std::move(amount);
  return out;
}

sdk::HttpResponse handle_refund(WechatSim& sim, const sdk::HttpRequest& request) {
  auto auth = authenticate(sim, request);
  if (!auth.ok()) return error_answer(sim, auth.error());
  auto asked = parse_refund(request.body);
  if (!asked.ok()) return error_answer(sim, asked.error());
  const RefundRequest& r = asked.value();

  // The amount of a trade never changes, so reading it before the refund's transaction
  // is safe.
  auto trade = sim.store.find(auth->mchid, r.key);
  if (!trade.ok()) return system_error_answer(sim, trade.error());
  if (!trade->has_value()) return error_answer(sim, wechat_error(kOrderNotExist, "订单不存在"));
  if ((*trade)->amount != r.total) {
    return error_answer(sim, wechat_error(kParamError,
                                          "amount.total: must equal the order amount " +
                                              std::to_string((*trade)->amount),
                                          "amount.total"));
  }
  const std::int64_t now = sim.host.clock().now();
  auto refunded = sim.store.refund(auth->mchid, r.key, r.out_refund_no, r.refund, r.reason,
                                   make_refund_id(now), now);
  if (!refunded.ok()) return system_error_answer(sim, refunded.error());
  using Change = TradeStore::Change;
  switch (refunded->change) {
    case Change::done:
    case Change::repeated:
      return signed_answer(sim, 200, sdk::json_dump(refund_json(refunded->refund)));
    case Change::not_found:
      return error_answer(sim, wechat_error(kOrderNotExist, "订单不存在"));
    case Change::wrong_state:
      return error_answer(
          sim, wechat_error(kInvalidRequest, "订单状态为 " + refunded->trade.trade_state +
                                                 "，不能退款 (only a paid order can be refunded)"));
    case Change::exceeds:
      // WeChat's NOT_ENOUGH (403) is about the merchant's balance, not the order: more
      // than the order's remainder is a parameter error.
      return error_answer(
          sim, wechat_error(kParamError,
                            "amount.refund: 申请退款金额超过订单可退金额 (remaining " +
                                std::to_string(refunded->trade.amount - refunded->trade.refunded) +
                                " fen)",
                            "amount.refund"));
    case Change::inconsistent:
      return error_answer(sim, wechat_error(kInvalidRequest,
                                            "out_refund_no " + r.out_refund_no +
                                                " 已用于另一笔退款 (another order or amount)",
                                            "out_refund_no"));
  }
  return system_error_answer(sim, sdk::make_error(sdk::ErrorKind::internal, "unreachable", ""));
}

sdk::HttpResponse handle_refund_query(WechatSim& sim, const sdk::HttpRequest& request) {
  auto auth = authenticate(sim, request);
  if (!auth.ok()) return error_answer(sim, auth.error());
  auto number = path_segment(request, "out_refund_no");
  if (!number || !valid_out_refund_no(*number)) {
    return error_answer(sim,
                        wechat_error(kParamError, "out_refund_no: must be 1-64 of [A-Za-z0-9_|*@-]",
                                     "out_refund_no"));
  }
  auto refund = sim.store.find_refund(auth->mchid, *number);
  if (!refund.ok()) return system_error_answer(sim, refund.error());
  if (!refund->has_value()) {
    return error_answer(sim, wechat_error(kResourceNotExists, "退款单不存在"));
  }
  return signed_answer(sim, 200, sdk::json_dump(refund_json(**refund)));
}

}  // namespace payhost::sandbox_wechat
