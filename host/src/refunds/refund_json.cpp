// Ping++'s refund object as text, fields in the order its API emits them.
#include "payhost/sdk/json.hpp"
#include "refunds/refund_service.hpp"

namespace payhost::host::refunds {

namespace {

void append_optional_string(std::string& out, const std::optional<std::string>& value) {
  if (value) {
    sdk::append_json_string(out, *value);
  } else {
    out += "null";
  }
}

}  // namespace

const char* to_string(RefundStatus status) noexcept {
  switch (status) {
    case RefundStatus::succeeded:
      return "succeeded";
    case RefundStatus::failed:
      return "failed";
    case RefundStatus::pending:
      break;
  }
  return "pending";
}

std::string to_pingpp_json_text(const Refund& r) {
  std::string out = R"({"id":)";
  sdk::append_json_string(out, r.id);
  out += R"(,"object":"refund","order_no":)";
  sdk::append_json_string(out, r.order_no);
  out += R"(,"amount":)" + std::to_string(r.amount);
  out += R"(,"created":)" + std::to_string(r.created);
  out += r.status == RefundStatus::succeeded ? R"(,"succeed":true)" : R"(,"succeed":false)";
  out += R"(,"status":)";
  sdk::append_json_string(out, to_string(r.status));
  out += R"(,"time_succeed":)";
  out += r.time_succeed ? std::to_string(*r.time_succeed) : "null";
  out += R"(,"description":)";
  sdk::append_json_string(out, r.description);
  out += R"(,"failure_code":)";
  append_optional_string(out, r.failure_code);
  out += R"(,"failure_msg":)";
  append_optional_string(out, r.failure_msg);
  out += R"(,"metadata":)";
  sdk::append_json(out, r.metadata.is_object() ? r.metadata : sdk::Json::object());
  out += R"(,"charge":)";
  sdk::append_json_string(out, r.charge_id);
  out += R"(,"charge_order_no":)";
  sdk::append_json_string(out, r.charge_order_no);
  out += R"(,"transaction_no":)";
  append_optional_string(out, r.transaction_no);
  if (r.funding_source) {
    out += R"(,"funding_source":)";
    sdk::append_json_string(out, *r.funding_source);
  }
  out += R"(,"extra":)";
  sdk::append_json(out, r.extra.is_object() ? r.extra : sdk::Json::object());
  out += "}";
  return out;
}

}  // namespace payhost::host::refunds
