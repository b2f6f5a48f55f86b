// The product plugin object the host loads: option table, routes, schema, commands and
// settlement hooks, all delegating to the Service built at start.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "payhost/sdk/product.hpp"
#include "service.hpp"

namespace payhost::campus {

class CampusPlugin final : public sdk::ProductPlugin {
 public:
  std::vector<sdk::OptionSpec> option_specs() const override;
  std::vector<sdk::Route> routes() override;
  std::vector<sdk::Migration> migrations() const override;
  std::vector<sdk::Command> commands() override;
  sdk::HttpResponse auth_failure(const sdk::Error& error) const override;

 protected:
  sdk::Status do_validate(const sdk::Options& options) const override;
  sdk::Status do_start(const sdk::Options& options, sdk::Host& host) override;
  sdk::Status do_on_charge_succeeded(sdk::SettlementContext& context) override;
  sdk::Status do_on_charge_failed(sdk::SettlementContext& context) override;

 private:
  using Handler = sdk::Result<sdk::Json> (Service::*)(const sdk::HttpRequest&);
  using TextHandler = sdk::Result<std::string> (Service::*)(const sdk::HttpRequest&);
  sdk::RouteHandler wrap(Handler handler);
  // For handlers whose data is JSON text already (PayMoney: the charge as text).
  sdk::RouteHandler wrap(TextHandler handler);
  // The admin routes: no campus auth mode (the host admits admins only), HTTP statuses
  // that say what went wrong (the console reads them), errors in the campus envelope.
  sdk::RouteHandler admin_json(Handler handler);
  sdk::RouteHandler admin_csv();
  // The envelope for an error result, the cause logged when it is ours.
  sdk::HttpResponse failure(const sdk::HttpRequest& request, const sdk::Error& e) const;
  sdk::HttpResponse admin_failure(const sdk::HttpRequest& request, const sdk::Error& e) const;
  sdk::Status not_started() const;

  sdk::Host* host_ = nullptr;
  std::unique_ptr<Service> service_;
};

}  // namespace payhost::campus
