#include "charges/notifications.hpp"

#include "charges/charge_history.hpp"
#include "charges/refusal_store.hpp"
#include "observability/logging.hpp"
#include "text/printable_text.hpp"

namespace payhost::host {

using sdk::HttpResponse;
using sdk::Outcome;

namespace {

// 1, 2, 4, 8...: the repeats of one refusal that are logged; the table counts them all.
bool worth_logging(long long seen) {
  return seen <= 0 || (seen & (seen - 1)) == 0;
}

// What the charge's history says of a notification: the status, amount and transaction.
std::string notification_detail(const sdk::TradeStatus& s) {
  std::string detail = sdk::to_string(s.outcome);
  if (s.amount >= 0) detail += ", " + std::to_string(s.amount) + " fen";
  if (!s.transaction_no.empty()) detail += ", transaction " + s.transaction_no;
  if (!s.failure_code.empty()) detail += ", " + s.failure_code;
  return detail;
}

}  // namespace

HttpResponse NotificationHandler::refuse(PluginEntry& entry, const std::string& order_no,
                                         const std::string& reason, const std::string& detail) {
  const std::string& plugin = entry.config->name;
  ctx_.metrics.count_notification(plugin, "refused");
  long long seen = 0;
  const sdk::Status recorded = ctx_.db.transact([&](soci::session& sql) -> sdk::Status {
    seen = record_refusal(sql, Refusal{plugin, order_no, reason, detail}, ctx_.clock.now());
    return {};
  });
  if (!recorded) host_log().error("refused notification not recorded: " + recorded.error().message);
  if (worth_logging(seen)) {
    host_log().warn("refused notification for " + plugin + " order " +
                    (order_no.empty() ? "?" : printable_line(order_no, kMaxRefusalKeyBytes)) +
                    ": " + reason + " (" + printable_line(detail, kMaxRefusalDetailBytes) + ")" +
                    (seen > 1 ? " [seen " + std::to_string(seen) + " times]" : ""));
  }
  return entry.channel->notification_reply(false);
}

HttpResponse NotificationHandler::handle(const std::string& plugin,
                                         const sdk::HttpRequest& request) {
  PluginEntry* entry = ctx_.plugins.find(plugin);
  if (!entry || !entry->channel) {
    return HttpResponse::json(404, sdk::Json{{"message", "no channel plugin " + plugin}});
  }
  auto status = entry->channel->verify_notification(request);
  if (!status) {
    return refuse(*entry, "", status.error().code.empty() ? "unverified" : status.error().code,
                  status.error().message);
  }
  const sdk::TradeStatus& s = *status;

  const std::string expected_app = entry->channel->merchant_app_id();
  if (!expected_app.empty() && s.app_id != expected_app) {
    return refuse(*entry, s.order_no, "app_id_mismatch",
                  "notification is for app " + s.app_id + ", ours is " + expected_app);
  }
  // A status the channel could not read may be a payment: answering it positively would
  // stop the provider's retries, and the charge would settle only when queried.
  if (s.outcome == Outcome::unknown) {
    return refuse(*entry, s.order_no, "unknown_status",
                  "the trade status is missing or not one the channel knows");
  }
  // Checked on the row the settlement reads and locks, so the charge is read once.
  std::string charge_id;
  auto check = [&](const StoredCharge& stored) -> sdk::Status {
    if (stored.plugin != plugin) {
      return sdk::make_error(sdk::ErrorKind::invalid_request, "plugin_mismatch",
                             "the charge belongs to plugin " + stored.plugin);
    }
    if (s.outcome == Outcome::succeeded && s.amount != stored.charge.amount) {
      return sdk::make_error(sdk::ErrorKind::invalid_request, "amount_mismatch",
                             "notified " + std::to_string(s.amount) + " fen, charge is " +
                                 std::to_string(stored.charge.amount));
    }
    charge_id = stored.charge.id;
    return {};
  };
  // Written by the settling transaction itself: one insert, no read.
  const HistoryNote note{history::kNotification, "accepted", "repeated", notification_detail(s),
                         history_now_ms(ctx_.clock)};
  auto applied =
      settlement_.apply(ChargeKey::by_order_no(s.order_no), s, "notification", check, false, &note);
  if (!applied) {
    const sdk::Error& e = applied.error();
    if (e.code == "unknown_charge") {
      return refuse(*entry, s.order_no, "unknown_order", "no charge has this order_no");
    }
    if (e.code == "plugin_mismatch" || e.code == "amount_mismatch" ||
        e.code == "transaction_reused") {
      return refuse(*entry, s.order_no, e.code, e.message);
    }
    // Database trouble or a product hook failure: the provider will notify again.
    host_log().error("notification for " + s.order_no + " not settled: " + e.message);
    ctx_.metrics.count_notification(plugin, "error");
    return entry->channel->notification_reply(false);
  }
  if (s.outcome == Outcome::pending && !charge_id.empty()) {
    // No transaction ran: a pending status settles nothing.
    record_history_now(ctx_.db,
                       HistoryEntry{charge_id, note.at_ms, note.kind, "accepted", note.detail});
  }
  ctx_.metrics.count_notification(plugin, "accepted");
  return entry->channel->notification_reply(true);
}

}  // namespace payhost::host
