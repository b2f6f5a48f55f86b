#include "fake_host.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "test_keys.hpp"

namespace payhost::sandbox_alipay::testing {

void FakeLogger::log(sdk::LogLevel, std::string_view message) noexcept {
  try {
    lines.emplace_back(message);
  } catch (...) {
  }
}

sdk::Result<sdk::OutboundResponse> FakeHttp::send(const sdk::OutboundRequest& request) noexcept {
  sent.push_back(request);
  if (answers.empty()) return fallback;
  auto answer = answers.front();
  answers.pop_front();
  return answer;
}

void FakeHttp::fail_next(sdk::Error error) {
  answers.emplace_back(std::move(error));
}

sdk::Result<sdk::Charge> FakeCharges::create(const sdk::NewCharge&) noexcept {
  return sdk::make_error(sdk::ErrorKind::internal, "unsupported", "fake");
}

sdk::Result<sdk::Charge> FakeCharges::get(const std::string& charge_id) noexcept {
  auto it = charges.find(charge_id);
  if (it == charges.end())
    return sdk::make_error(sdk::ErrorKind::not_found, "no_charge", charge_id);
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

std::vector<std::string> FakeCharges::enabled_channels() const {
  return {"alipay", "alipay_wap", "alipay_pc_direct", "alipay_qr"};
}

SqliteDatabase::SqliteDatabase()
    : session_(std::make_unique<soci::session>(*soci::factory_sqlite3(), ":memory:")) {}

SqliteDatabase::~SqliteDatabase() = default;

void SqliteDatabase::run(const std::string& statement) {
  std::lock_guard lock(mutex_);
  *session_ << statement;
}

sdk::Status SqliteDatabase::transact(
    const std::function<sdk::Status(soci::session&)>& work) noexcept {
  std::lock_guard lock(mutex_);
  for (int attempt = 0; attempt < 5; ++attempt) {
    try {
      session_->begin();
      sdk::Status status = work(*session_);
      if (status.ok()) {
        session_->commit();
        return status;
      }
      session_->rollback();
      if (status.error().kind != sdk::ErrorKind::retry) return status;
    } catch (...) {
      try {
        session_->rollback();
      } catch (...) {
      }
      return sdk::database_error_from_current_exception();
    }
  }
  return sdk::make_error(sdk::ErrorKind::retry, "retries_exhausted", "too much contention");
}

sdk::Status SqliteDatabase::with_session(
    const std::function<sdk::Status(soci::session&)>& work) noexcept {
  std::lock_guard lock(mutex_);
  try {
    return work(*session_);
  } catch (...) {
    return sdk::database_error_from_current_exception();
  }
}

void FakeHost::schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  scheduled_.push_back(Scheduled{delay, std::move(task)});
}

bool FakeHost::run_next_scheduled() {
  if (scheduled_.empty()) return false;
  auto next = std::move(scheduled_.front());
  scheduled_.pop_front();
  next.task();
  return true;
}

sdk::Result<sdk::KeyPairPem> FakeHost::sandbox_keypair(std::string_view name) noexcept {
  int slot = -1;
  if (name == "alipay-merchant") slot = 0;
  if (name == "alipay-platform") slot = 1;
  if (slot < 0) return sdk::make_error(sdk::ErrorKind::not_found, "no_key", std::string(name));
  const auto& pair = test_keypair(slot);
  return sdk::KeyPairPem{pair.private_pem, pair.public_pem};
}

}  // namespace payhost::sandbox_alipay::testing
