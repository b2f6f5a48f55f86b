// Why the cashier does not show or act on a charge, and the HTTP status that says it.
#pragma once

#include <string>

#include "payhost/sdk/result.hpp"

namespace payhost::cashier {

struct Refusal {
  int status = 400;
  std::string code;    // stable machine code: JSON answers' "error"
  std::string title;   // the page's heading
  std::string detail;  // plain text for the buyer (escaped on pages)
};

// The status for a simulator's error: what the kind means over HTTP (a refused credential
// 400, a state that does not allow the action 409, storage trouble 503).
int status_for(const sdk::Error& error);

// A simulator's error as the cashier answers it, keeping the simulator's code and message.
Refusal simulator_refusal(const sdk::Error& error);

}  // namespace payhost::cashier
