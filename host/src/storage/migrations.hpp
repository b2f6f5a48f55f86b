// Versioned schema migrations per owner (the host and each product plugin).
#pragma once

#include <string>
#include <vector>

#include "payhost/sdk/product.hpp"
#include "storage/database.hpp"

namespace payhost::host {

struct OwnedMigrations {
  std::string owner;  // "host" or a plugin name
  std::vector<sdk::Migration> steps;
};

// Applies every step not yet recorded in schema_versions, in version order, in one
// transaction under a lock all hosts share (a PostgreSQL advisory lock; SQLite's write
// lock), so several hosts starting at once apply each step exactly once. `applied`
// receives one line per step run.
sdk::Status run_migrations(Db& db, const std::vector<OwnedMigrations>& all,
                           std::vector<std::string>* applied);

// The host's own tables.
std::vector<sdk::Migration> host_migrations();

}  // namespace payhost::host
