// What the charge core's parts share: database, store, plugins, metrics, clock, config.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "charges/charge_store.hpp"
#include "config/config.hpp"
#include "events/event_outbox.hpp"
#include "observability/metrics.hpp"
#include "payhost/sdk/host.hpp"
#include "plugins/plugin_registry.hpp"
#include "storage/database.hpp"

namespace payhost::host {

struct CoreContext {
  Db& db;
  ChargeStore store;
  PluginRegistry& plugins;
  Metrics& metrics;
  const sdk::Clock& clock;
  const Config& config;
  std::function<std::string(std::string_view)> notify_url;  // plugin -> URL
  events::EventOutbox outbox;
};

// The provider-facing reference to a stored charge.
sdk::TradeRef trade_ref(const sdk::Charge& charge);

}  // namespace payhost::host
