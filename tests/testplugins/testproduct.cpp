// A product plugin for testing the host, not shipped. It creates charges on any channel
// and counts how often its settlement hooks committed, so tests can prove exactly-once.
#include <atomic>

#include <soci/soci.h>

#include "payhost/sdk/sdk.hpp"

namespace payhost::testproduct {

using sdk::ErrorKind;
using sdk::HttpRequest;
using sdk::HttpResponse;
using sdk::Json;
using sdk::Status;

// The order row every create writes, prepared once per pooled connection.
struct InsertOrder : sdk::CachedStatement {
  std::string ref;
  soci::statement st;
  explicit InsertOrder(soci::session& sql)
      : st((sql.prepare << "INSERT INTO testproduct_orders (ref) VALUES (:r)", soci::use(ref))) {}
};

class TestProduct final : public sdk::ProductPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override {
    return {sdk::option::integer("fail_hook_for_amount",
                                 "settlement hooks of charges with this amount fail (to test "
                                 "rollback)")
                .with_default(0)};
  }

  std::vector<sdk::Migration> migrations() const override {
    const std::vector<std::string> ddl = {
        "CREATE TABLE testproduct_orders (ref TEXT PRIMARY KEY, succeeded_calls INTEGER NOT NULL "
        "DEFAULT 0, failed_calls INTEGER NOT NULL DEFAULT 0, late INTEGER NOT NULL DEFAULT 0)"};
    return {{1, "orders", ddl, ddl}};
  }

  std::vector<sdk::Route> routes() override {
    using sdk::AuthPolicy;
    return {
        {"POST", "/test/charges", AuthPolicy::none,
         sdk::guarded([this](const HttpRequest& r) { return create(r); }), true, false},
        {"POST", "/test/user/charges", AuthPolicy::user,
         sdk::guarded([this](const HttpRequest& r) { return create(r); }), true, false},
        {"GET", "/test/charges/{id}", AuthPolicy::none,
         sdk::guarded([this](const HttpRequest& r) { return show(r); }), false, false},
        // quick: answered on the HTTP thread when the database is SQLite.
        {"GET", "/test/orders/{ref}", AuthPolicy::none,
         sdk::guarded([this](const HttpRequest& r) { return order(r); }), false, false, true},
        // Changes fail_hook_for_amount while running: a settlement refused once and then
        // accepted, as the provider's retry finds it.
        {"POST", "/test/fail-hook", AuthPolicy::none,
         sdk::guarded([this](const HttpRequest& r) { return set_fail_hook(r); }), false, false},
        {"GET", "/test/quick/write", AuthPolicy::none,
         sdk::guarded([this](const HttpRequest&) { return quick_write(); }), false, false, true},
    };
  }

 protected:
  Status do_start(const sdk::Options& options, sdk::Host& host) override {
    host_ = &host;
    fail_amount_ = options.get_int("fail_hook_for_amount");
    return {};
  }

  Status do_on_charge_succeeded(sdk::SettlementContext& ctx) override {
    const sdk::Fen fail_amount = fail_amount_.load();
    if (fail_amount > 0 && ctx.charge.amount == fail_amount) {
      return sdk::make_error(ErrorKind::internal, "hook_failed", "configured to fail");
    }
    const int late = ctx.previous_state == sdk::ChargeState::pending ? 0 : 1;
    ctx.sql << "UPDATE testproduct_orders SET succeeded_calls = succeeded_calls + 1, late = :l "
               "WHERE ref = :r",
        soci::use(late), soci::use(ctx.charge.product_ref);
    return {};
  }

  Status do_on_charge_failed(sdk::SettlementContext& ctx) override {
    ctx.sql << "UPDATE testproduct_orders SET failed_calls = failed_calls + 1 WHERE ref = :r",
        soci::use(ctx.charge.product_ref);
    return {};
  }

