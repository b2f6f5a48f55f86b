// What /metrics says about refunds, read at scrape time: how many in each status, and how
// long the oldest pending one has waited (a provider that never answers shows here).
#pragma once

#include <cstdint>
#include <string>

#include <soci/soci.h>

namespace payhost::host::refunds {

std::string scrape_metrics(soci::session& sql, std::int64_t now);

}  // namespace payhost::host::refunds
