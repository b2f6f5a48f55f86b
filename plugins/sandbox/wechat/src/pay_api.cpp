#include "pay_api.hpp"

#include "api_gate.hpp"
#include "notification.hpp"
#include "payhost/sdk/json.hpp"
#include "random_ids.hpp"

namespace payhost::sandbox_wechat {
namespace {

using sdk::Json;

Trade fresh_trade(const PrepayOrder& order, std::int64_t now) {
  Trade t;
  t.mchid = order.mchid;
  t.out_trade_no = order.out_trade_no;
  t.appid = order.appid;
  t.trade_type = trade_type_of(order.kind);
  t.description = order.description;
  t.amount = order.amount;
  t.notify_url = order.notify_url;
  t.attach = order.attach;
  t.time_expire = order.time_expire;
  t.expires_at = order.expires_at;
  t.payer_openid = order.payer_openid;
  t.payer_client_ip = order.payer_client_ip;
  t.h5_type = order.h5_type;
  t.prepay_id = make_prepay_id(now);
  if (order.kind == PrepayKind::h5) t.h5_url = make_h5_url(t.prepay_id);
  if (order.kind == PrepayKind::native) t.code_url = make_code_url();
  t.transaction_id = make_transaction_id(now);
  t.trade_state = kNotPay;
  t.created_at = now;
  return t;
}

// What WeChat answers a prepay with, for this trade's kind.
Json prepay_answer(const Trade& trade) {
  if (trade.trade_type == kMweb) return Json{{"h5_url", trade.h5_url}};
  if (trade.trade_type == kNative) return Json{{"code_url", trade.code_url}};
  return Json{{"prepay_id", trade.prepay_id}};
}

// The out_trade_no of the request path, checked like the one in a body.
sdk::Result<std::string> out_trade_no_of(const sdk::HttpRequest& request) {
  auto decoded = path_segment(request, "out_trade_no");
  if (!decoded || !valid_out_trade_no(*decoded)) {
    return wechat_error(kParamError, "out_trade_no: must be 6-32 of [A-Za-z0-9_|*-]",
                        "out_trade_no");
  }
  return std::move(*decoded);
}

sdk::Error order_not_exist() {
  return wechat_error(kOrderNotExist, "订单不存在");
}

sdk::Error order_paid() {
  return wechat_error(kOrderPaid, "该订单已支付");
}

}  // namespace

sdk::HttpResponse handle_prepay(WechatSim& sim, const sdk::HttpRequest& request, PrepayKind kind) {
  auto auth = authenticate(sim, request);
  if (!auth.ok()) return error_answer(sim, auth.error());
  auto order = parse_prepay(kind, request.body, sim.options, auth->mchid);
  if (!order.ok()) return error_answer(sim, order.error());

  const Trade fresh = fresh_trade(order.value(), sim.host.clock().now());
  auto opened = sim.store.open(fresh);
  if (!opened.ok()) return system_error_answer(sim, opened.error());
  const Trade& stored = opened->trade;
  if (!opened->created) {
    // WeChat's prepay is idempotent per out_trade_no: the same order again gets the same
    // prepay_id; other content under that number is refused.
    if (stored.trade_type != fresh.trade_type || stored.amount != fresh.amount ||
        stored.description != fresh.description || stored.appid != fresh.appid) {
      return error_answer(sim,
                          wechat_error(kInvalidRequest,
                                       "out_trade_no " + stored.out_trade_no +
                                           " 已存在且下单参数不一致 (another trade type, amount, "
                                           "description or appid than the first request)",
                                       "out_trade_no"));
    }
    if (stored.paid()) return error_answer(sim, order_paid());
    if (stored.trade_state == kClosed) {
      return error_answer(sim, wechat_error(kOrderClosed, "订单已关闭"));
    }
  }
  return signed_answer(sim, 200, sdk::json_dump(prepay_answer(stored)));
}

sdk::HttpResponse handle_query(WechatSim& sim, const sdk::HttpRequest& request) {
  auto auth = authenticate(sim, request);
  if (!auth.ok()) return error_answer(sim, auth.error());
  auto out_trade_no = out_trade_no_of(request);
  if (!out_trade_no.ok()) return error_answer(sim, out_trade_no.error());
  const auto mchid = request.query.find("mchid");
  if (mchid == request.query.end() || mchid->second.empty()) {
    return error_answer(sim,
                        wechat_error(kParamError, "mchid: query parameter is required", "mchid"));
  }
  if (mchid->second != auth->mchid) {
    return error_answer(
        sim,
        wechat_error(kParamError, "mchid: must be the merchant that signed the request", "mchid"));
  }
  auto trade = sim.store.find(auth->mchid, TradeKey{out_trade_no.value(), {}});
  if (!trade.ok()) return system_error_answer(sim, trade.error());
  if (!trade->has_value()) return error_answer(sim, order_not_exist());
  return signed_answer(sim, 200, sdk::json_dump(transaction_json(**trade)));
}

sdk::HttpResponse handle_close(WechatSim& sim, const sdk::HttpRequest& request) {
  auto auth = authenticate(sim, request);
  if (!auth.ok()) return error_answer(sim, auth.error());
  auto out_trade_no = out_trade_no_of(request);
  if (!out_trade_no.ok()) return error_answer(sim, out_trade_no.error());
  const Json body = request.body.size() <= kMaxBodyBytes ? sdk::parse_json(request.body)
                                                         : Json(Json::value_t::discarded);
  if (!body.is_object()) {
    return error_answer(sim, wechat_error(kParamError, "body: must be a JSON object", "body"));
  }
  const auto mchid = body.find("mchid");
  if (mchid == body.end() || !mchid->is_string() || mchid->get<std::string>() != auth->mchid) {
    return error_answer(
        sim,
        wechat_error(kParamError, "mchid: must be the merchant that signed the request", "mchid"));
  }
  auto changed = sim.store.close(auth->mchid, out_trade_no.value(), sim.host.clock().now());
  if (!changed.ok()) return system_error_answer(sim, changed.error());
  switch (changed->change) {
    case TradeStore::Change::done:
    case TradeStore::Change::repeated:
      return signed_answer(sim, 204, "");
    case TradeStore::Change::not_found:
      return error_answer(sim, order_not_exist());
    default:
      return error_answer(sim, order_paid());
  }
}

}  // namespace payhost::sandbox_wechat
