// `payhostd webhook list|redeliver|public-key`: reads and resets deliveries in the
// database the config names; no plugin is started and nothing is sent from here (the
// serving hosts send what becomes due).
#include <iostream>

#include "app/app.hpp"
#include "app/commands.hpp"
#include "observability/logging.hpp"
#include "text/printable_text.hpp"
#include "text/utc_time.hpp"
#include "webhooks/delivery_store.hpp"
#include "webhooks/endpoint_text.hpp"
#include "webhooks/signing_key.hpp"

namespace payhost::host {

namespace {

int fail(const std::string& message, int code) {
  std::cerr << "payhostd webhook: " << message << "\n";
  return code;
}

void print_row(const webhooks::DeliveryRow& r) {
  std::string last = "-";
  if (r.last_status) last = std::to_string(*r.last_status);
  if (!r.last_error.empty()) last += " " + printable_line(r.last_error, 200);
  std::cout << r.event_id << "  " << printable_line(r.type, 64) << "  "
            << webhooks::endpoint_for_log(r.url) << "  " << r.status << "  attempts=" << r.attempts
            << "  last=" << last
            << "  next=" << (r.status == "pending" ? utc_iso8601(r.next_attempt_at) : "-") << "\n";
}

}  // namespace

int run_webhook_command(const WebhookCommand& command) {
  auto config = load_config(command.config_path);
  if (!config) return fail(config.error().message, 2);
  init_logging("warn");
  App app(std::move(*config));
  if (auto st = app.load_plugins(); !st) return fail(st.error().message, 2);
  if (auto st = app.open_database(); !st) return fail(st.error().message, 2);
  Db& db = app.db();
  const auto now = static_cast<std::int64_t>(std::time(nullptr));

  if (command.verb == "public-key") {
    auto key = webhooks::load_or_create_signing_key(db, now);
    if (!key) return fail(key.error().message, 2);
    std::cout << key->public_key_pem();
    return 0;
  }
  if (command.verb == "list") {
    std::vector<webhooks::DeliveryRow> rows;
    auto st = db.with_session([&](soci::session& sql) -> sdk::Status {
      rows = webhooks::DeliveryStore::list(sql, command.status, command.limit);
      return {};
    });
    if (!st) return fail(st.error().message, 2);
    for (const auto& r : rows)
      print_row(r);
    return 0;
  }
  if (command.verb == "redeliver") {
    webhooks::RedeliverResult result = webhooks::RedeliverResult::no_event;
    auto st = db.transact([&](soci::session& sql) -> sdk::Status {
      result = webhooks::DeliveryStore::redeliver(sql, command.event_id, now);
      return {};
    });
    if (!st) return fail(st.error().message, 2);
    const std::string event = printable_line(command.event_id, 64);
    switch (result) {
      case webhooks::RedeliverResult::no_event:
        return fail("no event " + event, 1);
      case webhooks::RedeliverResult::no_deliveries:
        return fail("event " + event +
                        " has no webhook deliveries (no endpoint took its type when it happened)",
                    1);
      case webhooks::RedeliverResult::reset:
        break;
    }
    std::vector<webhooks::DeliveryRow> rows;
    (void)db.with_session([&](soci::session& sql) -> sdk::Status {
      rows = webhooks::DeliveryStore::list(sql, "", 1000, command.event_id);
      return {};
    });
    std::cout << "redelivering " << event << ":\n";
    for (const auto& r : rows)
      print_row(r);
    return 0;
  }
  return fail("unknown command \"" + command.verb + "\" (list, redeliver, public-key)", 2);
}

}  // namespace payhost::host
