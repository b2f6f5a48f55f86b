// The product's schema, for SQLite and PostgreSQL.
#pragma once

#include <vector>

#include "payhost/sdk/product.hpp"

namespace payhost::campus {

std::vector<sdk::Migration> campus_migrations();

}  // namespace payhost::campus
