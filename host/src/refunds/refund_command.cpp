// `payhostd refund CHARGE_ID [--amount FEN] --reason TEXT`: an operator's refund, through
// the same RefundService as the API (one provider call; an unknown outcome stays pending
// for the janitor of a serving host).
#include <iostream>

#include "app/app.hpp"
#include "app/commands.hpp"
#include "observability/logging.hpp"

namespace payhost::host {

namespace {

int config_error(const std::string& message) {
  std::cerr << "payhostd: " << message << "\n";
  return 2;
}

}  // namespace

int run_refund_command(const RefundCommand& command) {
  auto config = load_config(command.config_path);
  if (!config) return config_error(config.error().message);
  init_logging("warn");
  App app(std::move(*config));
  if (auto st = app.load_plugins(); !st) return config_error(st.error().message);
  if (auto st = app.open_database(); !st) return config_error(st.error().message);
  if (auto st = app.start_plugins(); !st) {
    app.shutdown();
    return config_error(st.error().message);
  }

  refunds::NewRefund request;
  request.charge_id = command.charge_id;
  request.amount = command.amount;
  request.description = command.reason;
  request.requested_by = "cli";
  auto refund = app.refunds().create(request);
  int code = 0;
  if (!refund) {
    const sdk::Error& e = refund.error();
    std::cerr << "payhostd: refund refused: " << e.message << " (" << e.code
              << (e.param.empty() ? "" : ", param " + e.param) << ")\n";
    code = 1;
  } else {
    std::cout << refunds::to_pingpp_json_text(*refund) << "\n";
    if (refund->status == refunds::RefundStatus::failed) {
      std::cerr << "payhostd: refund " << refund->id
                << " failed: " << refund->failure_msg.value_or("") << " ("
                << refund->failure_code.value_or("") << ")\n";
      code = 1;
    } else if (refund->status == refunds::RefundStatus::pending) {
      std::cerr << "payhostd: refund " << refund->id
                << " is pending: the provider's answer is not known yet; a serving host's "
                   "janitor will ask it\n";
    }
  }
  app.shutdown();
  return code;
}

}  // namespace payhost::host
