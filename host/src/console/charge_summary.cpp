#include "console/charge_summary.hpp"

namespace payhost::host::console {

using sdk::Json;

bool is_charge_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 64) return false;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Json charge_summary_json(const sdk::Charge& c) {
  return Json{{"id", c.id},
              {"order_no", c.order_no},
              {"app", c.app},
              {"channel", c.channel},
              {"product", c.product},
              {"user", c.user_id},
              {"amount", c.amount},
              {"amount_refunded", c.amount_refunded},
              {"currency", c.currency},
              {"subject", c.subject},
              {"state", sdk::to_string(c.state)},
              {"livemode", c.livemode},
              {"created", c.created},
              {"time_paid", c.time_paid ? Json(*c.time_paid) : Json()},
              {"transaction_no", c.transaction_no ? Json(*c.transaction_no) : Json()}};
}

sdk::HttpResponse console_json(int status, const Json& body) {
  sdk::HttpResponse response = sdk::HttpResponse::json(status, body);
  response.headers.set("Cache-Control", "no-store");
  return response;
}

}  // namespace payhost::host::console
