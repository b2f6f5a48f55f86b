// POST/GET /v1/charges/{id}/refunds, GET /v1/charges/{id}/refunds/{re_id}, GET /v1/events/{id}.
#include <array>
#include <string_view>

#include "api/api_errors.hpp"
#include "api/api_routes.hpp"
#include "api/charge_list.hpp"
#include "api/charge_request.hpp"
#include "api/request_body.hpp"

namespace payhost::host::api {

using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Json;

namespace {

constexpr std::array<std::string_view, 4> kRefundFields = {"amount", "description", "metadata",
                                                           "funding_source"};
constexpr std::array<std::string_view, 3> kRefundListParams = {"limit", "starting_after",
                                                               "ending_before"};

sdk::Error invalid(std::string code, std::string message, std::string param = {}) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, std::move(code), std::move(message),
                         std::move(param));
}

template <std::size_t N>
sdk::Status only_known(const Json& params, const std::array<std::string_view, N>& known) {
  for (const auto& item : params.items()) {
    bool ok = false;
    for (auto name : known)
      ok = ok || item.key() == name;
    if (!ok) return invalid("parameter_unknown", "未知参数: " + item.key(), item.key());
  }
  return {};
}

sdk::Result<std::string> optional_string(const Json& params, const std::string& name) {
  auto it = params.find(name);
  if (it == params.end()) return std::string();
  if (!it->is_string()) return invalid("parameter_invalid", name + " must be a string", name);
  return it->get<std::string>();
}

bool is_id(const std::string& id, std::string_view prefix, std::size_t length) {
  if (id.size() != length || !id.starts_with(prefix)) return false;
  return id.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") ==
         std::string::npos;
}

}  // namespace

HttpResponse create_refund(ApiServices& s, const Caller& caller, const HttpRequest& r) {
  if (auto st = no_query(r); !st) return error_response(st.error());
  auto params = parse_request_body(r);
  if (!params) return error_response(params.error());
  if (auto st = only_known(*params, kRefundFields); !st) return error_response(st.error());
  auto charge = caller_charge(s, caller, r.path_param("id"));
  if (!charge) return error_response(charge.error());
  if (auto st = only_api_charge(*charge); !st) return error_response(st.error());

  refunds::NewRefund request;
  request.charge_id = charge->id;
  request.app = caller.key.app;
  request.livemode = caller.key.livemode;
  request.requested_by = "api:" + caller.key.id;
  if (auto it = params->find("amount"); it != params->end()) {
    auto fen = parse_fen(*it, "amount");
    if (!fen) return error_response(fen.error());
    request.amount = *fen;
  }
  if (!params->contains("description")) {
    return error_response(invalid("parameter_missing", "缺少参数: description", "description"));
  }
  auto description = optional_string(*params, "description");
  if (!description) return error_response(description.error());
  if (description->empty() || !is_clean_text(*description)) {
    return error_response(invalid("description_invalid",
                                  "description must be 1 to 255 characters of UTF-8 text without "
                                  "control characters",
                                  "description"));
  }
  request.description = *description;
  if (auto it = params->find("metadata"); it != params->end()) {
    if (auto st = check_metadata(*it); !st) return error_response(st.error());
    request.metadata = *it;
  }
  if (params->contains("funding_source")) {
    auto source = optional_string(*params, "funding_source");
    if (!source) return error_response(source.error());
    request.funding_source = *source;
  }
  auto refund = s.refunds.create(request);
  if (!refund) return error_response(refund.error(), Effect::write);
  return HttpResponse::json_text(200, refunds::to_pingpp_json_text(*refund));
}

HttpResponse list_refunds(ApiServices& s, const Caller& caller, const HttpRequest& r) {
  auto params = parse_request_query(r);
  if (!params) return error_response(params.error());
  if (auto st = only_known(*params, kRefundListParams); !st) return error_response(st.error());
  int limit = kDefaultListLimit;
  if (auto it = params->find("limit"); it != params->end()) {
    const std::string text = it->is_string() ? it->get<std::string>() : "";
    const bool digits = !text.empty() && text.size() <= 3 &&
                        text.find_first_not_of("0123456789") == std::string::npos;
    limit = digits ? std::stoi(text) : 0;
    if (limit < 1 || limit > kMaxListLimit) {
      return error_response(
          invalid("parameter_invalid",
                  "limit must be an integer from 1 to " + std::to_string(kMaxListLimit), "limit"));
    }
  }
  std::string cursors[2];
  const char* names[2] = {"starting_after", "ending_before"};
  for (int i = 0; i < 2; ++i) {
    auto it = params->find(names[i]);
    if (it == params->end()) continue;
    if (!it->is_string() || !is_id(it->get<std::string>(), "re_", 27)) {
      return error_response(
          invalid("cursor_invalid", std::string(names[i]) + " must be a refund id", names[i]));
    }
    cursors[i] = it->get<std::string>();
  }
  if (!cursors[0].empty() && !cursors[1].empty()) {
    return error_response(invalid(
        "parameter_invalid", "give starting_after or ending_before, not both", "ending_before"));
  }
  auto charge = caller_charge(s, caller, r.path_param("id"));
  if (!charge) return error_response(charge.error());
  auto page = s.refunds.list(charge->id, limit, cursors[0], cursors[1]);
  if (!page) return error_response(page.error());
  std::string out = "{\"object\":\"list\",\"url\":";
  sdk::append_json_string(out, "/v1/charges/" + charge->id + "/refunds");
  out += ",\"has_more\":";
  out += page->has_more ? "true" : "false";
  out += ",\"data\":[";
  for (std::size_t i = 0; i < page->data.size(); ++i) {
    if (i > 0) out += ",";
    out += refunds::to_pingpp_json_text(page->data[i]);
  }
  out += "]}";
  return HttpResponse::json_text(200, std::move(out));
}

HttpResponse retrieve_refund(ApiServices& s, const Caller& caller, const HttpRequest& r) {
  if (auto st = no_query(r); !st) return error_response(st.error());
  auto charge = caller_charge(s, caller, r.path_param("id"));
  if (!charge) return error_response(charge.error());
  const std::string refund_id = r.path_param("re_id");
  if (!is_id(refund_id, "re_", 27)) return not_found("refund", refund_id);
  auto refund = s.refunds.get(charge->id, refund_id);
  if (!refund) return error_response(refund.error());
  return HttpResponse::json_text(200, refunds::to_pingpp_json_text(*refund));
}

HttpResponse retrieve_event(ApiServices& s, const Caller& caller, const HttpRequest& r) {
  if (auto st = no_query(r); !st) return error_response(st.error());
  const std::string id = r.path_param("id");
  if (!id.starts_with("evt_") || id.size() > 64 || !is_id(id, "evt_", id.size())) {
    return not_found("event", id.substr(0, 64));
  }
  std::string payload;
  bool found = false;
  const int mode = caller.key.livemode ? 1 : 0;
  sdk::Status st = s.ctx.db.with_session([&](soci::session& sql) -> sdk::Status {
    soci::indicator ind = soci::i_null;
    sql << "SELECT payload FROM events WHERE id = :id AND app = :app AND livemode = :m",
        soci::use(id), soci::use(caller.key.app), soci::use(mode), soci::into(payload, ind);
    found = sql.got_data() && ind == soci::i_ok;
    return {};
  });
  if (!st) return error_response(st.error());
  if (!found) return not_found("event", id);
  return HttpResponse::json_text(200, std::move(payload));
}

}  // namespace payhost::host::api