 private:
  HttpResponse create(const HttpRequest& r) {
    const Json body = sdk::parse_json(r.body);
    if (!body.is_object()) return HttpResponse::json(400, Json{{"message", "JSON body required"}});
    const std::string ref = "o_" + sdk::crypto::time_ordered_alnum(16);
    sdk::NewCharge charge;
    // The order row commits with the charge (one transaction per create).
    charge.in_transaction = [this, ref](soci::session& sql, const sdk::Charge&) -> Status {
      sdk::with_statement<InsertOrder>(host_->database(), sql, [&](InsertOrder& insert) {
        insert.ref = ref;
        insert.st.execute(true);
      });
      return {};
    };
    charge.product_ref = ref;
    charge.metadata = Json{{"order_ref", ref}};
    charge.user_id = r.principal ? r.principal->user_id : "";
    charge.channel = body.value("channel", "");
    charge.amount = body.value("amount", static_cast<sdk::Fen>(0));
    charge.subject = body.value("subject", "test order");
    charge.body = body.value("body", "test order body");
    charge.client_ip = r.client_ip;
    charge.extra = body.contains("extra") ? body["extra"] : Json::object();
    auto created = host_->charges().create(charge);
    if (!created) {
      const auto& e = created.error();
      const int status = e.kind == ErrorKind::invalid_request ? 400 : 502;
      return HttpResponse::json(status, Json{{"error",
                                              {{"type", sdk::to_string(e.kind)},
                                               {"code", e.code},
                                               {"message", e.message},
                                               {"param", e.param}}}});
    }
    return HttpResponse::json_text(201, sdk::to_pingpp_json_text(*created));
  }

  HttpResponse show(const HttpRequest& r) {
    const std::string id = r.path_param("id");
    auto charge = r.query_param("mode") == "retrieve" ? host_->charges().retrieve(id)
                                                      : host_->charges().get(id);
    if (!charge) return HttpResponse::json(404, Json{{"message", charge.error().message}});
    return HttpResponse::json_text(200, sdk::to_pingpp_json_text(*charge));
  }

  HttpResponse order(const HttpRequest& r) {
    int succeeded = -1, failed = -1, late = 0;
    const std::string ref = r.path_param("ref");  // soci::use binds by reference: keep it alive
    Status st = sdk::with_session(host_->database(), [&](soci::session& sql) -> Status {
      sql << "SELECT succeeded_calls, failed_calls, late FROM testproduct_orders WHERE ref = :r",
          soci::use(ref), soci::into(succeeded), soci::into(failed), soci::into(late);
      return {};
    });
    if (!st || succeeded < 0) return HttpResponse::json(404, Json{{"message", "no such order"}});
    return HttpResponse::json(
        200, Json{{"succeeded_calls", succeeded}, {"failed_calls", failed}, {"late", late == 1}});
  }

  HttpResponse set_fail_hook(const HttpRequest& r) {
    const Json body = sdk::parse_json(r.body);
    if (!body.is_object() || !body.contains("amount") || !body["amount"].is_number_integer()) {
      return HttpResponse::json(400, Json{{"message", "{\"amount\": <integer fen>} required"}});
    }
    fail_amount_ = body["amount"].get<sdk::Fen>();
    return HttpResponse::json(200, Json{{"fail_hook_for_amount", fail_amount_.load()}});
  }

  // A quick route that breaks its promise and starts a transaction.
  HttpResponse quick_write() {
    Status st = sdk::transact(host_->database(), [](soci::session&) -> Status { return {}; });
    if (!st) return HttpResponse::json(500, Json{{"code", st.error().code}});
    return HttpResponse::json(200, Json{{"wrote", true}});
  }

  sdk::Host* host_ = nullptr;
  std::atomic<sdk::Fen> fail_amount_{0};
};

}  // namespace payhost::testproduct

PAYHOST_REGISTER_PLUGIN(PAYHOST_PLUGIN_PRODUCT, "testproduct", "0.1.0",
                        "Test product: creates charges on any channel, counts settlement hooks",
                        payhost::testproduct::TestProduct);
