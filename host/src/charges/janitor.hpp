// Background reconciliation: asks channels about pending charges after a delay and closes
// expired ones at the provider first, then locally. Safe with many hosts on one database:
// each pass claims its rows (FOR UPDATE SKIP LOCKED on PostgreSQL).
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "charges/core_context.hpp"
#include "charges/settlement.hpp"
#include "refunds/refund_service.hpp"

namespace payhost::host {

class Janitor {
 public:
  Janitor(CoreContext& ctx, Settlement& settlement, refunds::RefundService& refunds)
      : ctx_(ctx), settlement_(settlement), refunds_(refunds) {}
  ~Janitor();

  void start();
  void stop();
  // One pass (charges, then refunds); returns how many charges and refunds it looked at.
  int run_once();

 private:
  void check(const std::string& charge_id);

  CoreContext& ctx_;
  Settlement& settlement_;
  refunds::RefundService& refunds_;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

}  // namespace payhost::host
