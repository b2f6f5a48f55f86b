// The database of a running payhostd, opened from a test as a second process would open
// it, to read (or damage) what the host wrote. For tests that link payhost_host.
#pragma once

#include <memory>
#include <stdexcept>
#include <string>

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

// One value read from the host's tables (the first column of the first row).
class HostTables {
 public:
  explicit HostTables(const Payhostd& host) : db_(open_host_database(host)) {}

  // "" for NULL or no row.
  std::string text(const std::string& query) {
    std::string out;
    soci::indicator ind = soci::i_null;
    run([&](soci::session& sql) { sql << query, soci::into(out, ind); });
    return ind == soci::i_ok ? out : "";
  }

  long long number(const std::string& query) {
    long long out = 0;
    run([&](soci::session& sql) { sql << query, soci::into(out); });
    return out;
  }

 private:
  template <typename Read>
  void run(Read read) {
    auto st = db_->with_session([&](soci::session& sql) -> sdk::Status {
      read(sql);
      return {};
    });
    if (!st) throw std::runtime_error(st.error().message);
  }

  std::unique_ptr<host::Db> db_;
};

}  // namespace payhost::testing
