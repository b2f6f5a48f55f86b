#include <algorithm>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/database.hpp"
#include "request_body.hpp"
#include "roster.hpp"
#include "service.hpp"

namespace payhost::campus {
namespace {

// At most this many packages in one payment: the API is for a parent paying a few.
constexpr std::size_t kMaxItems = 20;

const char* type_name(PackageType t) {
  return t == PackageType::sms ? "短信" : "一卡通";
}

// The host's charge errors in the API's words; the param tells the client what to fix.
sdk::Error charge_error(const sdk::Error& e, const std::string& channel) {
  if (e.code == "channel_not_enabled") return invalid("支付渠道未开通: " + channel, "channel");
  if (e.code == "extra_missing") return invalid("缺少支付参数: " + e.param, e.param);
  if (e.code == "extra_invalid") return invalid("支付参数错误: " + e.param, e.param);
  if (e.code == "amount_invalid") return invalid("金额不正确", "amount");
  if (e.code == "subject_invalid") return invalid("参数错误: subject 必须是1到32个字符", "subject");
  if (e.code == "body_invalid") return invalid("参数错误: body 必须是1到128个字符", "body");
  switch (e.kind) {
    case sdk::ErrorKind::channel:
    case sdk::ErrorKind::unavailable:
      return sdk::make_error(e.kind, e.code, "支付渠道暂时不可用,请稍后重试", e.param);
    case sdk::ErrorKind::invalid_request:
      return invalid(
          "参数错误: " + (e.param.empty() ? e.message : e.param + " (" + e.message + ")"), e.param);
    default:
      return e;
  }
}

}  // namespace

sdk::Result<sdk::Json> Service::pay_money(const sdk::HttpRequest& request) {
  auto body = parse_body(request);
  if (!body) return body.error();
  std::string fields[6];
  const char* names[6] = {"channel", "subject", "body", "userID", "empName", "itemIDs"};
  for (int i = 0; i < 6; ++i) {
    auto v = required_text(*body, names[i]);
    if (!v) return v.error();
    fields[i] = std::move(*v);
  }
  const std::string &channel = fields[0], &subject = fields[1], &text = fields[2],
                    &user_id = fields[3], &emp_name = fields[4];
  auto code = required_code(*body, "type", 3);
  if (!code) return code.error();
  const auto pay_type = static_cast<PayType>(*code);
  auto amount = required_amount(*body);
  if (!amount) return amount.error();
  auto item_type = optional_code(*body, "itemType", 2);
  if (!item_type) return item_type.error();
  auto request_extra = optional_extra(*body);
  if (!request_extra) return request_extra.error();
  if (auto st = may_act_for(request, user_id); !st) return st.error();

  auto ids = split_ids(fields[5], "itemIDs", kMaxItems);
  if (!ids) return ids.error();
  const Catalogue& catalogue = settings_.catalogue;
  std::vector<const Package*> packages;
  for (const auto& id : *ids) {
    const Package* p = catalogue.find(id);
    if (!p) return invalid("套餐不存在: " + id, "itemIDs");
    if (*item_type && static_cast<int>(p->type) != **item_type) {
      return invalid("套餐类型不符: " + id + " 不是" +
                         type_name(static_cast<PackageType>(**item_type)) + "套餐",
                     "itemIDs");
    }
    if (!packages.empty() && p->type != packages.front()->type) {
      return invalid("不能同时购买不同类型的套餐: " + id, "itemIDs");
    }
    packages.push_back(p);
  }
  if (packages.empty()) return invalid("缺少参数: itemIDs", "itemIDs");  // split_ids prevents it
  const PackageType type = packages.front()->type;
  if (pay_type == PayType::upgrade && packages.size() > 1) {
    return invalid("升级只能选择一个套餐", "itemIDs");
  }
  if (catalogue.project.select_type == 0 && packages.size() > 1) {
    return invalid("该项目只能选择一个套餐", "itemIDs");
  }
  const auto enabled = host_.charges().enabled_channels();
  if (std::find(enabled.begin(), enabled.end(), channel) == enabled.end()) {
    return invalid("支付渠道未开通: " + channel, "channel");
  }

  std::optional<Student> student;
  std::vector<Subscription> subscriptions;
  auto read = sdk::with_session(host_.database(), [&](soci::session& sql) -> sdk::Status {
    student = find_student(sql, user_id);
    subscriptions = subscriptions_of(sql, user_id, type);
    return {};
  });
  if (!read) return read.error();
  if (!student) return invalid("用户不存在: " + user_id, "userID");
  if (student->emp_name != emp_name) return invalid("姓名与学生信息不一致", "empName");
  if (type == PackageType::sms && student->mobile.empty()) {
    return invalid("该学生未登记手机号,无法购买短信套餐", "itemIDs");
  }

  // The price comes from our catalogue and the student's packages, never from the client.
  const Date today_date = today();
  NewOrder order;
  order.id = "o" + sdk::crypto::time_ordered_alnum(23);
  order.user_id = user_id;
  order.pay_type = pay_type;
  order.channel = channel;
  order.created_at = host_.clock().now();
  std::string record_ids;
  for (const Package* p : packages) {
    RecordLine line;
    line.id = "r" + sdk::crypto::random_alnum(15);
    line.type = p->type;
    line.item_id = p->id;
    line.item_name = p->name;
    line.project_name = catalogue.project.name;
    line.amount = p->price;
    line.validity = p->validity;
    line.mobile = student->mobile;
    if (pay_type == PayType::renew &&
        std::none_of(subscriptions.begin(), subscriptions.end(),
                     [&](const Subscription& s) { return s.item_id == p->id; })) {
      return invalid("没有可续费的套餐: " + p->id + "(请先购买)", "itemIDs");
    }
    if (pay_type == PayType::upgrade) {
      auto active = active_package(subscriptions, catalogue, today_date);
      if (!active) return invalid("当前没有生效的套餐,无法升级", "type");
      if (p->price <= active->package->price) {
        return invalid("该套餐不能升级: " + p->id + "(只能升级到价格更高的套餐)", "itemIDs");
      }
      line.amount = p->price - active->package->price;
      line.from_item_id = active->package->id;
      line.base_end = format_date(active->subscription.end);
    }
    order.amount += line.amount;
    record_ids += (record_ids.empty() ? "" : ",") + line.id;
    order.lines.push_back(std::move(line));
  }
  if (*amount != order.amount) {
    return invalid("金额不正确: 应付 " + std::to_string(order.amount) + " 分(" +
                       yuan_text(order.amount) + "元)",
                   "amount");
  }

  auto stored = sdk::transact(host_.database(), [&](soci::session& sql) -> sdk::Status {
    insert_order(sql, order);
    return {};
  });
  if (!stored) return stored.error();

  sdk::Json extra = sdk::Json::object();
  if (settings_.channel_extra.contains(channel)) extra = settings_.channel_extra.at(channel);
  for (const auto& [k, v] : request_extra->items())
    extra[k] = v;

  sdk::NewCharge new_charge;
  new_charge.product = "campus";
  new_charge.product_ref = order.id;
  new_charge.user_id = user_id;
  new_charge.channel = channel;
  new_charge.amount = order.amount;
  new_charge.subject = subject;
  new_charge.body = text;
  new_charge.client_ip = request.client_ip;
  new_charge.extra = extra;
  new_charge.metadata = sdk::Json{{"recordIDs", record_ids}};
  // The order is linked to its charge in the transaction that stores the charge.
  new_charge.in_transaction = [order_id = order.id](soci::session& sql,
                                                    const sdk::Charge& charge_row) {
    set_order_charge(sql, order_id, charge_row.id);
    return sdk::Status{};
  };
  auto charge = host_.charges().create(new_charge);
  if (!charge) {
    // Failed, not deleted: should the charge exist after all (a timeout), a later
    // settlement still finds the order and records the payment.
    auto closed = sdk::transact(host_.database(), [&](soci::session& sql) -> sdk::Status {
      close_order(sql, order.id, order_status::failed);
      return {};
    });
    if (!closed) host_.logger().warn("campus: could not mark order " + order.id + " failed");
    return charge_error(charge.error(), channel);
  }
  return sdk::Json{{"recordIDs", record_ids},
                   {"chargeData", {{"error", 0}, {"charge", sdk::to_pingpp_json(*charge)}}}};
}

}  // namespace payhost::campus
