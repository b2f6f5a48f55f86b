#include "database.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <thread>

#include "logging.hpp"

namespace payhost::host {

namespace fs = std::filesystem;
using sdk::ErrorKind;
using sdk::Result;
using sdk::Status;

std::string redact_url(const std::string& url) {
  const auto scheme = url.find("://");
  const auto at = url.find('@');
  if (scheme == std::string::npos || at == std::string::npos || at < scheme) return url;
  const auto colon = url.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return url;
  return url.substr(0, colon + 1) + "***" + url.substr(at);
}

Result<std::unique_ptr<Db>> Db::open(const DatabaseConfig& config, const std::string& data_dir) {
  std::unique_ptr<Db> db(new Db());
  db->pool_size_ = static_cast<std::size_t>(config.pool_size);
  db->pool_ = std::make_unique<soci::connection_pool>(db->pool_size_);
  try {
    if (config.url.rfind("sqlite://", 0) == 0) {
      db->dialect_ = sdk::Dialect::sqlite;
      fs::path file = config.url.substr(9);
      if (file.is_relative()) file = fs::path(data_dir) / file;
      fs::create_directories(file.parent_path());
      db->description_ = "sqlite " + file.string();
      for (std::size_t i = 0; i < db->pool_size_; ++i) {
        soci::session& s = db->pool_->at(i);
        s.open(soci::sqlite3, "db=" + file.string());
        s << "PRAGMA busy_timeout = " + std::to_string(config.busy_timeout_ms);
        s << "PRAGMA journal_mode = WAL";
        // In WAL mode NORMAL loses no committed transaction on an application crash; only
        // an OS crash may lose the last ones, which providers then notify again.
        s << "PRAGMA synchronous = NORMAL";
        s << "PRAGMA foreign_keys = ON";
      }
    } else {
      db->dialect_ = sdk::Dialect::postgresql;
      std::string url = config.url;
      if (url.rfind("postgres://", 0) == 0) url = "postgresql://" + url.substr(11);
      db->description_ = "postgresql " + redact_url(url);
      for (std::size_t i = 0; i < db->pool_size_; ++i) {
        db->pool_->at(i).open(soci::postgresql, url);
      }
    }
  } catch (const std::exception& e) {
    return sdk::make_error(
        ErrorKind::unavailable, "db_open",
        "cannot open database " + redact_url(config.url) + ": " + redactor().apply(e.what()));
  }
  return db;
}

Db::~Db() = default;

Status Db::run_once(const std::function<Status(soci::session&)>& work, bool in_tx) {
  soci::session sql(*pool_);
  try {
    if (in_tx) sql << (dialect_ == sdk::Dialect::sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    Status result = work(sql);
    if (in_tx) {
      if (result) {
        sql << "COMMIT";
      } else {
        sql << "ROLLBACK";
      }
    }
    return result;
  } catch (...) {
    Status failure = sdk::database_error_from_current_exception();
    if (in_tx) {
      try {
        sql << "ROLLBACK";
      } catch (...) {  // the connection may be gone; the pool keeps it for reconnect
      }
    }
    return failure;
  }
}

Status Db::transact(const std::function<Status(soci::session&)>& work) noexcept {
  thread_local std::minstd_rand rng{std::random_device{}()};
  Status last;
  for (int attempt = 0; attempt < 12; ++attempt) {
    last = run_once(work, true);
    if (last || last.error().kind != ErrorKind::retry) return last;
    // Back off with jitter so contending transactions do not collide again in step.
    const int cap = std::min(64, 1 << attempt);
    std::this_thread::sleep_for(std::chrono::milliseconds(1 + static_cast<int>(rng() % cap)));
  }
  return last;
}

Status Db::with_session(const std::function<Status(soci::session&)>& work) noexcept {
  return run_once(work, false);
}

bool Db::ping() noexcept {
  return static_cast<bool>(with_session([](soci::session& sql) -> Status {
    int one = 0;
    sql << "SELECT 1", soci::into(one);
    return one == 1 ? Status() : Status(sdk::Error{});
  }));
}

}  // namespace payhost::host
