// Product plugins decide what money buys: they serve routes, own their tables and react
// to settled charges inside the host's transaction.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/plugin.hpp"
#include "payhost/sdk/result.hpp"
#include "payhost/sdk/simulator.hpp"

namespace soci {
class session;
}

namespace payhost::sdk {

enum class AuthPolicy {
  none,      // no authentication (the plugin may check its own credentials)
  optional,  // a valid bearer token sets request.principal; a missing one is allowed
  user,      // a valid bearer token is required
  admin,     // a valid bearer token of an admin is required
};

using RouteHandler = std::function<HttpResponse(const HttpRequest&)>;

struct Route {
  std::string method;  // GET, POST, PATCH, PUT, DELETE
  std::string path;    // "/api/v2/wallet/charges/{id}"; {name} captures one segment
  AuthPolicy auth = AuthPolicy::user;
  RouteHandler handler;
  // Honour an Idempotency-Key header: replay the first response for the same key and
  // body, refuse the same key with another body.
  bool idempotent = false;
  // Run on the host's service pool instead of the API pool: for routes that the host
  // itself calls back into (the sandbox), so they can never starve the API pool.
  bool service_pool = false;
  // The handler only computes, or reads the database briefly: no transaction, no outbound
  // call, no waiting on anything. On SQLite the host then answers on the HTTP thread that
  // received the request instead of handing it to a worker (a thread hop saved per
  // request). Honoured for GET routes without `idempotent`; a transaction started from
  // such a handler fails with an internal error.
  bool quick = false;
};

// One schema step. The host runs each owner's steps in version order, once, under a lock
// shared by all hosts on the database, and records them in schema_versions.
struct Migration {
  int version = 0;
  std::string description;
  std::vector<std::string> sqlite;      // statements for SQLite
  std::vector<std::string> postgresql;  // statements for PostgreSQL
};

// A command line verb, run as `payhostd <product> <verb> [args...]`.
struct Command {
  std::string verb;
  std::string usage;
  std::string description;
  // Returns the process exit code; writes its output to `out` and errors to `err`.
  std::function<int(const std::vector<std::string>& args, std::string& out, std::string& err)> run;
};

// What a settlement hook sees: the host's open transaction and the charge as it now is.
struct SettlementContext {
  soci::session& sql;
  const Charge& charge;
  ChargeState previous_state;  // pending, or closed/failed for a late payment
};

class ProductPlugin : public Plugin {
 public:
  ProductPlugin* as_product() noexcept override { return this; }

  virtual std::vector<Route> routes() = 0;
  virtual std::vector<Migration> migrations() const { return {}; }
  virtual std::vector<Command> commands() { return {}; }
  // A provider simulator (test mode only): the product plugin that plays a provider
  // returns it here, and the cashier finds it through Host::simulator_for. The plugin
  // owns it; it lives until stop().
  virtual Simulator* simulator() noexcept { return nullptr; }

  // The product's envelope for authentication failures on its routes (the seed APIs
  // differ: ThinkSNS+ answers 401 {"message":"Unauthenticated."}).
  virtual HttpResponse auth_failure(const Error& error) const;

  // Run inside the host's settlement transaction, exactly once per transition. An error
  // rolls the whole settlement back (the provider will notify again).
  Status on_charge_succeeded(SettlementContext& context) noexcept;
  Status on_charge_failed(SettlementContext& context) noexcept;  // failed or closed

 protected:
  virtual Status do_on_charge_succeeded(SettlementContext& context) = 0;
  virtual Status do_on_charge_failed(SettlementContext&) { return {}; }
};

// Wraps a route handler so that an exception becomes a 500 inside the plugin instead of
// crossing into the host.
RouteHandler guarded(RouteHandler handler);

}  // namespace payhost::sdk
