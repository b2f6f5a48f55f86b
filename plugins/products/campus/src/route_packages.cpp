#include "payhost/sdk/database.hpp"
#include "request_body.hpp"
#include "roster.hpp"
#include "service.hpp"

namespace payhost::campus {
namespace {

sdk::Json item_json(const Package& p, sdk::Fen price, const std::string& label) {
  sdk::Json details = sdk::Json::array();
  for (const auto& d : p.details) {
    details.push_back({{"icon", d.icon}, {"title", d.title}, {"content", d.content}});
  }
  return {{"id", p.id},
          {"itemName", p.name},
          {"itemPrice", label},
          {"itemValue", yuan_value(price)},
          {"description", p.description},
          {"details", details}};
}

}  // namespace

sdk::Result<sdk::Json> Service::search_pay_packages(const sdk::HttpRequest& request) {
  auto body = parse_body(request);
  if (!body) return body.error();
  auto user_id = required_text(*body, "userID");
  if (!user_id) return user_id.error();
  auto type = required_code(*body, "type", 2);
  if (!type) return type.error();
  auto pay_type = required_code(*body, "payType", 2);
  if (!pay_type) return pay_type.error();
  if (auto st = may_act_for(request, *user_id); !st) return st.error();
  const auto package_type = static_cast<PackageType>(*type);

  std::optional<Student> student;
  std::vector<Subscription> subscriptions;
  auto st = sdk::with_session(host_.database(), [&](soci::session& sql) -> sdk::Status {
    student = find_student(sql, *user_id);
    if (student && *pay_type == 1) subscriptions = subscriptions_of(sql, *user_id, package_type);
    return {};
  });
  if (!st) return st.error();
  if (!student) return invalid("用户不存在: " + *user_id, "userID");

  const Catalogue& catalogue = settings_.catalogue;
  sdk::Json items = sdk::Json::array();
  if (*pay_type == 0) {
    for (const Package* p : catalogue.of_type(package_type)) {
      items.push_back(item_json(*p, p->price, price_label(p->price, p->validity)));
    }
  } else {
    auto active = active_package(subscriptions, catalogue, today());
    if (!active) return invalid("当前没有生效的套餐,无法升级", "payType");
    // Only packages above the active one, at the difference: the end date stays, so the
    // difference buys no period of its own and its label shows none.
    for (const Package* p : catalogue.of_type(package_type)) {
      if (p->price <= active->package->price) continue;
      const sdk::Fen difference = p->price - active->package->price;
      items.push_back(item_json(*p, difference, price_label(difference)));
    }
  }

  const Project& project = catalogue.project;
  return sdk::Json{{"empName", student->emp_name},
                   {"selectType", project.select_type},
                   {"qrCode", project.qr_code},
                   {"photo", student->photo},
                   {"cardNo", student->card_no},
                   {"wxAccount", project.wx_account},
                   {"alipayAccount", project.alipay_account},
                   {"unionPayAccount", project.union_pay_account},
                   {"projectDescription", project.description},
                   {"protocolUrl", project.protocol_url},
                   {"items", items}};
}

}  // namespace payhost::campus
