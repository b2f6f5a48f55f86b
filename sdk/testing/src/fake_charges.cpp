#include "payhost/sdk/testing/fake_charges.hpp"

#include <algorithm>
#include <cstdio>

#include "payhost/sdk/charge_errors.hpp"

namespace payhost::sdk::testing {
namespace {

Error refused(std::string_view code, std::string message, std::string param) {
  return make_error(ErrorKind::invalid_request, std::string(code), std::move(message),
                    std::move(param));
}

Error no_charge(const std::string& key) {
  return make_error(ErrorKind::not_found, "no_charge", "no charge " + key);
}

}  // namespace

FakeChargeService::FakeChargeService(Database& db, const ManualClock& clock, std::string app_id)
    : db_(db), clock_(clock), app_id_(std::move(app_id)) {}

void FakeChargeService::set_product(ProductPlugin* product, std::string name) {
  std::lock_guard lock(mutex_);
  product_ = product;
  product_name_ = std::move(name);
}

void FakeChargeService::enable(std::vector<std::string> channels) {
  std::lock_guard lock(mutex_);
  enabled_ = std::move(channels);
}

void FakeChargeService::require_extra(const std::string& channel, std::vector<std::string> keys) {
  std::lock_guard lock(mutex_);
  required_extra_[channel] = std::move(keys);
}

void FakeChargeService::fail_next_create() {
  std::lock_guard lock(mutex_);
  fail_next_ = true;
}

void FakeChargeService::fail_lookups(std::optional<Error> error) {
  std::lock_guard lock(mutex_);
  lookup_failure_ = std::move(error);
}

void FakeChargeService::mark_paid_at_provider(const std::string& charge_id) {
  std::lock_guard lock(mutex_);
  paid_at_provider_.insert(charge_id);
}

std::vector<std::string> FakeChargeService::enabled_channels() const {
  std::lock_guard lock(mutex_);
  return enabled_;
}

Result<Charge> FakeChargeService::create(const NewCharge& r) noexcept {
  try {
    std::lock_guard lock(mutex_);
    requests_.push_back(r);
    if (std::find(enabled_.begin(), enabled_.end(), r.channel) == enabled_.end()) {
      return refused(charge_errors::channel_not_enabled, "channel is not enabled", "channel");
    }
    if (r.amount < 1) return refused(charge_errors::amount_invalid, "amount must be ≥ 1", "amount");
    if (auto it = required_extra_.find(r.channel); it != required_extra_.end()) {
      for (const auto& key : it->second) {
        if (!r.extra.is_object() || !r.extra.contains(key)) {
          return refused(charge_errors::extra_missing, "extra." + key + " is required",
                         "extra." + key);
        }
      }
    }
    Charge c;
    char id[32];
    std::snprintf(id, sizeof id, "ch_%024d", next_++);
    c.id = id;
    c.app = app_id_;
    c.channel = r.channel;
    c.order_no = "order" + c.id.substr(3);
    c.client_ip = r.client_ip;
    c.amount = r.amount;
    c.subject = r.subject;
    c.body = r.body;
    c.extra = r.extra;
    c.metadata = r.metadata;
    c.description = r.description;
    c.credential = Json{{"pay_url", "http://pay.invalid/" + c.id}};
    c.created = clock_.now();
    c.time_expire = c.created + 86400;
    c.product = product_name_;
    c.product_ref = r.product_ref;
    c.user_id = r.user_id;
    const bool failing = fail_next_;
    fail_next_ = false;
    // As the core does: a charge the provider did not confirm is stored too (expired), and
    // the product's writes commit with it.
    if (failing) c.time_expire = c.created;
    if (r.product_row || r.in_transaction) {
      auto status = sdk::transact(db_, [&](soci::session& sql) -> Status {
        if (r.product_row) {
          auto row = r.product_row(sql, c);
          if (!row) return row.error();
          c.product_ref = *row;
        }
        if (r.in_transaction) return r.in_transaction(sql, c);
        return {};
      });
      if (!status) return status.error();
    }
    charges_[c.id] = c;
    if (failing) return make_error(ErrorKind::unavailable, "timeout", "provider timed out");
    return c;
  } catch (...) {
    return make_error(ErrorKind::internal, "fake_charges", "create threw");
  }
}

Result<Charge> FakeChargeService::get(const std::string& charge_id) noexcept {
  std::lock_guard lock(mutex_);
  ++lookups_;
  if (lookup_failure_) return *lookup_failure_;
  auto it = charges_.find(charge_id);
  if (it == charges_.end()) return no_charge(charge_id);
  return it->second;
}

Result<Charge> FakeChargeService::get_by_order_no(const std::string& order_no) noexcept {
  std::lock_guard lock(mutex_);
  ++lookups_;
  if (lookup_failure_) return *lookup_failure_;
  for (const auto& [id, c] : charges_) {
    if (c.order_no == order_no) return c;
  }
  return no_charge(order_no);
}

Result<Charge> FakeChargeService::retrieve(const std::string& charge_id) noexcept {
  std::lock_guard lock(mutex_);
  ++retrieve_calls_;
  if (paid_at_provider_.count(charge_id) != 0) {
    if (auto status = settle(charge_id); !status) return status.error();
  }
  return get(charge_id);
}

void FakeChargeService::store(Charge charge) {
  std::lock_guard lock(mutex_);
  std::string id = charge.id;
  charges_[std::move(id)] = std::move(charge);
}

Status FakeChargeService::settle(const std::string& charge_id) {
  return run_hook(charge_id, ChargeState::succeeded, false);
}

Status FakeChargeService::fail(const std::string& charge_id) {
  return run_hook(charge_id, ChargeState::failed, false);
}

Status FakeChargeService::settle_again_unconditionally(const std::string& charge_id) {
  return run_hook(charge_id, ChargeState::succeeded, true);
}

Status FakeChargeService::run_hook(const std::string& charge_id, ChargeState to,
                                   bool unconditionally) {
  std::lock_guard lock(mutex_);
  auto it = charges_.find(charge_id);
  if (it == charges_.end()) return no_charge(charge_id);
  if (!unconditionally && it->second.state == to) return {};
  if (!unconditionally && it->second.state == ChargeState::succeeded) {
    return make_error(ErrorKind::conflict, "already_paid", charge_id + " is already paid");
  }
  return db_.transact([&](soci::session& sql) -> Status {
    Charge after = it->second;
    const ChargeState previous = unconditionally ? ChargeState::pending : after.state;
    after.state = to;
    if (to == ChargeState::succeeded) after.time_paid = clock_.now();
    SettlementContext context{sql, after, previous};
    Status status;
    if (product_ != nullptr) {
      status = to == ChargeState::succeeded ? product_->on_charge_succeeded(context)
                                            : product_->on_charge_failed(context);
    }
    if (status) it->second = after;
    return status;
  });
}

const std::vector<NewCharge> FakeChargeService::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

const std::map<std::string, Charge> FakeChargeService::stored() const {
  std::lock_guard lock(mutex_);
  return charges_;
}

int FakeChargeService::lookups() const {
  std::lock_guard lock(mutex_);
  return lookups_;
}

int FakeChargeService::retrieve_calls() const {
  std::lock_guard lock(mutex_);
  return retrieve_calls_;
}

}  // namespace payhost::sdk::testing
