// Statements PayMoney runs on every request, kept prepared on the pooled connection
// (sdk::with_statement): preparing a small statement costs more than running it.
#pragma once

#include <utility>

#include "payhost/sdk/database.hpp"

namespace payhost::campus {

// Runs `use` with T kept on `sql` by `db`, or with a T prepared for this call when there is
// no database to keep it (callers that hold only a session: commands, tests).
template <class T, class Use>
decltype(auto) with_kept(sdk::Database* db, soci::session& sql, Use&& use) {
  if (db == nullptr) {
    T once(sql);
    return use(once);
  }
  return sdk::with_statement<T>(*db, sql, std::forward<Use>(use));
}

}  // namespace payhost::campus
