// The host's SOCI connection pool and transactions, for SQLite and PostgreSQL.
#pragma once

#include <memory>
#include <string>

#include <soci/soci.h>

#include "config.hpp"
#include "payhost/sdk/database.hpp"

namespace payhost::host {

class Db final : public sdk::Database {
 public:
  // Opens `pool_size` connections. SQLite: WAL, busy timeout, synchronous=NORMAL; the
  // file is relative to data_dir unless absolute.
  static sdk::Result<std::unique_ptr<Db>> open(const DatabaseConfig& config,
                                               const std::string& data_dir);
  ~Db() override;

  sdk::Dialect dialect() const noexcept override { return dialect_; }
  sdk::Status transact(const std::function<sdk::Status(soci::session&)>& work) noexcept override;
  sdk::Status with_session(
      const std::function<sdk::Status(soci::session&)>& work) noexcept override;

  bool ping() noexcept;
  // What to print about this database (never the password).
  const std::string& description() const { return description_; }

 private:
  Db() = default;
  sdk::Status run_once(const std::function<sdk::Status(soci::session&)>& work, bool in_tx);

  sdk::Dialect dialect_ = sdk::Dialect::sqlite;
  std::size_t pool_size_ = 0;
  std::unique_ptr<soci::connection_pool> pool_;
  std::string description_;
};

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db"
std::string redact_url(const std::string& url);

}  // namespace payhost::host
