#include "charges/janitor.hpp"

#include "charges/charge_history.hpp"
#include "observability/logging.hpp"

namespace payhost::host {

using sdk::ChargeState;
using sdk::Outcome;

Janitor::~Janitor() {
  stop();
}

void Janitor::start() {
  thread_ = std::thread([this] {
    RequestIdScope scope("janitor");
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      try {
        run_once();
      } catch (const std::exception& e) {
        host_log().error(std::string("janitor pass failed: ") + e.what());
      }
      lock.lock();
      wake_.wait_for(lock, std::chrono::seconds(ctx_.config.jobs.interval_seconds),
                     [this] { return stopping_; });
    }
  });
}

void Janitor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int Janitor::run_once() {
  std::vector<std::string> due;
  const auto now = ctx_.clock.now();
  auto st = ctx_.db.transact([&](soci::session& sql) -> sdk::Status {
    due = ctx_.store.claim_due(sql, now, ctx_.config.jobs.batch,
                               std::max(1, ctx_.config.jobs.query_after_seconds));
    return {};
  });
  if (!st) {
    host_log().warn("janitor could not claim charges: " + st.error().message);
    return 0;
  }
  for (const auto& id : due)
    check(id);
  return static_cast<int>(due.size()) + refunds_.run_due(ctx_.config.jobs.batch);
}

void Janitor::check(const std::string& id) {
  std::optional<StoredCharge> stored;
  (void)ctx_.db.with_session([&](soci::session& sql) -> sdk::Status {
    stored = ctx_.store.by_id(sql, id);
    return {};
  });
  if (!stored || stored->charge.state != ChargeState::pending) return;
  const sdk::Charge& c = stored->charge;
  const EnabledChannel* channel = ctx_.plugins.channel(c.channel);
  if (!channel) return;
  sdk::ChannelPlugin& plugin = *channel->plugin->channel;

  auto status = plugin.query(trade_ref(c));
  record_history_now(ctx_.db,
                     channel_answer_entry(id, history_now_ms(ctx_.clock), history::kQuery, status));
  if (status && status->outcome != Outcome::pending && status->outcome != Outcome::unknown) {
    if (auto r = settlement_.apply(ChargeKey::by_id(id), *status, "janitor query"); !r) {
      host_log().warn("janitor: " + id + " not settled: " + r.error().message);
    }
    return;
  }
  const bool expired = ctx_.clock.now() >= c.time_expire;
  if (!expired) return;

  // Close at the provider first, so nobody can pay a charge we consider closed. Only a
  // confirmed close (or a channel that cannot close, after a pending answer) closes it here.
  sdk::TradeStatus closing;
  if (plugin.capabilities().close) {
    auto closed = plugin.close(trade_ref(c));
    record_history_now(
        ctx_.db, channel_answer_entry(id, history_now_ms(ctx_.clock), history::kClose, closed));
    if (!closed) {
      host_log().info("janitor: close of " + id +
                      " at provider not confirmed: " + closed.error().message);
      return;
    }
    closing = *closed;
  } else if (status && status->outcome == Outcome::pending) {
    closing.outcome = Outcome::closed;
  } else {
    return;  // could not confirm: ask again next pass
  }
  if (closing.outcome == Outcome::pending || closing.outcome == Outcome::unknown) return;
  if (closing.outcome == Outcome::closed && closing.failure_code.empty()) {
    closing.failure_code = "expired";
    closing.failure_msg = "closed after time_expire";
  }
  if (auto r = settlement_.apply(ChargeKey::by_id(id), closing, "janitor close"); !r) {
    host_log().warn("janitor: " + id + " not closed: " + r.error().message);
  }
}

}  // namespace payhost::host
