#include "json_answers.hpp"

#include "payhost/sdk/encoding.hpp"

namespace payhost::cashier {
namespace {

using sdk::Json;

// The first key says what happened: "paid" for a pay, "action" otherwise.
Json head(sdk::CashierAction action, bool succeeded) {
  if (action == sdk::CashierAction::pay) return Json{{"paid", succeeded}};
  return Json{{"action", sdk::to_string(action)}};
}

}  // namespace

sdk::HttpResponse result_json(sdk::CashierAction action, const sdk::CashierResult& result) {
  Json out = head(action, true);
  out["trade_no"] = result.trade_no;
  out["out_trade_no"] = result.out_trade_no;
  out["trade_status"] = result.trade_status;
  out["repeated"] = result.repeated;
  out["notified"] = result.notified;
  out["notify_status"] = result.notify_status;
  out["notify_answer"] = result.notify_answer;
  if (!result.notify_error.empty()) out["notify_error"] = result.notify_error;
  return sdk::HttpResponse::json(200, out);
}

sdk::HttpResponse refusal_json(sdk::CashierAction action, const Refusal& refusal) {
  Json out = head(action, false);
  out["error"] = refusal.code;
  out["detail"] = refusal.detail;
  return sdk::HttpResponse::json(refusal.status, out);
}

bool wants_json(const sdk::HttpRequest& request) {
  const auto accept = request.header("Accept");
  if (accept && accept->find("application/json") != std::string::npos) return true;
  const auto query = sdk::parse_form_map(request.raw_query);
  const auto format = query.find("format");
  return format != query.end() && format->second == "json";
}

}  // namespace payhost::cashier
