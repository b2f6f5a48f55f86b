// The events outbox: one row per thing that happened to a charge or refund, written in
// the transaction that made it happen, with one webhook delivery per endpoint of the
// object's app that takes the event's type. Webhook delivery reads only these rows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <soci/soci.h>

#include "config/config.hpp"

namespace payhost::host::events {

// Event types Ping++ delivers; the others (charge.closed, charge.failed) are recorded for
// the operator but never sent, as Ping++ sends only success events.
bool is_webhook_type(const std::string& type);

struct NewEvent {
  std::string type;         // "charge.succeeded", "refund.succeeded", ...
  std::string object_id;    // the charge's or refund's id
  std::string charge_id;    // the charge it concerns
  std::string app;          // the object's app
  bool livemode = false;    // the object's mode
  std::string object_json;  // data.object, as the API shows it
};

class EventOutbox {
 public:
  explicit EventOutbox(const Config& config) : config_(config) {}

  // Inserts the event ("evt_" + 24) and its deliveries inside the caller's transaction and
  // returns the event's id. A second event of one type for one object fails on the unique
  // index (events_object_type), rolling the caller's transaction back.
  std::string record(soci::session& sql, const NewEvent& event, std::int64_t now) const;

  // The endpoints of `app` that take `type`.
  std::vector<const WebhookEndpoint*> endpoints_for(const std::string& app,
                                                    const std::string& type) const;

 private:
  const Config& config_;
};

// Ping++'s event object as text: {"id","created","livemode","type","data":{"object":..},
// "object":"event","pending_webhooks","request":null}.
std::string event_json(const std::string& id, const NewEvent& event, std::int64_t created,
                       int pending_webhooks);

}  // namespace payhost::host::events
