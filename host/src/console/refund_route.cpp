// POST /console/api/charges/{id}/refunds {"amount"?: FEN, "reason": "…"}: an operator's
// refund through the same RefundService as /v1 and `payhostd refund` (the reason is the
// refund's description; requested_by "console:<operator>"). Anything malformed is refused
// before the service is asked, so a refused request changes nothing.
#include "console/charge_summary.hpp"
#include "console/console_handlers.hpp"
#include "console/console_json.hpp"
#include "text/utf8_text.hpp"

namespace payhost::host::console {

using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Json;

namespace {

constexpr std::size_t kMaxBodyBytes = 16 * 1024;
constexpr std::size_t kMaxReasonCharacters = 255;

HttpResponse invalid(const std::string& code, const std::string& message) {
  return console_error(400, code, message);
}

// Whether `text` is 1..255 characters of UTF-8 without control characters.
bool is_reason(std::string_view text) {
  if (text.empty()) return false;
  std::size_t characters = 0;
  for (std::size_t i = 0; i < text.size(); ++characters) {
    char32_t cp = 0;
    const std::size_t n = decode_utf8(text, i, cp);
    if (n == 0 || is_control_character(cp)) return false;
    i += n;
  }
  return characters <= kMaxReasonCharacters;
}

// The refund service's refusals as the console answers them: a charge that does not allow
// the refund is a conflict, a malformed value invalid input.
int status_of(const sdk::Error& e) {
  switch (e.kind) {
    case sdk::ErrorKind::not_found:
      return 404;
    case sdk::ErrorKind::invalid_request:
      if (e.code == "charge_not_paid" || e.code == "charge_refunded" ||
          e.code == "refund_exceeds" || e.code == "partial_refund_unsupported" ||
          e.code == "channel_cannot_refund") {
        return 409;
      }
      return 400;
    case sdk::ErrorKind::unavailable:
      return 503;
    default:
      return 500;
  }
}

Json refund_json(const refunds::Refund& r) {
  return Json{{"id", r.id},
              {"amount", r.amount},
              {"status", refunds::to_string(r.status)},
              {"description", r.description},
              {"failure_code", r.failure_code ? Json(*r.failure_code) : Json()},
              {"failure_msg", r.failure_msg ? Json(*r.failure_msg) : Json()},
              {"created", r.created},
              {"time_succeed", r.time_succeed ? Json(*r.time_succeed) : Json()},
              {"requested_by", r.requested_by}};
}

}  // namespace

HttpResponse refund_charge(ConsoleServices& s, const ConsoleCaller& caller, const HttpRequest& r) {
  const std::string id = r.path_param("id");
  if (!is_charge_id(id)) return console_error(404, "not_found", "no such charge");
  caller.audit_target = id;
  if (r.body.size() > kMaxBodyBytes) {
    return invalid("body_too_large", "the body is larger than 16 KiB");
  }
  const Json body = sdk::parse_json(r.body);
  if (body.is_discarded() || !body.is_object()) {
    return invalid("invalid_body", "the body must be a JSON object");
  }
  for (const auto& item : body.items()) {
    if (item.key() != "amount" && item.key() != "reason") {
      return invalid("unknown_parameter", "unknown parameter: " + item.key().substr(0, 64));
    }
  }

  refunds::NewRefund request;
  request.charge_id = id;
  request.requested_by = "console:" + caller.operator_name;
  std::string amount_text = "all";
  if (auto it = body.find("amount"); it != body.end()) {
    // JSON integers only: 1.0, "100" or 1e2 are refused rather than guessed at.
    const bool fits = it->is_number_unsigned()
                          ? it->get<std::uint64_t>() <= 10'000'000'000ULL
                          : it->is_number_integer() && it->get<std::int64_t>() <= 10'000'000'000LL;
    if (!fits || it->get<std::int64_t>() <= 0) {
      return invalid("invalid_amount", "amount must be a positive whole number of fen");
    }
    request.amount = it->get<std::int64_t>();
    amount_text = std::to_string(*request.amount);
  }
  auto reason = body.find("reason");
  if (reason == body.end() || !reason->is_string() ||
      !is_reason(reason->get_ref<const std::string&>())) {
    return invalid("invalid_reason",
                   "reason must be 1 to 255 characters of text without control characters");
  }
  request.description = reason->get<std::string>();
  caller.audit_detail = amount_text + " fen: " + request.description;

  auto refund = s.refunds.create(request);
  if (!refund) {
    const sdk::Error& e = refund.error();
    const int status = status_of(e);
    if (status >= 500) {
      return console_error(status, status == 503 ? "unavailable" : "internal",
                           "the refund could not be recorded; nothing was refunded");
    }
    std::string message = e.message;
    if (e.param == "description") message = "reason: " + message;
    return console_error(status, e.code, message);
  }
  caller.audit_target = refund->id;
  caller.audit_detail = std::to_string(refund->amount) + " fen: " + request.description;
  return sdk::HttpResponse::json(201, refund_json(*refund));
}

}  // namespace payhost::host::console
