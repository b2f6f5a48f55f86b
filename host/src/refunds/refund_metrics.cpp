#include "refunds/refund_metrics.hpp"

#include <map>

namespace payhost::host::refunds {

std::string scrape_metrics(soci::session& sql, std::int64_t now) {
  std::map<std::string, long long> by_status{{"pending", 0}, {"succeeded", 0}, {"failed", 0}};
  std::string status;
  long long count = 0;
  soci::statement st = (sql.prepare << "SELECT status, CAST(COUNT(*) AS BIGINT) FROM refunds "
                                       "GROUP BY status",
                        soci::into(status), soci::into(count));
  st.execute();
  while (st.fetch())
    by_status[status] = count;
  long long oldest = 0;
  soci::indicator ind = soci::i_null;
  sql << "SELECT MIN(created) FROM refunds WHERE status = 'pending'", soci::into(oldest, ind);

  std::string out = "# HELP payhost_refunds Refunds by status.\n# TYPE payhost_refunds gauge\n";
  for (const auto& [name, n] : by_status)
    out += "payhost_refunds{status=\"" + name + "\"} " + std::to_string(n) + "\n";
  out +=
      "# HELP payhost_refund_oldest_pending_seconds Age of the oldest refund whose outcome the "
      "provider has not told yet (0: none).\n"
      "# TYPE payhost_refund_oldest_pending_seconds gauge\npayhost_refund_oldest_pending_seconds " +
      std::to_string(ind == soci::i_ok && now > oldest ? now - oldest : 0) + "\n";
  return out;
}

}  // namespace payhost::host::refunds
