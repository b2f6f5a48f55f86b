// What a paid order buys. Runs inside the host's settlement transaction: everything here
// commits or rolls back together with the charge's own transition.
#include <soci/soci.h>

#include "service.hpp"

namespace payhost::campus {
namespace {

struct Applied {
  Period period;
  std::string mobile;
};

Applied apply_extension(soci::session& sql, const OrderState& order, const RecordLine& line,
                        const Date& today, long long now) {
  auto current = find_subscription(sql, order.user_id, line.type, line.item_id);
  const bool extends = current && is_active(current->end, today);
  const Period period = extension_period(
      today, current ? std::optional<Date>(current->end) : std::nullopt, line.validity);
  // An SMS package keeps serving the number it was bought for while it runs on.
  const std::string mobile = extends && !current->mobile.empty() ? current->mobile : line.mobile;
  put_subscription(sql, order.user_id,
                   Subscription{line.type, line.item_id, extends ? current->start : period.start,
                                period.end, mobile},
                   now);
  return Applied{period, mobile};
}

Applied apply_upgrade(soci::session& sql, const OrderState& order, const RecordLine& line,
                      const Date& today, long long now, sdk::Logger& log) {
  auto from = find_subscription(sql, order.user_id, line.type, line.from_item_id);
  // The replaced package's end as it is now (a renewal since the sale counts); if another
  // upgrade replaced it meanwhile, the end it had when this upgrade was sold.
  Date end = from ? from->end : parse_date(line.base_end).value_or(today);
  if (auto own = find_subscription(sql, order.user_id, line.type, line.item_id);
      own && own->end > end) {
    end = own->end;  // never shorten a period already paid for the target package
  }
  if (!is_active(end, today)) {
    log.warn("campus: upgrade record " + line.id + " paid after " + line.from_item_id +
             " expired (" + format_date(end) + "); it needs a manual look");
  }
  const Period period = upgrade_period(today, end);
  const std::string mobile = from && !from->mobile.empty() ? from->mobile : line.mobile;
  if (from && line.from_item_id != line.item_id) {
    delete_subscription(sql, order.user_id, line.type, line.from_item_id);
  }
  put_subscription(sql, order.user_id,
                   Subscription{line.type, line.item_id, period.start, period.end, mobile}, now);
  return Applied{period, mobile};
}

}  // namespace

sdk::Status Service::settle(soci::session& sql, const sdk::Charge& charge) {
  auto order = find_order(sql, charge.product_ref);
  if (!order) {
    return sdk::make_error(sdk::ErrorKind::internal, "campus_order_missing",
                           "campus: no order " + charge.product_ref + " for charge " + charge.id);
  }
  const long long now = host_.clock().now();
  // "Today" is the day the money was paid, in the school's zone, even when the
  // notification or the janitor's query arrives later.
  const long long paid_at = charge.time_paid.value_or(now);
  const Date today = date_from_unix(paid_at, settings_.utc_offset_minutes);
  // The host settles once per transition; this compare-and-set makes a repeated call a
  // no-op all the same.
  if (!claim_paid(sql, order->id, charge.id, paid_at, format_date(today))) return {};

  for (const StoredRecord& record : records_of_order(sql, order->id)) {
    const Applied applied =
        order->pay_type == PayType::upgrade
            ? apply_upgrade(sql, *order, record.line, today, now, host_.logger())
            : apply_extension(sql, *order, record.line, today, now);
    set_record_period(sql, record.line.id, applied.period, applied.mobile);
  }
  return {};
}

sdk::Status Service::close(soci::session& sql, const sdk::Charge& charge) {
  close_order(sql, charge.product_ref, order_status::closed);
  return {};
}

}  // namespace payhost::campus
