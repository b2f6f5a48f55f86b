#include "campus_plugin.hpp"

#include "envelope.hpp"
#include "migrations.hpp"
#include "payhost/sdk/database.hpp"

namespace payhost::campus {

std::vector<sdk::OptionSpec> CampusPlugin::option_specs() const {
  return campus::option_specs();
}

sdk::Status CampusPlugin::do_validate(const sdk::Options& options) const {
  auto parsed = parse_settings(options);
  if (!parsed) return parsed.error();
  return {};
}

sdk::Status CampusPlugin::do_start(const sdk::Options& options, sdk::Host& host) {
  auto settings = parse_settings(options);
  if (!settings) return settings.error();
  host_ = &host;
  if (settings->auth == AuthMode::none) {
    host.logger().warn(
        "campus: auth is none: anyone can list packages and pay for any student; use jwt or "
        "api_key unless legacy clients leave no choice");
  }
  host.logger().info("campus: " + std::to_string(settings->catalogue.packages.size()) +
                     " packages in project \"" + settings->catalogue.project.name + "\"");
  service_ = std::make_unique<Service>(std::move(*settings), host);
  return {};
}

sdk::Status CampusPlugin::not_started() const {
  return sdk::make_error(sdk::ErrorKind::internal, "not_started", "campus: plugin not started");
}

sdk::RouteHandler CampusPlugin::wrap(Handler handler) {
  return sdk::guarded([this, handler](const sdk::HttpRequest& request) -> sdk::HttpResponse {
    if (!service_) return error_response("服务未启动", 503);
    if (auto st = service_->check_caller(request); !st) return error_response(st.error().message);
    auto result = (service_.get()->*handler)(request);
    if (result) return ok_response(*result);
    return failure(request, result.error());
  });
}

sdk::RouteHandler CampusPlugin::wrap(TextHandler handler) {
  return sdk::guarded([this, handler](const sdk::HttpRequest& request) -> sdk::HttpResponse {
    if (!service_) return error_response("服务未启动", 503);
    if (auto st = service_->check_caller(request); !st) return error_response(st.error().message);
    auto result = (service_.get()->*handler)(request);
    if (result) return ok_text_response(*result);
    return failure(request, result.error());
  });
}

sdk::HttpResponse CampusPlugin::failure(const sdk::HttpRequest& request,
                                        const sdk::Error& e) const {
  if (e.kind == sdk::ErrorKind::internal || e.kind == sdk::ErrorKind::retry) {
    // The cause goes to the log; the client learns only that it was our fault.
    host_->logger().error("campus: " + request.path + ": " + e.code + ": " + e.message);
    return error_response("服务器内部错误,请稍后重试", 500);
  }
  return error_response(e.message);
}

sdk::HttpResponse CampusPlugin::admin_failure(const sdk::HttpRequest& request,
                                              const sdk::Error& e) const {
  switch (e.kind) {
    case sdk::ErrorKind::invalid_request:
      return error_response(e.message, 400);
    case sdk::ErrorKind::unauthorized:
      return error_response(e.message, 401);
    case sdk::ErrorKind::forbidden:
      return error_response(e.message, 403);
    default:
      break;
  }
  host_->logger().error("campus: " + request.path + ": " + e.code + ": " + e.message);
  return error_response("服务器内部错误,请稍后重试", 500);
}

sdk::RouteHandler CampusPlugin::admin_json(Handler handler) {
  return sdk::guarded([this, handler](const sdk::HttpRequest& request) -> sdk::HttpResponse {
    if (!service_) return error_response("服务未启动", 503);
    auto result = (service_.get()->*handler)(request);
    if (result) return sdk::HttpResponse::json(200, *result);
    return admin_failure(request, result.error());
  });
}

sdk::RouteHandler CampusPlugin::admin_csv() {
  return sdk::guarded([this](const sdk::HttpRequest& request) -> sdk::HttpResponse {
    if (!service_) return error_response("服务未启动", 503);
    auto result = service_->admin_orders_csv(request);
    if (!result) return admin_failure(request, result.error());
    auto response =
        sdk::HttpResponse::text(200, std::move(result->body), "text/csv; charset=utf-8");
    response.headers.set("Content-Disposition",
                         "attachment; filename=\"" + result->filename + "\"");
    return response;
  });
}

std::vector<sdk::Route> CampusPlugin::routes() {
  // The host authenticates a bearer token if one is sent (optional); Service decides what
  // each auth mode requires, so failures use the API's own envelope.
  const std::string prefix = service_ ? service_->settings().web_path : std::string();
  const auto auth = sdk::AuthPolicy::optional;
  std::vector<sdk::Route> out;
  out.push_back(sdk::Route{"POST", prefix + "/api/Pay/SearchPayPackages", auth,
                           wrap(&Service::search_pay_packages)});
  sdk::Route pay{"POST", prefix + "/api/Pay/PayMoney", auth, wrap(&Service::pay_money)};
  pay.idempotent = true;  // a client retrying with an Idempotency-Key gets the same charge
  out.push_back(std::move(pay));
  out.push_back(sdk::Route{"POST", prefix + "/api/Pay/SearchSuccessData", auth,
                           wrap(&Service::search_success_data)});
  // The console's: the host admits an admin token or an operator's console session.
  sdk::Route list{"GET", prefix + "/admin/orders", sdk::AuthPolicy::admin,
                  admin_json(&Service::admin_orders)};
  list.quick = true;  // one indexed page read
  out.push_back(std::move(list));
  out.push_back(
      sdk::Route{"GET", prefix + "/admin/orders.csv", sdk::AuthPolicy::admin, admin_csv()});
  return out;
}

std::vector<sdk::Migration> CampusPlugin::migrations() const {
  return campus_migrations();
}

std::vector<sdk::Command> CampusPlugin::commands() {
  auto run =
      [this](int (Service::*command)(const std::vector<std::string>&, std::string&, std::string&)) {
        return [this, command](const std::vector<std::string>& args, std::string& out,
                               std::string& err) -> int {
          if (!service_) {
            err = "campus: plugin not started\n";
            return 1;
          }
          try {
            return (service_.get()->*command)(args, out, err);
          } catch (const std::exception& e) {
            err += std::string("campus: ") + e.what() + "\n";
            return 1;
          } catch (...) {
            err += "campus: unexpected error\n";
            return 1;
          }
        };
      };
  return {
      sdk::Command{"import", "import FILE.csv [--dry-run]",
                   "Upsert students by userID from a CSV with a header row (userID, empName, "
                   "photo, cardNo, imei, sim, gradeName, className, mobile); any bad row is "
                   "reported with its line number and nothing is imported",
                   run(&Service::import_roster)},
      sdk::Command{"export", "export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv]",
                   "Write paid records (by payment date, school time) as CSV",
                   run(&Service::export_records)},
  };
}

// Only the admin routes have a policy the host can refuse (the shop's are `optional`), so
// these carry the HTTP status the console reads.
sdk::HttpResponse CampusPlugin::auth_failure(const sdk::Error& error) const {
  return error.kind == sdk::ErrorKind::forbidden ? error_response("无权访问", 403)
                                                 : error_response("登录已失效,请重新登录", 401);
}

sdk::Status CampusPlugin::do_on_charge_succeeded(sdk::SettlementContext& context) {
  if (!service_) return not_started();
  try {
    return service_->settle(context.sql, context.charge);
  } catch (...) {
    // Keeps lock contention a `retry` for the host instead of a generic plugin failure.
    return sdk::database_error_from_current_exception();
  }
}

sdk::Status CampusPlugin::do_on_charge_failed(sdk::SettlementContext& context) {
  if (!service_) return not_started();
  try {
    return service_->close(context.sql, context.charge);
  } catch (...) {
    return sdk::database_error_from_current_exception();
  }
}

}  // namespace payhost::campus
