// SQLite in memory behind sdk::Database: one connection, one transaction at a time, the
// dialect a product's SQLite migrations are written for. Tables live as long as the object.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "payhost/sdk/database.hpp"
#include "payhost/sdk/product.hpp"

namespace payhost::sdk::testing {

class MemoryDatabase final : public Database {
 public:
  MemoryDatabase();

  Dialect dialect() const noexcept override { return Dialect::sqlite; }
  Status transact(const std::function<Status(soci::session&)>& work) noexcept override;
  Status with_session(const std::function<Status(soci::session&)>& work) noexcept override;

  // Runs a plugin's SQLite migrations, in order, as the host would on first start.
  Status migrate(const std::vector<Migration>& migrations);

  // Direct access for assertions; do not hold it across calls into the plugin.
  soci::session& session() { return sql_; }

 private:
  std::recursive_mutex mutex_;
  soci::session sql_;
};

}  // namespace payhost::sdk::testing
