#include "fake_host.hpp"

namespace payhost::cashier::testing {

void FakeLogger::log(sdk::LogLevel, std::string_view message) noexcept {
  try {
    lines.emplace_back(message);
  } catch (...) {
  }
}

sdk::Result<sdk::OutboundResponse> NoHttp::send(const sdk::OutboundRequest&) noexcept {
  return sdk::make_error(sdk::ErrorKind::unavailable, "no_network", "the cashier sends nothing");
}

sdk::Status NoDatabase::transact(const std::function<sdk::Status(soci::session&)>&) noexcept {
  return sdk::make_error(sdk::ErrorKind::internal, "no_database", "the cashier owns no tables");
}

sdk::Status NoDatabase::with_session(const std::function<sdk::Status(soci::session&)>&) noexcept {
  return sdk::make_error(sdk::ErrorKind::internal, "no_database", "the cashier owns no tables");
}

sdk::Result<sdk::Charge> FakeCharges::create(const sdk::NewCharge&) noexcept {
  return sdk::make_error(sdk::ErrorKind::internal, "unsupported", "fake");
}

sdk::Result<sdk::Charge> FakeCharges::get(const std::string& charge_id) noexcept {
  ++lookups;
  if (failure) return *failure;
  auto it = charges.find(charge_id);
  if (it == charges.end()) {
    return sdk::make_error(sdk::ErrorKind::not_found, "no_charge", charge_id);
  }
  return it->second;
}

sdk::Result<sdk::Charge> FakeCharges::get_by_order_no(const std::string& order_no) noexcept {
  for (const auto& [id, charge] : charges) {
    if (charge.order_no == order_no) return charge;
  }
  return sdk::make_error(sdk::ErrorKind::not_found, "no_charge", order_no);
}

sdk::Result<sdk::Charge> FakeCharges::retrieve(const std::string& charge_id) noexcept {
  return get(charge_id);
}

sdk::Result<sdk::CashierView> FakeSimulator::inspect(const sdk::Charge& charge) noexcept {
  inspected.push_back(charge.id);
  return view;
}

sdk::Result<sdk::CashierResult> FakeSimulator::act(const sdk::Charge& charge,
                                                   sdk::CashierAction action) noexcept {
  acted.emplace_back(charge.id, action);
  return result;
}

sdk::Result<sdk::KeyPairPem> FakeHost::sandbox_keypair(std::string_view name) noexcept {
  return sdk::make_error(sdk::ErrorKind::not_found, "no_key", std::string(name));
}

sdk::Simulator* FakeHost::simulator_for(std::string_view channel) noexcept {
  if (livemode_) return nullptr;
  for (sdk::Simulator* simulator : simulators_) {
    for (const auto& served : simulator->channels()) {
      if (served == channel) return simulator;
    }
  }
  return nullptr;
}

}  // namespace payhost::cashier::testing
