// SQL for the host's refunds table. Every status change is a conditional update
// (`AND status = 'pending'`) inside a transaction the caller owns, so the first answer
// applied wins and a second one changes nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "payhost/sdk/database.hpp"
#include "refunds/refund_service.hpp"

namespace payhost::host::refunds {

// The stored refund plus host-only columns.
struct StoredRefund {
  Refund refund;
  std::int64_t next_check_at = 0;
  int check_attempts = 0;
};

class RefundStore {
 public:
  explicit RefundStore(sdk::Dialect dialect) : dialect_(dialect) {}

  void insert(soci::session& sql, const StoredRefund& row) const;
  // With the charge's order_no (charge_order_no); nullopt if there is no such refund.
  std::optional<StoredRefund> by_id(soci::session& sql, const std::string& id) const;

  // What the charge's refunds hold against its paid amount: all but the failed ones.
  std::int64_t reserved(soci::session& sql, const std::string& charge_id) const;

  // pending -> succeeded / failed. True if this call made the transition.
  bool mark_succeeded(soci::session& sql, const std::string& id, const std::string& transaction_no,
                      std::int64_t now) const;
  bool mark_failed(soci::session& sql, const std::string& id, const std::string& failure_code,
                   const std::string& failure_msg, std::int64_t now) const;
  // A pending refund whose outcome is still unknown: ask again at `next_check_at`.
  void postpone(soci::session& sql, const std::string& id, std::int64_t next_check_at,
                std::int64_t now) const;

  // Pending refunds due for a check, claimed by pushing next_check_at to `lease_until` (FOR
  // UPDATE SKIP LOCKED on PostgreSQL) so no other host takes them meanwhile.
  struct Claimed {
    std::string id;
    int attempts = 0;  // checks before this one
  };
  std::vector<Claimed> claim_due(soci::session& sql, std::int64_t now, int limit,
                                 std::int64_t lease_until) const;

  // The charge's refunds, newest first: `limit` of them next to the cursor (ids below
  // `starting_after` / just above `ending_before`; neither: the newest), and whether more
  // lie beyond the page in that direction.
  RefundPage page(soci::session& sql, const std::string& charge_id, int limit,
                  const std::string& starting_after, const std::string& ending_before) const;
  bool belongs_to(soci::session& sql, const std::string& refund_id,
                  const std::string& charge_id) const;

 private:
  sdk::Dialect dialect_;
};

}  // namespace payhost::host::refunds
