// GET {WebPath}/admin/orders (the console's list of the shop's orders) and
// GET {WebPath}/admin/orders.csv (the paid records `payhostd campus export` writes).
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "payhost/sdk/database.hpp"
#include "request_body.hpp"
#include "service.hpp"

namespace payhost::campus {
namespace {

constexpr int kPageSize = 50;
constexpr long long kMaxPage = 100000;  // keeps OFFSET (and its index walk) bounded
constexpr int kDefaultDays = 30;
constexpr int kMaxDays = 366;

std::int64_t epoch_day(const Date& d) {
  namespace chr = std::chrono;
  const chr::sys_days day{chr::year{d.year} / chr::month{static_cast<unsigned>(d.month)} /
                          chr::day{static_cast<unsigned>(d.day)}};
  return day.time_since_epoch().count();
}

// Unix seconds of midnight starting `d` in the school's zone.
std::int64_t day_start(const Date& d, int utc_offset_minutes) {
  return epoch_day(d) * 86400 - std::int64_t{utc_offset_minutes} * 60;
}

// ISO 8601 in the school's zone: 2024-01-31T10:00:00+08:00.
std::string local_time(std::int64_t unix_seconds, int utc_offset_minutes) {
  const std::int64_t local = unix_seconds + std::int64_t{utc_offset_minutes} * 60;
  const std::int64_t second_of_day = ((local % 86400) + 86400) % 86400;
  const int offset = std::abs(utc_offset_minutes);
  char buf[40];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d%c%02d:%02d",
                static_cast<int>(second_of_day / 3600), static_cast<int>(second_of_day / 60 % 60),
                static_cast<int>(second_of_day % 60), utc_offset_minutes < 0 ? '-' : '+',
                offset / 60, offset % 60);
  return format_date(date_from_unix(unix_seconds, utc_offset_minutes)) + buf;
}

struct DateRange {
  Date from;
  Date to;  // inclusive
};

// from/to as school dates; missing: the last kDefaultDays days up to `to` (default today).
sdk::Result<DateRange> date_range(const sdk::HttpRequest& request, const Date& today) {
  auto read = [&](const char* name) -> sdk::Result<std::optional<Date>> {
    const std::string text = request.query_param(name);
    if (text.empty()) return std::optional<Date>{};
    auto date = parse_date(text);
    if (!date) return invalid(std::string("参数错误: ") + name + " 必须是日期 YYYY-MM-DD", name);
    return std::optional<Date>{*date};
  };
  auto from = read("from");
  if (!from) return from.error();
  auto to = read("to");
  if (!to) return to.error();
  DateRange range;
  range.to = to->value_or(today);
  range.from = from->value_or(add_days(range.to, -(kDefaultDays - 1)));
  if (range.to < range.from) return invalid("参数错误: to 早于 from", "to");
  if (epoch_day(range.to) - epoch_day(range.from) + 1 > kMaxDays) {
    return invalid("参数错误: 日期范围不能超过 " + std::to_string(kMaxDays) + " 天", "from");
  }
  return range;
}

sdk::Result<long long> page_number(const sdk::HttpRequest& request) {
  const std::string text = request.query_param("page");
  if (text.empty()) return 1LL;
  long long page = 0;
  bool ok = text.size() <= 6;
  for (char c : text) {
    ok = ok && c >= '0' && c <= '9';
    if (ok) page = page * 10 + (c - '0');
  }
  if (!ok || page < 1 || page > kMaxPage) {
    return invalid("参数错误: page 必须是 1 到 " + std::to_string(kMaxPage) + " 的整数", "page");
  }
  return page;
}

sdk::Result<std::string> status_filter(const sdk::HttpRequest& request) {
  const std::string status = request.query_param("status");
  for (const char* known :
       {order_status::pending, order_status::paid, order_status::failed, order_status::closed}) {
    if (status == known) return status;
  }
  if (status.empty()) return status;
  return invalid("参数错误: status 只能是 pending/paid/failed/closed", "status");
}

// The host admits only admins to these routes; a route wired without that policy must
// still answer nothing.
sdk::Status require_admin(const sdk::HttpRequest& request) {
  if (!request.principal) {
    return sdk::make_error(sdk::ErrorKind::unauthorized, "unauthenticated",
                           "未登录或登录已过期,请重新登录");
  }
  if (!request.principal->admin) {
    return sdk::make_error(sdk::ErrorKind::forbidden, "forbidden", "无权访问");
  }
  return {};
}

sdk::Json order_json(const OrderListing& o, int utc_offset_minutes) {
  sdk::Json packages = sdk::Json::array();
  for (const RecordLine& line : o.lines) {
    packages.push_back({{"record_id", line.id},
                        {"item_id", line.item_id},
                        {"name", line.item_name},
                        {"type", package_type_text(line.type)},
                        {"amount", line.amount}});
  }
  return {
      {"id", o.id},
      {"charge_id", o.charge_id.empty() ? sdk::Json() : sdk::Json(o.charge_id)},
      {"user_id", o.user_id},
      {"emp_name", o.emp_name},
      {"pay_type", pay_type_text(o.pay_type)},
      {"channel", o.channel},
      {"amount", o.amount},
      {"status", o.status},
      {"created_at", local_time(o.created_at, utc_offset_minutes)},
      {"paid_at", o.paid_at ? sdk::Json(local_time(*o.paid_at, utc_offset_minutes)) : sdk::Json()},
      {"packages", std::move(packages)}};
}

}  // namespace

sdk::Result<sdk::Json> Service::admin_orders(const sdk::HttpRequest& request) {
  if (auto st = require_admin(request); !st) return st.error();
  auto range = date_range(request, today());
  if (!range) return range.error();
  auto page = page_number(request);
  if (!page) return page.error();
  auto status = status_filter(request);
  if (!status) return status.error();

  const int offset_minutes = settings_.utc_offset_minutes;
  std::vector<OrderListing> orders;
  auto st = sdk::with_session(host_.database(), [&](soci::session& sql) -> sdk::Status {
    // One row past the page tells whether another page follows.
    orders = list_orders(sql, day_start(range->from, offset_minutes),
                         day_start(add_days(range->to, 1), offset_minutes), *status, kPageSize + 1,
                         (*page - 1) * kPageSize);
    return {};
  });
  if (!st) return st.error();
  const bool has_more = orders.size() > static_cast<std::size_t>(kPageSize);
  if (has_more) orders.resize(kPageSize);

  sdk::Json list = sdk::Json::array();
  for (const auto& o : orders)
    list.push_back(order_json(o, offset_minutes));
  return sdk::Json{{"orders", std::move(list)},    {"page", *page},
                   {"has_more", has_more},         {"from", format_date(range->from)},
                   {"to", format_date(range->to)}, {"utc_offset_minutes", offset_minutes}};
}

sdk::Result<Service::CsvDownload> Service::admin_orders_csv(const sdk::HttpRequest& request) {
  if (auto st = require_admin(request); !st) return st.error();
  auto range = date_range(request, today());
  if (!range) return range.error();
  std::size_t count = 0;
  auto csv = export_csv(range->from, range->to, count);
  if (!csv) return csv.error();
  // Both dates passed parse_date: the name holds digits and dashes only.
  return CsvDownload{
      "campus-orders-" + format_date(range->from) + "-" + format_date(range->to) + ".csv",
      std::move(*csv)};
}

}  // namespace payhost::campus
