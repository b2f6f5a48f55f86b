// How the simulated Alipay recognises a charge before acting on it: the credential the
// channel produced is checked exactly as Alipay's app or cashier would check it, against
// the charge's order number and amount. Shared by the cashier simulator and the tampering
// hook.
#pragma once

#include <optional>
#include <string>

#include "alipay_sim.hpp"
#include "alipay_wire.hpp"
#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sandbox_alipay {

bool is_alipay_channel(const std::string& channel);

struct CheckedCharge {
  sdk::Charge charge;
  std::optional<alipay::PayOrder> signed_order;  // from the credential, when it has one
  std::optional<Trade> trade;                    // the simulator's trade, if recorded
};

// A refused credential is an invalid_request error whose message says what is wrong; a
// storage failure is `unavailable` with a generic message (the driver's text goes to the
// log, never to a page).
sdk::Result<CheckedCharge> check_charge(AlipaySim& sim, const sdk::Charge& charge);

// The trade to act on: the recorded one, or (app/wap/page reached without the gateway) one
// recorded now from the verified credential.
sdk::Result<Trade> ensure_trade(AlipaySim& sim, const CheckedCharge& checked);

// What a notification (or a browser return) says about trade `t`, as of now.
alipay::NotifyTrade notify_trade(AlipaySim& sim, const Trade& t);

// The masked account Alipay shows merchants for the simulated buyer.
std::string buyer_logon_id();

// Logs a storage failure in full and returns an error that names none of it.
sdk::Error storage_error(AlipaySim& sim, const char* what, const sdk::Error& error);

}  // namespace payhost::sandbox_alipay
