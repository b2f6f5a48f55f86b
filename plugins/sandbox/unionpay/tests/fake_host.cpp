#include "fake_host.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>

#include "test_keys.hpp"

namespace payhost::sandbox_unionpay::testing {

void FakeLogger::log(sdk::LogLevel, std::string_view message) noexcept {
  try {
    std::lock_guard lock(mutex);
    lines.emplace_back(message);
  } catch (...) {
  }
}

sdk::Result<sdk::OutboundResponse> FakeHttp::send(const sdk::OutboundRequest& request) noexcept {
  std::lock_guard lock(mutex);
  sent.push_back(request);
  if (answers.empty()) return fallback;
  auto answer = answers.front();
  answers.pop_front();
  return answer;
}

sdk::Result<sdk::Charge> FakeCharges::create(const sdk::NewCharge&) noexcept {
  return sdk::make_error(sdk::ErrorKind::internal, "unsupported", "fake");
}

sdk::Result<sdk::Charge> FakeCharges::get(const std::string& charge_id) noexcept {
  std::lock_guard lock(mutex);
  auto it = charges.find(charge_id);
  if (it == charges.end())
    return sdk::make_error(sdk::ErrorKind::not_found, "no_charge", charge_id);
  return it->second;
}

sdk::Result<sdk::Charge> FakeCharges::get_by_order_no(const std::string& order_no) noexcept {
  std::lock_guard lock(mutex);
  for (const auto& [id, charge] : charges) {
    if (charge.order_no == order_no) return charge;
  }
  return sdk::make_error(sdk::ErrorKind::not_found, "no_charge", order_no);
}

sdk::Result<sdk::Charge> FakeCharges::retrieve(const std::string& charge_id) noexcept {
  return get(charge_id);
}

std::vector<std::string> FakeCharges::enabled_channels() const {
  return {"applepay_upacp", "upacp", "upacp_wap", "upacp_pc"};
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

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sandbox-unionpay-test-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

FakeHost::FakeHost(std::string data_dir) {
  if (data_dir.empty()) {
    own_dir_ = std::make_unique<TempDir>();
    data_dir_ = own_dir_->path();
  } else {
    data_dir_ = std::move(data_dir);
  }
}

void FakeHost::schedule(std::chrono::milliseconds delay, std::function<void()> task) {
  std::lock_guard lock(schedule_mutex_);
  scheduled_.push_back(Scheduled{delay, std::move(task)});
}

bool FakeHost::run_next_scheduled() {
  Scheduled next;
  {
    std::lock_guard lock(schedule_mutex_);
    if (scheduled_.empty()) return false;
    next = std::move(scheduled_.front());
    scheduled_.pop_front();
  }
  next.task();
  return true;
}

std::size_t FakeHost::scheduled_count() {
  std::lock_guard lock(schedule_mutex_);
  return scheduled_.size();
}

std::vector<std::chrono::milliseconds> FakeHost::scheduled_delays() {
  std::lock_guard lock(schedule_mutex_);
  std::vector<std::chrono::milliseconds> out;
  for (const auto& s : scheduled_)
    out.push_back(s.delay);
  return out;
}

sdk::Result<sdk::KeyPairPem> FakeHost::sandbox_keypair(std::string_view name) noexcept {
  static constexpr std::string_view kNames[] = {
      "unionpay-root",    "unionpay-middle",  "unionpay-sign",    "unionpay-merchant",
      "unionpay-foreign", "unionpay-expired", "unionpay-outsider"};
  for (int slot = 0; slot < 7; ++slot) {
    if (kNames[slot] == name) {
      const auto& pair = test_keypair(slot);
      return sdk::KeyPairPem{pair.private_pem, pair.public_pem};
    }
  }
  return sdk::make_error(sdk::ErrorKind::not_found, "no_key", std::string(name));
}

}  // namespace payhost::sandbox_unionpay::testing
