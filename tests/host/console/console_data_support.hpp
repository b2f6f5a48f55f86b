// What the console data tests share: the real payhostd (notifications, queries, webhooks)
// and, on its config and database, a host in this process whose console handlers the tests
// call directly (the session and CSRF checks around them are console_routes' and its tests').
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "config/config.hpp"
#include "console/console_handlers.hpp"
#include "flow_support.hpp"
#include "observability/logging.hpp"

namespace payhost::flow {

// A charge written straight into the table, for lists and figures.
struct SeedCharge {
  std::string id;
  long long created = 0;
  std::string channel = "testpay";
  std::string state = "pending";
  long long amount = 100;
  std::string user;
  std::string transaction_no;  // with state succeeded
  bool livemode = false;
};

class ConsoleData : public ::testing::TestWithParam<std::string> {
 protected:
  bool postgres() const { return GetParam() == "postgresql"; }

  void SetUp() override {
    if (postgres() && testing::postgres_url().empty()) {
      FAIL() << "PAYHOST_TEST_PG_URL is not set; CI always sets it, so this is an error";
    }
  }
  void TearDown() override {
    app_.reset();
    host_.reset();
  }

  // payhostd on `yaml`, and the in-process host on the same config and database.
  void start(const std::string& yaml = config()) {
    static const bool quiet = (host::init_logging("warn"), true);  // once per process
    (void)quiet;
    host_ = std::make_unique<Payhostd>(yaml, postgres());
    auto loaded = host::load_config(host_->config_path());
    if (!loaded) throw std::runtime_error(loaded.error().message);
    app_ = std::make_unique<host::App>(std::move(*loaded));
    check(app_->load_plugins());
    check(app_->open_database());
    check(app_->start_plugins());
  }

  const Payhostd& payhostd() const { return *host_; }
  host::App& app() { return *app_; }

  host::console::ConsoleServices services(int utc_offset_minutes = 480) {
    return host::console::ConsoleServices{app_->core(), app_->refunds(), utc_offset_minutes};
  }

  static host::console::ConsoleCaller caller() {
    host::console::ConsoleCaller c;
    c.operator_name = "alice";
    c.role = host::console::Role::finance;
    c.client_ip = "127.0.0.1";
    return c;
  }

  static sdk::HttpRequest get(const std::string& path,
                              const std::map<std::string, std::string>& query = {},
                              const std::string& id = {}) {
    sdk::HttpRequest r;
    r.method = "GET";
    r.path = path;
    r.query = query;
    if (!id.empty()) r.path_params["id"] = id;
    return r;
  }

  static Json body_of(const sdk::HttpResponse& r) { return Json::parse(r.body); }

  void seed(const std::vector<SeedCharge>& rows) {
    auto& core = app_->core();
    check(core.db.transact([&](soci::session& sql) -> sdk::Status {
      for (const auto& s : rows) {
        host::StoredCharge stored;
        stored.plugin = "testchannel";
        sdk::Charge& c = stored.charge;
        c.id = s.id;
        c.order_no = "o" + s.id.substr(3);
        c.app = "app_5anXP4ezfXvL8m5e";
        c.channel = s.channel;
        c.client_ip = "127.0.0.1";
        c.amount = s.amount;
        c.subject = "seed";
        c.body = "seed";
        c.livemode = s.livemode;
        c.state = *sdk::charge_state_from_string(s.state);
        c.created = s.created;
        c.time_expire = s.created + 3600;
        c.user_id = s.user;
        stored.next_check_at = s.created + 4000000000LL;  // never due for a janitor
        core.store.insert(sql, stored);
        if (!s.transaction_no.empty()) {
          long long paid = s.created;
          sql << "UPDATE charges SET transaction_no = :t, time_paid = :p WHERE id = :id",
              soci::use(s.transaction_no), soci::use(paid), soci::use(s.id);
        }
      }
      return {};
    }));
  }

  static void check(const sdk::Status& st) {
    if (!st) throw std::runtime_error(st.error().message);
  }

 private:
  std::unique_ptr<Payhostd> host_;
  std::unique_ptr<host::App> app_;
};

}  // namespace payhost::flow
