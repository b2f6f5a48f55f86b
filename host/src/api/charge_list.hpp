// GET /v1/charges: Ping++'s list parameters and the query that pages through one app's
// charges of one mode, newest first, on the index charges_app (app, livemode, id). Charge
// ids are time-ordered, so id order is creation order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host::api {

inline constexpr int kDefaultListLimit = 10;
inline constexpr int kMaxListLimit = 100;
// Without a created filter Ping++ lists the last month only.
inline constexpr std::int64_t kDefaultListWindowSeconds = 30 * 86400;

struct ChargeListQuery {
  int limit = kDefaultListLimit;
  std::string starting_after;
  std::string ending_before;
  std::optional<std::int64_t> created_gt, created_gte, created_lt, created_lte;
  std::optional<std::string> channel;
  std::optional<bool> paid, refunded, reversed;
};

// `params`: the query string as parse_request_query gives it. app[id] is required and
// must be `app`; unknown parameters, bad numbers and booleans other than "true"/"false"
// are refused (invalid_request, param named), as is giving both cursors.
sdk::Result<ChargeListQuery> parse_charge_list_query(const sdk::Json& params,
                                                     const std::string& app);

struct ChargeIdPage {
  std::vector<std::string> ids;  // newest first
  bool has_more = false;
};

// The page's charge ids. A cursor that is not a charge of this app and mode is refused
// (invalid_request "cursor_invalid", param starting_after / ending_before).
sdk::Result<ChargeIdPage> list_charge_ids(soci::session& sql, const std::string& app, bool livemode,
                                          const ChargeListQuery& query, std::int64_t now);

}  // namespace payhost::host::api
