// POST /notify/{plugin}: verify -> cross-check against the stored charge -> settle.
#pragma once

#include <string>

#include "charges/core_context.hpp"
#include "charges/settlement.hpp"
#include "payhost/sdk/http.hpp"

namespace payhost::host {

class NotificationHandler {
 public:
  NotificationHandler(CoreContext& ctx, Settlement& settlement)
      : ctx_(ctx), settlement_(settlement) {}

  sdk::HttpResponse handle(const std::string& plugin, const sdk::HttpRequest& request);

 private:
  // Logs a suspicious notification, records it and counts it; returns the refusal reply.
  sdk::HttpResponse refuse(PluginEntry& entry, const std::string& order_no,
                           const std::string& reason, const std::string& detail);

  CoreContext& ctx_;
  Settlement& settlement_;
};

}  // namespace payhost::host
