// The campus product behind the plugin object: one instance per start, built from the
// validated settings. Route handlers return data or an Error whose message is the Chinese
// text the client shows; the plugin wraps them into the API envelope.
#pragma once

#include <string>
#include <vector>

#include "options.hpp"
#include "orders.hpp"
#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/host.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace soci {
class session;
}

namespace payhost::campus {

class Service {
 public:
  Service(Settings settings, sdk::Host& host) : settings_(std::move(settings)), host_(host) {}

  const Settings& settings() const { return settings_; }

  // Authentication every route needs before its body is read (auth.cpp).
  sdk::Status check_caller(const sdk::HttpRequest& request) const;

  // POST {WebPath}/api/Pay/SearchPayPackages (route_packages.cpp)
  sdk::Result<sdk::Json> search_pay_packages(const sdk::HttpRequest& request);
  // POST {WebPath}/api/Pay/PayMoney (route_pay.cpp): the data as JSON text, the charge's
  // own text spliced in.
  sdk::Result<std::string> pay_money(const sdk::HttpRequest& request);
  // POST {WebPath}/api/Pay/SearchSuccessData (route_success.cpp)
  sdk::Result<sdk::Json> search_success_data(const sdk::HttpRequest& request);

  // Inside the host's settlement transaction (settlement.cpp).
  sdk::Status settle(soci::session& sql, const sdk::Charge& charge);
  sdk::Status close(soci::session& sql, const sdk::Charge& charge);

  // `payhostd campus import|export` (commands.cpp).
  int import_roster(const std::vector<std::string>& args, std::string& out, std::string& err);
  int export_records(const std::vector<std::string>& args, std::string& out, std::string& err);
  // The paid records of school dates [from, to] as the CSV `campus export` writes, which the
  // admin download sends too; `count` is set to the number of records.
  sdk::Result<std::string> export_csv(const Date& from, const Date& to, std::size_t& count);

  // GET {WebPath}/admin/orders and /admin/orders.csv (route_admin.cpp). The host lets only
  // admins (an admin token or a console session) through; these check it again.
  sdk::Result<sdk::Json> admin_orders(const sdk::HttpRequest& request);
  struct CsvDownload {
    std::string filename;
    std::string body;
  };
  sdk::Result<CsvDownload> admin_orders_csv(const sdk::HttpRequest& request);

 private:
  // The caller may act for `user_id`: with jwt the token's subject (or an admin).
  sdk::Status may_act_for(const sdk::HttpRequest& request, const std::string& user_id) const;
  Date today() const;

  Settings settings_;
  sdk::Host& host_;
};

// The student's current package of a type, which upgrades start from: the most expensive
// active one still in the catalogue (ties: the one that lasts longer).
struct ActivePackage {
  const Package* package = nullptr;
  Subscription subscription;
};
std::optional<ActivePackage> active_package(const std::vector<Subscription>& subscriptions,
                                            const Catalogue& catalogue, const Date& today);

}  // namespace payhost::campus
