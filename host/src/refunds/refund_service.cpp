#include "refunds/refund_service.hpp"

#include "charges/backoff.hpp"

#include <algorithm>

#include "charges/ids.hpp"
#include "observability/logging.hpp"
#include "refunds/refund_checks.hpp"
#include "refunds/refund_store.hpp"

namespace payhost::host::refunds {

using sdk::ErrorKind;
using sdk::Outcome;
using sdk::Result;
using sdk::Status;

namespace {

// How long a refund being sent is left alone by the janitors (this host's and others'):
// longer than any provider call, so a refund is not sent twice at once. A host that dies
// mid-call leaves it to be asked about once this has passed.
constexpr std::int64_t kProviderLeaseSeconds = 120;

// What one provider call says about a refund, as the host acts on it.
struct Answer {
  enum class Kind { succeeded, failed, unknown };
  Kind kind = Kind::unknown;
  std::string transaction_no;
  std::string failure_code;
  std::string failure_msg;
  std::string why_unknown;  // for the log
};

Answer from_result(const sdk::RefundResult& r) {
  Answer a;
  switch (r.outcome) {
    case Outcome::succeeded:
      a.kind = Answer::Kind::succeeded;
      a.transaction_no = r.provider_refund_no;
      break;
    case Outcome::failed:
    case Outcome::closed:
      a.kind = Answer::Kind::failed;
      a.failure_code = r.failure_code.empty() ? "refund_failed" : r.failure_code;
      a.failure_msg = r.failure_msg.empty() ? "the provider refused the refund" : r.failure_msg;
      break;
    case Outcome::pending:
    case Outcome::unknown:
      a.why_unknown = std::string("provider says ") + sdk::to_string(r.outcome);
      break;
  }
  return a;
}

// The answer to refund(): a refusal the provider states is final; anything else (timeout,
// network, unverifiable answer, our own trouble) leaves the outcome unknown.
Answer from_refund_call(const Result<sdk::RefundResult>& r) {
  if (r) return from_result(*r);
  const sdk::Error& e = r.error();
  Answer a;
  if (e.kind == ErrorKind::channel || e.kind == ErrorKind::invalid_request ||
      e.kind == ErrorKind::forbidden) {
    a.kind = Answer::Kind::failed;
    a.failure_code = e.code.empty() ? "refund_refused" : e.code;
    a.failure_msg = e.message;
    return a;
  }
  a.why_unknown = std::string(sdk::to_string(e.kind)) + " " + e.code + ": " + e.message;
  return a;
}

// The answer to query_refund(): only an explicit outcome counts, never a failed query.
Answer from_query_call(const Result<sdk::RefundResult>& r) {
  if (r) return from_result(*r);
  Answer a;
  a.why_unknown = "query failed: " + std::string(sdk::to_string(r.error().kind)) + " " +
                  r.error().code + ": " + r.error().message;
  return a;
}

std::int64_t backoff_seconds(const CoreContext& ctx, int attempts) {
  return retry_backoff_seconds(ctx.config.jobs.query_after_seconds, attempts);
}

sdk::Error charge_not_found(const std::string& id) {
  return sdk::make_error(ErrorKind::not_found, "charge_not_found", "未找到 charge : " + id + "。",
                         "id");
}

sdk::Error refund_not_found(const std::string& id) {
  return sdk::make_error(ErrorKind::not_found, "refund_not_found", "未找到 refund : " + id + "。",
                         "id");
}

sdk::ChannelPlugin* channel_plugin(const CoreContext& ctx, const std::string& channel) {
  const EnabledChannel* enabled = ctx.plugins.channel(channel);
  if (!enabled || !enabled->plugin) return nullptr;
  return enabled->plugin->channel;
}

sdk::RefundRequest provider_request(const sdk::Charge& charge, const Refund& refund) {
  sdk::RefundRequest request;
  request.trade = trade_ref(charge);
  request.refund_no = refund.order_no;
  request.amount = refund.amount;
  request.reason = refund.description;
  request.created = refund.created;
  return request;
}

// Records what the provider said, on the refund row as it is now: the first final answer
// wins (conditional update); `attempts` sets when to ask again if it is still unknown.
// Returns the refund as this transaction leaves it.
Result<Refund> apply_answer(CoreContext& ctx, const Refund& sent, const Answer& answer,
                            int attempts, const char* source) {
  const RefundStore refunds(ctx.db.dialect());
  const std::int64_t now = ctx.clock.now();
  std::optional<Refund> latest;
  bool transitioned = false;
  Status st = ctx.db.transact([&](soci::session& sql) -> Status {
    transitioned = false;
    switch (answer.kind) {
      case Answer::Kind::succeeded:
        transitioned = refunds.mark_succeeded(sql, sent.id, answer.transaction_no, now);
        break;
      case Answer::Kind::failed:
        transitioned =
            refunds.mark_failed(sql, sent.id, answer.failure_code, answer.failure_msg, now);
        break;
      case Answer::Kind::unknown:
        refunds.postpone(sql, sent.id, now + backoff_seconds(ctx, attempts), now);
        break;
    }
    auto row = refunds.by_id(sql, sent.id);
    if (!row) return refund_not_found(sent.id);
    latest = row->refund;
    if (transitioned && answer.kind == Answer::Kind::succeeded) {
      ctx.store.add_refunded(sql, latest->charge_id, latest->amount, now);
      ctx.outbox.record(
          sql,
          events::NewEvent{"refund.succeeded", latest->id, latest->charge_id, latest->app,
                           latest->livemode, to_pingpp_json_text(*latest)},
          now);
    }
    return {};
  });
  if (!st) return st.error();
  if (transitioned) {
    host_log().info("refund " + sent.id + " of " + sent.charge_id + " (" +
                    std::to_string(sent.amount) + " fen) " + to_string(latest->status) + " via " +
                    source +
                    (answer.kind == Answer::Kind::failed ? ": " + answer.failure_code : ""));
  } else if (answer.kind == Answer::Kind::unknown) {
    host_log().info("refund " + sent.id + " still pending after " + source + ": " +
                    answer.why_unknown);
  }
  return *latest;
}

}  // namespace

Result<Refund> RefundService::create(const NewRefund& request) noexcept {
  try {
    if (auto checked = check_new_refund(request); !checked) return checked.error();
    const RefundStore refunds(ctx_.db.dialect());
    const std::int64_t now = ctx_.clock.now();
    StoredRefund row;
    sdk::Charge charge;
    sdk::ChannelPlugin* plugin = nullptr;

    Status reserved = ctx_.db.transact([&](soci::session& sql) -> Status {
      auto stored = ctx_.store.by_id(sql, request.charge_id, /*for_update=*/true);
      // Another app's or mode's charge is answered exactly as a missing one.
      if (!stored || (request.app && *request.app != stored->charge.app) ||
          (request.livemode && *request.livemode != stored->charge.livemode)) {
        return charge_not_found(request.charge_id);
      }
      const sdk::Charge& c = stored->charge;
      if (!c.paid()) {
        return sdk::make_error(ErrorKind::invalid_request, "charge_not_paid",
                               "charge " + c.id + " is not paid: nothing to refund", "id");
      }
      plugin = channel_plugin(ctx_, c.channel);
      const sdk::Capabilities can = plugin ? plugin->capabilities() : sdk::Capabilities{};
      if (!can.refund) {
        return sdk::make_error(ErrorKind::invalid_request, "channel_cannot_refund",
                               "channel " + c.channel + " cannot refund here", "id");
      }
      const sdk::Fen refundable = c.amount - refunds.reserved(sql, c.id);
      if (refundable <= 0) {
        return sdk::make_error(ErrorKind::invalid_request, "charge_refunded",
                               "不能对订单号 " + c.order_no +
                                   " 发起退款，因为已经全额退款了。Charge id: " + c.id + "。",
                               "id");
      }
      const sdk::Fen amount = request.amount.value_or(refundable);
      if (amount > refundable) {
        return sdk::make_error(ErrorKind::invalid_request, "refund_exceeds",
                               "refund amount " + std::to_string(amount) +
                                   " fen exceeds what is left to refund (" +
                                   std::to_string(refundable) + " fen)",
                               "amount");
      }
      if (amount < c.amount && !can.partial_refund) {
        return sdk::make_error(ErrorKind::invalid_request, "partial_refund_unsupported",
                               "channel " + c.channel + " refunds only the whole amount", "amount");
      }
      row = StoredRefund{};
      Refund& r = row.refund;
      r.id = new_refund_id();
      r.order_no = new_order_no(now);
      r.charge_id = c.id;
      r.charge_order_no = c.order_no;
      r.app = c.app;
      r.livemode = c.livemode;
      r.amount = amount;
      r.description = request.description;
      r.metadata = request.metadata;
      r.funding_source = request.funding_source;
      r.requested_by = request.requested_by;
      r.created = now;
      row.next_check_at = now + kProviderLeaseSeconds;
      refunds.insert(sql, row);
      charge = c;
      return {};
    });
    if (!reserved) return reserved.error();
    host_log().info("refund " + row.refund.id + " of " + charge.id + " (" +
                    std::to_string(row.refund.amount) + " fen) requested by " +
                    row.refund.requested_by);

    // Outside any transaction: the provider may take seconds.
    const Answer answer = from_refund_call(plugin->refund(provider_request(charge, row.refund)));
    auto applied = apply_answer(ctx_, row.refund, answer, 0, "refund call");
    if (!applied) {
      // Recorded pending and reserved: the janitor asks the provider once the lease ends.
      host_log().warn("refund " + row.refund.id +
                      ": provider answer not recorded yet: " + applied.error().message);
      return row.refund;
    }
    return *applied;
  } catch (const std::exception& e) {
    return sdk::make_error(ErrorKind::internal, "refund_failed", e.what());
  }
}

Result<Refund> RefundService::get(const std::string& charge_id,
                                  const std::string& refund_id) noexcept {
  const RefundStore refunds(ctx_.db.dialect());
  std::optional<StoredRefund> row;
  Status st = ctx_.db.with_session([&](soci::session& sql) -> Status {
    row = refunds.by_id(sql, refund_id);
    return {};
  });
  if (!st) return st.error();
  if (!row || row->refund.charge_id != charge_id) return refund_not_found(refund_id);
  return row->refund;
}

Result<RefundPage> RefundService::list(const std::string& charge_id, int limit,
                                       const std::string& starting_after,
                                       const std::string& ending_before) noexcept {
  if (limit < 1 || limit > 100) {
    return sdk::make_error(ErrorKind::invalid_request, "limit_invalid",
                           "limit must be between 1 and 100", "limit");
  }
  if (!starting_after.empty() && !ending_before.empty()) {
    return sdk::make_error(ErrorKind::invalid_request, "cursor_invalid",
                           "give starting_after or ending_before, not both", "ending_before");
  }
  const RefundStore refunds(ctx_.db.dialect());
  RefundPage page;
  Status st = ctx_.db.with_session([&](soci::session& sql) -> Status {
    if (!ctx_.store.by_id(sql, charge_id)) return charge_not_found(charge_id);
    const bool after = !starting_after.empty();
    const std::string& cursor = after ? starting_after : ending_before;
    if (!cursor.empty() && !refunds.belongs_to(sql, cursor, charge_id)) {
      return sdk::make_error(ErrorKind::invalid_request, "cursor_invalid",
                             "no refund " + cursor + " of charge " + charge_id,
                             after ? "starting_after" : "ending_before");
    }
    page = refunds.page(sql, charge_id, limit, starting_after, ending_before);
    return {};
  });
  if (!st) return st.error();
  return page;
}

int RefundService::run_due(int limit) noexcept {
  try {
    const RefundStore refunds(ctx_.db.dialect());
    const std::int64_t now = ctx_.clock.now();
    std::vector<RefundStore::Claimed> due;
    Status claimed = ctx_.db.transact([&](soci::session& sql) -> Status {
      due = refunds.claim_due(sql, now, limit, now + kProviderLeaseSeconds);
      return {};
    });
    if (!claimed) {
      host_log().warn("janitor could not claim refunds: " + claimed.error().message);
      return 0;
    }
    for (const auto& d : due) {
      std::optional<StoredRefund> row;
      std::optional<StoredCharge> charge;
      Status read = ctx_.db.with_session([&](soci::session& sql) -> Status {
        row = refunds.by_id(sql, d.id);
        if (row) charge = ctx_.store.by_id(sql, row->refund.charge_id);
        return {};
      });
      if (!read || !row || !charge || row->refund.status != RefundStatus::pending) continue;
      const Refund& refund = row->refund;
      const int attempts = d.attempts + 1;
      sdk::ChannelPlugin* plugin = channel_plugin(ctx_, charge->charge.channel);
      Answer answer;
      if (!plugin) {
        answer.why_unknown = "channel " + charge->charge.channel + " is not enabled";
      } else {
        const sdk::RefundRequest request = provider_request(charge->charge, refund);
        if (plugin->capabilities().refund_query) {
          auto queried = plugin->query_refund(request);
          // The provider never got it: send it again, under the same number.
          answer = !queried && queried.error().kind == ErrorKind::not_found
                       ? from_refund_call(plugin->refund(request))
                       : from_query_call(queried);
        } else {
          // Without a query the same refund again is the question: the provider dedupes
          // on the number and answers what became of it.
          answer = from_refund_call(plugin->refund(request));
        }
      }
      if (auto applied = apply_answer(ctx_, refund, answer, attempts, "janitor"); !applied) {
        host_log().warn("janitor: refund " + refund.id +
                        " answer not recorded: " + applied.error().message);
      }
    }
    return static_cast<int>(due.size());
  } catch (const std::exception& e) {
    host_log().error(std::string("janitor refund pass failed: ") + e.what());
    return 0;
  }
}

}  // namespace payhost::host::refunds
