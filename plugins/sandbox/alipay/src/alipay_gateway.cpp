#include "alipay_gateway.hpp"

#include "beijing_time.hpp"
#include "html.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/simulator.hpp"
#include "random_ids.hpp"

namespace payhost::sandbox_alipay {
namespace {

using alipay::business_failure;
using alipay::Checked;
using alipay::GatewayError;
using alipay::Method;
using alipay::Params;
using sdk::Json;

const GatewayError kTradeNotExist = business_failure("ACQ.TRADE_NOT_EXIST", "交易不存在");
const GatewayError kTradeStatusError = business_failure("ACQ.TRADE_STATUS_ERROR", "交易状态不合法");
const GatewayError kTradeHasClose = business_failure("ACQ.TRADE_HAS_CLOSE", "交易已经关闭");
const GatewayError kTradeHasSuccess = business_failure("ACQ.TRADE_HAS_SUCCESS", "交易已被支付");
const GatewayError kTradeHasFinished = business_failure("ACQ.TRADE_HAS_FINISHED", "交易已经完结");
const GatewayError kContextInconsistent = business_failure(
    "ACQ.CONTEXT_INCONSISTENT", "交易信息被篡改 (same out_trade_no, other content)");
const GatewayError kRefundExceeds =
    business_failure("ACQ.REFUND_AMT_NOT_EQUAL_TOTAL", "退款金额超限");

GatewayError system_error(AlipaySim& sim, const sdk::Error& error) {
  // 20000 tells the merchant the outcome is unknown and to query later, which is exactly
  // what a database failure here means. The detail (driver or SQL text) stays in the log.
  sim.host.logger().error("sandbox gateway: storage failed: " + error.message);
  return GatewayError{"20000", "Service Currently Unavailable", "ACQ.SYSTEM_ERROR", "系统错误"};
}

sdk::HttpResponse envelope(AlipaySim& sim, const std::string& node_name, const Json& node) {
  const auto body = alipay::signed_envelope(node_name, node, sim.platform_private_key);
  if (!body) return sdk::HttpResponse::text(500, "sandbox: signing the response failed");
  return sdk::HttpResponse::text(200, *body, "application/json; charset=utf-8");
}

sdk::HttpResponse error_envelope(AlipaySim& sim, const std::string& node_name,
                                 const GatewayError& error, const Json& extra = Json::object()) {
  Json node = alipay::error_node(error);
  for (const auto& [k, v] : extra.items())
    node[k] = v;
  return envelope(sim, node_name, node);
}

// Browsers get a page, like Alipay's own "错误" cashier page, with the codes visible.
sdk::HttpResponse browser_error(int status, const GatewayError& error) {
  return html_page(status, "支付宝 sandbox: request refused",
                   html_table({{"code", error.code},
                               {"msg", error.msg},
                               {"sub_code", error.sub_code},
                               {"sub_msg", error.sub_msg}}));
}

std::string get(const Params& params, const char* key) {
  auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

Json amounts_zero(const std::string& out_trade_no) {
  Json extra = Json::object();
  extra["buyer_pay_amount"] = "0.00";
  extra["invoice_amount"] = "0.00";
  if (!out_trade_no.empty()) extra["out_trade_no"] = out_trade_no;
  extra["point_amount"] = "0.00";
  extra["receipt_amount"] = "0.00";
  return extra;
}

Trade fresh_trade(AlipaySim& sim, const alipay::PayOrder& order, std::int64_t now) {
  Trade t;
  t.app_id = sim.options.alipay_app_id;
  t.out_trade_no = order.out_trade_no;
  t.trade_no = make_trade_no(now);
  t.method = alipay::method_name(order.method);
  t.amount = order.amount;
  t.subject = order.subject;
  t.notify_url = order.notify_url;
  t.return_url = order.return_url;
  t.qr_code = order.method == Method::precreate ? make_qr_code() : std::string();
  t.fingerprint = trade_fingerprint(t.method, t.amount, t.subject);
  t.created_at = now;
  return t;
}

// An existing trade may be replayed only with the same content, and only while unpaid
// (for precreate; browsers may come back to look at a paid trade).
std::optional<GatewayError> replay_error(const Trade& stored, const Trade& fresh) {
  if (stored.fingerprint != fresh.fingerprint) return kContextInconsistent;
  return std::nullopt;
}

sdk::HttpResponse precreate(AlipaySim& sim, const Params& params, const std::string& node,
                            std::int64_t now) {
  const auto order = alipay::parse_pay_order(Method::precreate, params);
  if (!order.ok()) return error_envelope(sim, node, order.error());
  const Trade fresh = fresh_trade(sim, order.value(), now);
  const auto opened = sim.store.open(fresh);
  if (!opened.ok()) return error_envelope(sim, node, system_error(sim, opened.error()));
  const Trade& trade = opened->trade;
  const Json echo = Json{{"out_trade_no", trade.out_trade_no}};
  if (!opened->created) {
    if (auto e = replay_error(trade, fresh)) return error_envelope(sim, node, *e, echo);
    if (trade.paid()) return error_envelope(sim, node, kTradeHasSuccess, echo);
    if (trade.status == kTradeClosed) return error_envelope(sim, node, kTradeHasClose, echo);
  }
  return envelope(sim, node,
                  Json{{"code", "10000"},
                       {"msg", "Success"},
                       {"out_trade_no", trade.out_trade_no},
                       {"qr_code", trade.qr_code}});
}

sdk::HttpResponse query(AlipaySim& sim, const Params& params, const std::string& node) {
  const auto biz = alipay::parse_biz_content(params);
  if (!biz.ok()) return error_envelope(sim, node, biz.error());
  const auto key = alipay::parse_trade_key(biz.value());
  if (!key.ok()) return error_envelope(sim, node, key.error());
  const auto found = sim.store.find(sim.options.alipay_app_id, key.value());
  if (!found.ok()) return error_envelope(sim, node, system_error(sim, found.error()));
  if (!found.value()) {
    return error_envelope(sim, node, kTradeNotExist, amounts_zero(key.value().out_trade_no));
  }
  const Trade& t = **found;
  const std::string paid_amount = t.paid() ? sdk::format_yuan(t.amount) : "0.00";
  Json out = Json{{"code", "10000"}, {"msg", "Success"}};
  if (t.paid()) out["buyer_logon_id"] = t.buyer_logon_id;
  out["buyer_pay_amount"] = paid_amount;
  if (t.paid()) out["buyer_user_id"] = t.buyer_id;
  out["invoice_amount"] = paid_amount;
  out["out_trade_no"] = t.out_trade_no;
  out["point_amount"] = "0.00";
  out["receipt_amount"] = paid_amount;
  if (t.paid()) out["send_pay_date"] = format_beijing(t.paid_at);
  out["total_amount"] = sdk::format_yuan(t.amount);
  out["trade_no"] = t.trade_no;
  out["trade_status"] = t.status;
  return envelope(sim, node, out);
}

sdk::HttpResponse close(AlipaySim& sim, const Params& params, const std::string& node,
                        std::int64_t now) {
  const auto biz = alipay::parse_biz_content(params);
  if (!biz.ok()) return error_envelope(sim, node, biz.error());
  const auto key = alipay::parse_trade_key(biz.value());
  if (!key.ok()) return error_envelope(sim, node, key.error());
  const auto closed = sim.store.close(sim.options.alipay_app_id, key.value(), now);
  if (!closed.ok()) return error_envelope(sim, node, system_error(sim, closed.error()));
  switch (closed->change) {
    case TradeStore::Change::done:
      return envelope(sim, node,
                      Json{{"code", "10000"},
                           {"msg", "Success"},
                           {"out_trade_no", closed->trade.out_trade_no},
                           {"trade_no", closed->trade.trade_no}});
    case TradeStore::Change::not_found: {
      Json echo = Json::object();
      if (!key.value().out_trade_no.empty()) echo["out_trade_no"] = key.value().out_trade_no;
      return error_envelope(sim, node, kTradeNotExist, echo);
    }
    default:
      return error_envelope(
          sim, node, kTradeStatusError,
          Json{{"out_trade_no", closed->trade.out_trade_no}, {"trade_no", closed->trade.trade_no}});
  }
}

sdk::HttpResponse refund(AlipaySim& sim, const Params& params, const std::string& node,
                         std::int64_t now) {
  const auto biz = alipay::parse_biz_content(params);
  if (!biz.ok()) return error_envelope(sim, node, biz.error());
  const auto request = alipay::parse_refund(biz.value());
  if (!request.ok()) return error_envelope(sim, node, request.error());
  const auto& r = request.value();
  const auto result =
      sim.store.refund(sim.options.alipay_app_id, r.key, r.out_request_no, r.amount, r.reason, now);
  if (!result.ok()) return error_envelope(sim, node, system_error(sim, result.error()));
  const Trade& t = result->trade;
  const Json echo = Json{{"out_trade_no", t.out_trade_no}, {"trade_no", t.trade_no}};
  switch (result->change) {
    case TradeStore::Change::not_found:
      return error_envelope(sim, node, kTradeNotExist);
    case TradeStore::Change::inconsistent:
      return error_envelope(sim, node, kContextInconsistent, echo);
    case TradeStore::Change::exceeds:
      return error_envelope(sim, node, kRefundExceeds, echo);
    case TradeStore::Change::wrong_status:
      return error_envelope(sim, node,
                            t.status == kTradeClosed     ? kTradeHasClose
                            : t.status == kTradeFinished ? kTradeHasFinished
                                                         : kTradeStatusError,
                            echo);
    case TradeStore::Change::done:
    case TradeStore::Change::replayed:
      break;
  }
  Json out = Json{{"code", "10000"}, {"msg", "Success"}};
  out["buyer_logon_id"] = t.buyer_logon_id;
  out["buyer_user_id"] = t.buyer_id;
  out["fund_change"] = result->change == TradeStore::Change::done ? "Y" : "N";
  out["gmt_refund_pay"] = format_beijing(now);
  out["out_trade_no"] = t.out_trade_no;
  out["refund_fee"] = sdk::format_yuan(t.refunded);
  out["send_back_fee"] = sdk::format_yuan(r.amount);
  out["trade_no"] = t.trade_no;
  return envelope(sim, node, out);
}

// wap.pay / page.pay: a browser arrives with the signed fields. Record the trade like
// Alipay does once the buyer reaches its cashier, then show ours.
sdk::HttpResponse browser_pay(AlipaySim& sim, Method method, const Params& params,
                              std::int64_t now) {
  const auto order = alipay::parse_pay_order(method, params);
  if (!order.ok()) return browser_error(400, order.error());
  const Trade fresh = fresh_trade(sim, order.value(), now);
  const auto opened = sim.store.open(fresh);
  if (!opened.ok()) return browser_error(503, system_error(sim, opened.error()));
  if (!opened->created) {
    if (auto e = replay_error(opened->trade, fresh)) return browser_error(400, *e);
    if (!opened->trade.paid() && opened->trade.status == kTradeClosed) {
      return browser_error(400, kTradeHasClose);
    }
  }
  const auto charge = sim.host.charges().get_by_order_no(order.value().out_trade_no);
  if (!charge.ok()) {
    return html_page(404, "支付宝 sandbox: no charge",
                     "<p>The trade was recorded, but payhost has no charge with order_no <code>" +
                         sdk::html_escape(order.value().out_trade_no) +
                         "</code>, so there is no cashier page to show.</p>");
  }
  // A relative Location works whatever host name the browser used to reach us. The body
  // links the cashier too, for clients (and hosts) that lose the Location header.
  const std::string cashier = sdk::kCashierPathPrefix + sdk::url_encode(charge->id);
  auto redirect = html_page(302, "支付宝 sandbox: redirecting",
                            "<p><a id=\"cashier\" href=\"" + sdk::html_escape(cashier) +
                                "\">Continue to the cashier</a></p>");
  redirect.headers.set("Location", cashier);
  return redirect;
}

}  // namespace

Checked<Params> gateway_params(const sdk::HttpRequest& request) {
  Params merged;
  const auto add = [&merged](const std::vector<std::pair<std::string, std::string>>& pairs,
                             const char* where) -> std::optional<GatewayError> {
    for (const auto& [k, v] : pairs) {
      auto [it, inserted] = merged.emplace(k, v);
      if (!inserted && it->second != v) {
        return alipay::invalid_parameter(
            "isv.invalid-parameter",
            "parameter " + k + " given twice with different values (" + where + ")");
      }
    }
    return std::nullopt;
  };
  if (auto e = add(sdk::parse_form(request.raw_query), "query string")) return *e;
  const std::string type = request.header("Content-Type").value_or("");
  const bool form =
      type.empty() || type.find("application/x-www-form-urlencoded") != std::string::npos;
  if (request.method == "POST" && !request.body.empty()) {
    if (!form) {
      return alipay::invalid_parameter("isv.invalid-parameter",
                                       "the gateway reads application/x-www-form-urlencoded "
                                       "bodies only, not " +
                                           type);
    }
    if (auto e = add(sdk::parse_form(request.body), "query string and body")) return *e;
  }
  return merged;
}

sdk::HttpResponse handle_gateway(AlipaySim& sim, const sdk::HttpRequest& request) {
  const std::int64_t now = sim.host.clock().now();
  const auto params = gateway_params(request);
  if (!params.ok()) return error_envelope(sim, "error_response", params.error());
  const Params& p = params.value();

  const auto method = alipay::method_from_name(get(p, "method"));
  const bool usable = method && alipay::gateway_method(*method);
  const bool browser = method && alipay::browser_method(*method);
  const std::string node = usable && !browser ? alipay::response_node_name(get(p, "method"))
                                              : std::string("error_response");

  alipay::RequestCheck check;
  check.app_id = sim.options.alipay_app_id;
  check.now = now;
  check.window_seconds = sim.options.timestamp_window_seconds;
  check.merchant_public_key = sim.merchant_public_key;
  if (auto error = alipay::check_request(p, check)) {
    return browser ? browser_error(400, *error) : error_envelope(sim, node, *error);
  }
  if (!usable) {
    return error_envelope(
        sim, node,
        alipay::invalid_parameter("isv.invalid-method",
                                  get(p, "method") + " is not called through gateway.do (the "
                                                     "app SDK takes the order string)"));
  }
  switch (*method) {
    case Method::precreate:
      return precreate(sim, p, node, now);
    case Method::query:
      return query(sim, p, node);
    case Method::close:
      return close(sim, p, node, now);
    case Method::refund:
      return refund(sim, p, node, now);
    case Method::wap_pay:
    case Method::page_pay:
      return browser_pay(sim, *method, p, now);
    case Method::app_pay:
      break;
  }
  return error_envelope(sim, node, alipay::invalid_parameter("isv.invalid-method", "unsupported"));
}

}  // namespace payhost::sandbox_alipay
