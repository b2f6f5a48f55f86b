// POST /v1/charges, GET /v1/charges, GET /v1/charges/{id}, POST /v1/charges/{id}/reverse.
#include <optional>

#include "api/api_errors.hpp"
#include "api/api_routes.hpp"
#include "api/charge_list.hpp"
#include "api/charge_request.hpp"
#include "api/request_body.hpp"
#include "charges/charge_history.hpp"
#include "observability/logging.hpp"
#include "refunds/refund_store.hpp"

namespace payhost::host::api {

using sdk::Charge;
using sdk::ChargeState;
using sdk::HttpRequest;
using sdk::HttpResponse;

namespace {

// Refunds shown inside a charge, as Ping++ embeds them.
constexpr int kEmbeddedRefunds = 10;

// A charge's text with its first refunds (newest first), read on `sql`, the session the
// charge was read on: a listed page then costs one pooled session, not one per charge.
// Unpaid charges have none.
std::string charge_text(soci::session& sql, sdk::Dialect dialect, const Charge& charge) {
  if (charge.state != ChargeState::succeeded) return sdk::to_pingpp_json_text(charge);
  const refunds::RefundPage page =
      refunds::RefundStore(dialect).page(sql, charge.id, kEmbeddedRefunds, "", "");
  std::string data = "[";
  for (const auto& refund : page.data) {
    if (data.size() > 1) data += ",";
    data += refunds::to_pingpp_json_text(refund);
  }
  data += "]";
  return sdk::to_pingpp_json_text(charge, data, page.has_more);
}

HttpResponse charge_response(ApiServices& s, const Charge& charge) {
  std::string text;
  sdk::Status st = s.ctx.db.with_session([&](soci::session& sql) -> sdk::Status {
    text = charge_text(sql, s.ctx.db.dialect(), charge);
    return {};
  });
  if (!st) return error_response(st.error());
  return HttpResponse::json_text(200, std::move(text));
}

sdk::Error invalid(std::string code, std::string message, std::string param = {}) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, std::move(code), std::move(message),
                         std::move(param));
}

}  // namespace

HttpResponse not_found(const std::string& object, const std::string& id) {
  return error_response(404, "未找到 " + object + " : " + id + "。", object + "_not_found", "id");
}

sdk::Status no_query(const HttpRequest& r) {
  auto params = parse_request_query(r);
  if (!params) return params.error();
  if (params->empty()) return {};
  const std::string key = params->begin().key();
  return invalid("parameter_unknown", "未知参数: " + key, key);
}

sdk::Result<Charge> caller_charge(ApiServices& s, const Caller& caller, const std::string& id) {
  const sdk::Error missing = sdk::make_error(sdk::ErrorKind::not_found, "charge_not_found",
                                             "未找到 charge : " + id + "。", "id");
  if (id.size() != 27 || !id.starts_with("ch_")) return missing;
  auto charge = s.charges.get(id);
  if (!charge) return charge.error().kind == sdk::ErrorKind::not_found ? missing : charge.error();
  if (charge->app != caller.key.app || charge->livemode != caller.key.livemode) return missing;
  return charge;
}

sdk::Status only_api_charge(const Charge& charge) {
  if (charge.product.empty()) return {};
  return invalid("charge_of_product",
                 "charge " + charge.id + " belongs to the product " + charge.product +
                     ": change it through that product (or `payhostd refund`), not /v1",
                 "id");
}

HttpResponse create_charge(ApiServices& s, const Caller& caller, const HttpRequest& r) {
  if (auto st = no_query(r); !st) return error_response(st.error());
  auto params = parse_request_body(r);
  if (!params) return error_response(params.error());
  auto request = parse_charge_request(*params, caller.key.app, s.ctx.clock.now());
  if (!request) return error_response(request.error());
  auto created = s.charges.create_for_app(request->charge, request->fields);
  if (!created) return error_response(created.error(), Effect::write);
  return HttpResponse::json_text(200, sdk::to_pingpp_json_text(*created));
}

