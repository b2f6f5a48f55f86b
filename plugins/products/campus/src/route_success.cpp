#include <map>
#include <set>

#include "payhost/sdk/database.hpp"
#include "request_body.hpp"
#include "roster.hpp"
#include "service.hpp"

namespace payhost::campus {
namespace {

constexpr std::size_t kMaxIds = 50;

sdk::Json success_json(const StoredRecord& r, const std::optional<Student>& s) {
  const Student empty;
  const Student& student = s ? *s : empty;
  return {{"projectName", r.line.project_name},
          {"itemName", r.line.item_name},
          {"payStartDate", r.start_date},
          {"payEndDate", r.end_date},
          {"empName", student.emp_name},
          {"imei", student.imei},
          {"sim", student.sim},
          {"gradeName", student.grade_name},
          {"className", student.class_name},
          // The mobile the package was bought for (SMS), not the roster's current one.
          {"mobile", r.line.mobile}};
}

}  // namespace

sdk::Result<sdk::Json> Service::search_success_data(const sdk::HttpRequest& request) {
  auto body = parse_body(request);
  if (!body) return body.error();
  auto text = required_text(*body, "ids");
  if (!text) return text.error();
  auto ids = split_ids(*text, "ids", kMaxIds);
  if (!ids) return ids.error();

  std::vector<StoredRecord> records;
  auto load = [&]() -> sdk::Status {
    return sdk::with_session(host_.database(), [&](soci::session& sql) -> sdk::Status {
      records.clear();
      for (const auto& id : *ids) {
        auto r = find_record(sql, id);
        if (!r) return invalid("付款记录不存在: " + id, "ids");
        records.push_back(std::move(*r));
      }
      return {};
    });
  };
  if (auto st = load(); !st) return st.error();
  for (const auto& r : records) {
    // Someone else's record answers like a missing one: ids must not probe other students.
    if (!may_act_for(request, r.user_id)) return invalid("付款记录不存在: " + r.line.id, "ids");
  }

  // A pending order may have been paid while its notification is late or lost: ask the
  // channel through the core (which settles exactly once), at most once per interval per
  // order across all hosts, so polling clients cannot hammer the provider.
  std::set<std::string> asked;
  bool retrieved = false;
  for (const auto& r : records) {
    if (r.status != order_status::pending || r.charge_id.empty() ||
        !asked.insert(r.order_id).second) {
      continue;
    }
    bool claimed = false;
    auto st = sdk::transact(host_.database(), [&](soci::session& sql) -> sdk::Status {
      claimed =
          claim_check(sql, r.order_id, host_.clock().now(), settings_.retrieve_interval_seconds);
      return {};
    });
    if (!st || !claimed) continue;
    auto charge = host_.charges().retrieve(r.charge_id);
    if (!charge) {
      host_.logger().warn("campus: retrieve " + r.charge_id + " failed: " + charge.error().message);
    }
    retrieved = true;
  }
  if (retrieved) {
    if (auto st = load(); !st) return st.error();
  }
  for (const auto& r : records) {
    if (r.status != order_status::paid) return invalid("订单未支付", "ids");
  }

  std::map<std::string, std::optional<Student>> students;
  auto st = sdk::with_session(host_.database(), [&](soci::session& sql) -> sdk::Status {
    for (const auto& r : records) {
      if (!students.contains(r.user_id)) students[r.user_id] = find_student(sql, r.user_id);
    }
    return {};
  });
  if (!st) return st.error();

  if (records.size() == 1) return success_json(records.front(), students[records.front().user_id]);
  sdk::Json out = sdk::Json::array();
  for (const auto& r : records)
    out.push_back(success_json(r, students[r.user_id]));
  return out;
}

}  // namespace payhost::campus
