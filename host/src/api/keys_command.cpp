// `payhostd keys create|list|revoke`: API keys of the /v1 API. A key is printed once, at
// creation; the database keeps its SHA-256 only.
#include <iostream>

#include "api/api_keys.hpp"
#include "app/app.hpp"
#include "app/commands.hpp"
#include "app/system_clock.hpp"
#include "plugins/host_services.hpp"
#include "text/utc_time.hpp"

namespace payhost::host {

namespace {

int fail(const std::string& message, int code = 2) {
  std::cerr << "payhostd keys: " << message << "\n";
  return code;
}

bool is_key_id(const std::string& id) {
  return id.size() == 20 && id.starts_with("key_") &&
         id.find_first_not_of("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                              4) == std::string::npos;
}

}  // namespace

int run_keys_command(const KeysCommand& command) {
  auto config = load_config(command.config_path);
  if (!config) return fail(config.error().message);
  const std::string app_id =
      command.app.empty() && command.verb == "create" ? config->app_id : command.app;
  if (!app_id.empty() && !config->app(app_id)) {
    return fail("app " + app_id + " is not configured (apps in " + config->file + ")");
  }
  if (command.label.size() > 200) return fail("--label: at most 200 bytes");
  bool livemode = config->livemode;
  if (!command.mode.empty()) {
    if (command.mode != "test" && command.mode != "live") return fail("--mode: test or live");
    livemode = command.mode == "live";
  }
  if (command.verb == "revoke" && !is_key_id(command.key_id)) {
    return fail("KEY_ID must be key_ and 16 letters or digits (see payhostd keys list)");
  }

  App app(std::move(*config));
  if (auto st = app.load_plugins(); !st) return fail(st.error().message);
  if (auto st = app.open_database(); !st) return fail(st.error().message);
  const SystemClock clock;
  const api::ApiKeyStore keys;
  std::string out;
  int code = 0;
  sdk::Status st;
  if (command.verb == "create") {
    st = app.db().transact([&](soci::session& sql) -> sdk::Status {
      const auto created = keys.create(sql, app_id, livemode, command.label, clock.now());
      out = "created " + created.key.id + " for " + app_id + " (" + (livemode ? "live" : "test") +
            " mode)\n" + created.secret +
            "\nThe key is shown only now: keep it in the app's secrets.\n";
      return {};
    });
  } else if (command.verb == "list") {
    st = app.db().with_session([&](soci::session& sql) -> sdk::Status {
      out.clear();
      for (const auto& k : keys.list(sql, app_id)) {
        out += k.id + "  " + k.app + "  " + (k.livemode ? "live" : "test") + "  " + k.hint +
               "  created " + utc_iso8601(k.created) +
               (k.revoked ? "  REVOKED " + utc_iso8601(*k.revoked) : std::string()) +
               (k.label.empty() ? "" : "  " + k.label) + "\n";
      }
      if (out.empty()) out = "no API keys\n";
      return {};
    });
  } else if (command.verb == "revoke") {
    st = app.db().transact([&](soci::session& sql) -> sdk::Status {
      code = keys.revoke(sql, command.key_id, clock.now()) ? 0 : 1;
      out = code == 0 ? "revoked " + command.key_id + "\n"
                      : "no key " + command.key_id + " that is not revoked already\n";
      return {};
    });
  } else {
    return fail("unknown verb " + command.verb);
  }
  if (!st) return fail(st.error().message, 1);
  (code == 0 ? std::cout : std::cerr) << out;
  return code;
}

}  // namespace payhost::host
