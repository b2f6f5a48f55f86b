// The wallet's tables, for SQLite and PostgreSQL.
#pragma once

#include <vector>

#include "payhost/sdk/product.hpp"

namespace payhost::wallet {

std::vector<sdk::Migration> wallet_migrations();

}  // namespace payhost::wallet
