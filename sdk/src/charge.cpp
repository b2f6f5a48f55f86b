#include "payhost/sdk/charge.hpp"

namespace payhost::sdk {
namespace {

template <class T>
Json or_null(const std::optional<T>& v) {
  return v ? Json(*v) : Json(nullptr);
}

}  // namespace

const char* to_string(ChargeState state) noexcept {
  switch (state) {
    case ChargeState::pending:
      return "pending";
    case ChargeState::succeeded:
      return "succeeded";
    case ChargeState::failed:
      return "failed";
    case ChargeState::closed:
      return "closed";
  }
  return "pending";
}

std::optional<ChargeState> charge_state_from_string(std::string_view text) noexcept {
  if (text == "pending") return ChargeState::pending;
  if (text == "succeeded") return ChargeState::succeeded;
  if (text == "failed") return ChargeState::failed;
  if (text == "closed") return ChargeState::closed;
  return std::nullopt;
}

Json to_pingpp_json(const Charge& c) {
  Json credential = Json::object();
  if (c.state == ChargeState::pending && !c.credential.is_null()) {
    credential["object"] = "credential";
    credential[c.channel] = c.credential;
  }
  Json refunds = {{"object", "list"},
                  {"url", "/v1/charges/" + c.id + "/refunds"},
                  {"has_more", false},
                  {"data", Json::array()}};
  return Json{{"id", c.id},
              {"object", "charge"},
              {"created", c.created},
              {"livemode", c.livemode},
              {"paid", c.paid()},
              {"refunded", c.amount_refunded > 0 && c.amount_refunded >= c.amount},
              {"reversed", c.state == ChargeState::closed},
              {"app", c.app},
              {"channel", c.channel},
              {"order_no", c.order_no},
              {"client_ip", c.client_ip},
              {"amount", c.amount},
              {"amount_settle", c.amount},
              {"currency", c.currency},
              {"subject", c.subject},
              {"body", c.body},
              {"extra", c.extra.is_object() ? c.extra : Json::object()},
              {"time_paid", or_null(c.time_paid)},
              {"time_expire", c.time_expire},
              {"time_settle", nullptr},
              {"transaction_no", or_null(c.transaction_no)},
              {"refunds", refunds},
              {"amount_refunded", c.amount_refunded},
              {"failure_code", or_null(c.failure_code)},
              {"failure_msg", or_null(c.failure_msg)},
              {"metadata", c.metadata.is_object() ? c.metadata : Json::object()},
              {"credential", credential},
              {"description", c.description.empty() ? Json(nullptr) : Json(c.description)}};
}

}  // namespace payhost::sdk
