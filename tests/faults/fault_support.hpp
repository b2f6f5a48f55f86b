// What the fault tests share: reading a running host's tables as a second process would,
// and waiting for a condition.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

#include "storage/database.hpp"
#include "support/harness.hpp"

namespace payhost::faults {

using Json = nlohmann::ordered_json;
using testing::Payhostd;

// One integer from `sql` (one `:p` parameter, or none), read on a connection of its own to
// the database at `url`.
inline long long scalar_at(const std::string& url, const std::string& data_dir,
                           const std::string& sql, const std::string& param = {}) {
  host::DatabaseConfig database;
  database.url = url;
  database.pool_size = 1;
  auto db = host::Db::open(database, data_dir);
  if (!db) throw std::runtime_error("cannot open the database: " + db.error().message);
  long long value = -1;
  auto st = (*db)->with_session([&](soci::session& s) -> sdk::Status {
    if (param.empty()) {
      s << sql, soci::into(value);
    } else {
      s << sql, soci::use(param), soci::into(value);
    }
    return {};
  });
  if (!st) throw std::runtime_error(sql + ": " + st.error().message);
  return value;
}

// The same on a running host's database.
inline long long scalar(const Payhostd& host, const std::string& sql,
                        const std::string& param = {}) {
  return scalar_at(host.database_url(), host.data_dir(), sql, param);
}

inline bool eventually(const std::function<bool()>& condition, int seconds = 20, int poll_ms = 50) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(poll_ms));
  }
  return condition();
}

}  // namespace payhost::faults
