#include "console/charge_summary.hpp"

#include "text/token_text.hpp"

namespace payhost::host::console {

using sdk::Json;

bool is_charge_id(std::string_view id) noexcept {
  return is_token(id, 64, "_-");
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

}  // namespace payhost::host::console
