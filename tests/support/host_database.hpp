// The database of a running payhostd, opened from a test as a second process would open
// it, to read (or damage) what the host wrote. For tests that link payhost_host.
#pragma once

#include <memory>
#include <stdexcept>

#include "storage/database.hpp"
#include "support/harness.hpp"

namespace payhost::testing {

// Throws std::runtime_error if the database cannot be opened.
inline std::unique_ptr<host::Db> open_host_database(const Payhostd& host) {
  host::DatabaseConfig database;
  database.url = host.database_url();
  database.pool_size = 1;
  auto db = host::Db::open(database, host.data_dir());
  if (!db) throw std::runtime_error("cannot open the database: " + db.error().message);
  return std::move(*db);
}

}  // namespace payhost::testing
