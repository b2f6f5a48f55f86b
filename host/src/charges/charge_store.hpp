// SQL for the host's charges table. Every state change is a conditional update made
// inside a transaction the caller owns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "payhost/sdk/channel.hpp"
#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/database.hpp"

namespace payhost::host {

// The stored charge plus host-only columns.
struct StoredCharge {
  sdk::Charge charge;
  std::string plugin;  // channel plugin that owns the channel
  std::int64_t next_check_at = 0;
  int check_attempts = 0;
};

class ChargeStore {
 public:
  explicit ChargeStore(sdk::Dialect dialect) : dialect_(dialect) {}

  void insert(soci::session& sql, const StoredCharge& c) const;
  // `for_update` locks the row on PostgreSQL (SQLite's write transaction already does).
  std::optional<StoredCharge> by_id(soci::session& sql, const std::string& id,
                                    bool for_update = false) const;
  std::optional<StoredCharge> by_order_no(soci::session& sql, const std::string& order_no,
                                          bool for_update = false) const;

  // pending|closed|failed -> succeeded. Returns whether this call made the transition; if
  // it did, `charge` (the row read in this transaction) is updated to match.
  bool mark_succeeded(soci::session& sql, sdk::Charge& charge, const sdk::TradeStatus& status,
                      std::int64_t now) const;
  // The id of another charge of `plugin` already holding the provider's transaction
  // number (the unique index charges_transaction_no allows one); nullopt if none or empty.
  std::optional<std::string> other_charge_with_transaction(soci::session& sql,
                                                           const std::string& plugin,
                                                           const std::string& transaction_no,
                                                           const std::string& charge_id) const;
  // pending -> failed|closed (`reversed`: the merchant cancelled it). Same contract as
  // mark_succeeded.
  bool mark_unpaid_final(soci::session& sql, sdk::Charge& charge, sdk::ChargeState state,
                         const std::string& code, const std::string& message, std::int64_t now,
                         bool reversed = false) const;

  // amount_refunded += amount, for a refund that just succeeded (inside its transaction).
  void add_refunded(soci::session& sql, const std::string& charge_id, sdk::Fen amount,
                    std::int64_t now) const;

  // Pending charges due for an active check, claimed by pushing next_check_at forward so
  // no other host takes them (FOR UPDATE SKIP LOCKED on PostgreSQL).
  std::vector<std::string> claim_due(soci::session& sql, std::int64_t now, int limit,
                                     int base_delay_seconds) const;

  struct StateCount {
    std::string channel;
    std::string state;
    long long count;
  };
  std::vector<StateCount> count_by_channel_state(soci::session& sql) const;

 private:
  sdk::Dialect dialect_;
};

}  // namespace payhost::host