HttpResponse list_charges(ApiServices& s, const Caller& caller, const HttpRequest& r) {
  auto params = parse_request_query(r);
  if (!params) return error_response(params.error());
  auto query = parse_charge_list_query(*params, caller.key.app);
  if (!query) return error_response(query.error());
  std::optional<ChargeIdPage> page;
  std::vector<std::string> texts;
  sdk::Status st = s.ctx.db.with_session([&](soci::session& sql) -> sdk::Status {
    auto ids = list_charge_ids(sql, caller.key.app, caller.key.livemode, *query, s.ctx.clock.now());
    if (!ids) return ids.error();
    page = std::move(*ids);
    texts.clear();
    for (const auto& id : page->ids) {
      // A charge listed a moment ago is still there: rows are never deleted.
      if (auto stored = s.ctx.store.by_id(sql, id)) {
        texts.push_back(charge_text(sql, s.ctx.db.dialect(), stored->charge));
      }
    }
    return {};
  });
  if (!st) return error_response(st.error());
  std::string out = "{\"object\":\"list\",\"url\":\"/v1/charges\",\"has_more\":";
  out += page->has_more ? "true" : "false";
  out += ",\"data\":[";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out += ",";
    out += texts[i];
  }
  out += "]}";
  return HttpResponse::json_text(200, std::move(out));
}

HttpResponse retrieve_charge(ApiServices& s, const Caller& caller, const HttpRequest& r) {
  if (auto st = no_query(r); !st) return error_response(st.error());
  auto charge = caller_charge(s, caller, r.path_param("id"));
  if (!charge) return error_response(charge.error());
  return charge_response(s, *charge);
}

// Reverse (撤销): an unpaid charge is closed at the provider where the channel can close,
// then locally, marked reversed. A charge the provider reports paid while closing is
// settled paid and the reverse refused; a paid charge is refused. A charge already
// closed or failed is answered as it is: nothing could pay it, and `reversed` stays what
// it was (true only when the merchant cancelled it).
HttpResponse reverse_charge(ApiServices& s, const Caller& caller, const HttpRequest& r) {
  if (auto st = no_query(r); !st) return error_response(st.error());
  auto params = parse_request_body(r);
  if (!params) return error_response(params.error());
  if (!params->empty()) {
    const std::string key = params->begin().key();
    return error_response(invalid("parameter_unknown", "未知参数: " + key, key));
  }
  auto charge = caller_charge(s, caller, r.path_param("id"));
  if (!charge) return error_response(charge.error());
  if (auto st = only_api_charge(*charge); !st) return error_response(st.error());
  const auto paid_refusal = [&](const Charge& c) {
    return error_response(
        invalid("charge_paid",
                "订单 " + c.order_no + " 已支付，无法撤销。Charge id: " + c.id + "。", "id"));
  };
  if (charge->state == ChargeState::succeeded) return paid_refusal(*charge);
  if (charge->state != ChargeState::pending) return charge_response(s, *charge);

  sdk::TradeStatus closed;
  closed.outcome = sdk::Outcome::closed;
  closed.order_no = charge->order_no;
  closed.failure_code = "reversed";
  closed.failure_msg = "reversed by the merchant";
  const EnabledChannel* channel = s.ctx.plugins.channel(charge->channel);
  if (channel && channel->plugin->channel->capabilities().close) {
    auto answer = channel->plugin->channel->close(trade_ref(*charge));
    record_history_now(s.ctx.db, channel_answer_entry(charge->id, history_now_ms(s.ctx.clock),
                                                      history::kClose, answer));
    if (!answer) {
      host_log().info("reverse " + charge->id + ": close refused: " + answer.error().message);
      sdk::Error e = answer.error();
      if (e.kind != sdk::ErrorKind::unavailable && e.kind != sdk::ErrorKind::internal) {
        e.kind = sdk::ErrorKind::channel;
      }
      return error_response(e, Effect::write);
    }
    if (answer->outcome == sdk::Outcome::succeeded) {
      // Paid meanwhile: settle it as any retrieve would, and refuse the reverse.
      auto applied = s.settlement.apply(ChargeKey::by_id(charge->id), *answer, "reverse");
      if (!applied) return error_response(applied.error(), Effect::write);
      return paid_refusal(*charge);
    }
    if (answer->outcome != sdk::Outcome::closed && answer->outcome != sdk::Outcome::failed) {
      return error_response(
          sdk::make_error(sdk::ErrorKind::unavailable, "channel_unavailable",
                          "the provider did not confirm the close; retry the reverse"),
          Effect::write);
    }
  }
  auto applied = s.settlement.apply(ChargeKey::by_id(charge->id), closed, "reverse", {}, true);
  if (!applied) return error_response(applied.error(), Effect::write);
  auto now = caller_charge(s, caller, charge->id);
  if (!now) return error_response(now.error());
  if (now->state == ChargeState::succeeded) return paid_refusal(*now);
  return charge_response(s, *now);
}

}  // namespace payhost::host::api
