#include "events/event_outbox.hpp"

#include "charges/ids.hpp"
#include "payhost/sdk/json.hpp"
#include "storage/statement_cache.hpp"

namespace payhost::host::events {

namespace {

struct InsertEvent : StatementCache::Entry {
  std::string id, type, object_id, charge_id, app, payload;
  long long created = 0;
  int livemode = 0;
  soci::statement st;

  explicit InsertEvent(soci::session& sql)
      : st((sql.prepare << "INSERT INTO events (id, type, object_id, charge_id, app, livemode, "
                           "created, payload) VALUES (:id, :type, :oid, :cid, :app, :live, "
                           ":created, :payload)",
            soci::use(id), soci::use(type), soci::use(object_id), soci::use(charge_id),
            soci::use(app), soci::use(livemode), soci::use(created), soci::use(payload))) {}
};

struct InsertDelivery : StatementCache::Entry {
  std::string id, event_id, app, url;
  long long now = 0;
  soci::statement st;

  explicit InsertDelivery(soci::session& sql)
      : st((sql.prepare << "INSERT INTO webhook_deliveries (id, event_id, app, url, status, "
                           "attempts, next_attempt_at, created, updated) VALUES (:id, :eid, "
                           ":app, :url, 'pending', 0, :next, :created, :updated)",
            soci::use(id), soci::use(event_id), soci::use(app), soci::use(url), soci::use(now),
            soci::use(now), soci::use(now))) {}
};

}  // namespace

bool is_webhook_type(const std::string& type) {
  return type == "charge.succeeded" || type == "refund.succeeded";
}

std::vector<const WebhookEndpoint*> EventOutbox::endpoints_for(const std::string& app,
                                                               const std::string& type) const {
  std::vector<const WebhookEndpoint*> out;
  if (!is_webhook_type(type)) return out;
  const AppConfig* a = config_.app(app);
  if (!a) return out;
  for (const auto& e : a->webhooks) {
    if (e.wants(type)) out.push_back(&e);
  }
  return out;
}

std::string event_json(const std::string& id, const NewEvent& e, std::int64_t created,
                       int pending_webhooks) {
  // Written as text around the object's own text: the payload is stored and sent as is.
  std::string out = R"({"id":)";
  sdk::append_json_string(out, id);
  out += R"(,"created":)" + std::to_string(created);
  out += e.livemode ? R"(,"livemode":true)" : R"(,"livemode":false)";
  out += R"(,"type":)";
  sdk::append_json_string(out, e.type);
  out += R"(,"data":{"object":)" + e.object_json;
  out += R"(},"object":"event","pending_webhooks":)" + std::to_string(pending_webhooks);
  out += R"(,"request":null})";
  return out;
}

std::string EventOutbox::record(soci::session& sql, const NewEvent& e, std::int64_t now) const {
  const auto endpoints = endpoints_for(e.app, e.type);
  const std::string id = new_event_id();
  with_statement<InsertEvent>(sql, [&](InsertEvent& q) {
    q.id = id;
    q.type = e.type;
    q.object_id = e.object_id;
    q.charge_id = e.charge_id;
    q.app = e.app;
    q.livemode = e.livemode ? 1 : 0;
    q.created = now;
    q.payload = event_json(id, e, now, static_cast<int>(endpoints.size()));
    q.st.execute(true);
  });
  for (std::size_t i = 0; i < endpoints.size(); ++i) {
    with_statement<InsertDelivery>(sql, [&](InsertDelivery& q) {
      q.id = "whd_" + id.substr(4) + "_" + std::to_string(i);
      q.event_id = id;
      q.app = e.app;
      q.url = endpoints[i]->url;
      q.now = now;
      q.st.execute(true);
    });
  }
  return id;
}

}  // namespace payhost::host::events
