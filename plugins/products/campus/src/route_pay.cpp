#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "payhost/sdk/charge_errors.hpp"
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
  if (e.code == sdk::charge_errors::channel_not_enabled)
    return invalid("支付渠道未开通: " + channel, "channel");
  if (e.code == sdk::charge_errors::extra_missing)
    return invalid("缺少支付参数: " + e.param, e.param);
  if (e.code == sdk::charge_errors::extra_invalid)
    return invalid("支付参数错误: " + e.param, e.param);
  if (e.code == sdk::charge_errors::amount_invalid) return invalid("金额不正确", "amount");
  if (e.code == sdk::charge_errors::subject_invalid)
    return invalid("参数错误: subject 必须是1到32个字符", "subject");
  if (e.code == sdk::charge_errors::body_invalid)
    return invalid("参数错误: body 必须是1到128个字符", "body");
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

// What the client asks to pay for, as the order is priced from it.
struct PaymentRequest {
  std::string channel;
  std::string user_id;
  std::string emp_name;
  PayType pay_type = PayType::buy;
  sdk::Fen amount = 0;
  long long now = 0;
};

// The order the request buys, priced from our catalogue and the student's packages, never
// from the client; or the refusal the client gets.
sdk::Result<NewOrder> price_order(const Catalogue& catalogue,
                                  const std::vector<const Package*>& packages,
                                  const std::optional<Student>& student,
                                  const std::vector<Subscription>& subscriptions,
                                  const PaymentRequest& request, const Date& today_date) {
  if (!student) return invalid("用户不存在: " + request.user_id, "userID");
  if (student->emp_name != request.emp_name) return invalid("姓名与学生信息不一致", "empName");
  if (packages.front()->type == PackageType::sms && student->mobile.empty()) {
    return invalid("该学生未登记手机号,无法购买短信套餐", "itemIDs");
  }
  NewOrder order;
  order.id = "o" + sdk::crypto::time_ordered_alnum(23);
  order.user_id = request.user_id;
  order.pay_type = request.pay_type;
  order.channel = request.channel;
  order.created_at = request.now;
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
    if (request.pay_type == PayType::renew &&
        std::none_of(subscriptions.begin(), subscriptions.end(),
                     [&](const Subscription& s) { return s.item_id == p->id; })) {
      return invalid("没有可续费的套餐: " + p->id + "(请先购买)", "itemIDs");
    }
    if (request.pay_type == PayType::upgrade) {
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
    order.lines.push_back(std::move(line));
  }
  if (request.amount != order.amount) {
    return invalid("金额不正确: 应付 " + std::to_string(order.amount) + " 分(" +
                       yuan_text(order.amount) + "元)",
                   "amount");
  }
  return order;
}

// "r1,r2": the ids the client gets back, one per record.
std::string record_ids_of(const NewOrder& order) {
  std::string ids;
  for (const RecordLine& line : order.lines)
    ids += (ids.empty() ? "" : ",") + line.id;
  return ids;
}

}  // namespace

sdk::Result<std::string> Service::pay_money(const sdk::HttpRequest& request) {
  auto body = parse_body(request);
  if (!body) return body.error();
  std::string fields[6];
  const char* names[6] = {"channel", "subject", "body", "userID", "empName", "itemIDs"};
  for (int i = 0; i < 6; ++i) {
    auto v = required_text(*body, names[i]);
    if (!v) return v.error();
    fields[i] = std::move(*v);
  }
  PaymentRequest wanted;
  wanted.channel = fields[0];
  const std::string &subject = fields[1], &text = fields[2];
  wanted.user_id = fields[3];
  wanted.emp_name = fields[4];
  auto code = required_code(*body, "type", 3);
  if (!code) return code.error();
  wanted.pay_type = static_cast<PayType>(*code);
  auto amount = required_amount(*body);
  if (!amount) return amount.error();
  wanted.amount = *amount;
  auto item_type = optional_code(*body, "itemType", 2);
  if (!item_type) return item_type.error();
  auto request_extra = optional_extra(*body);
  if (!request_extra) return request_extra.error();
  const std::string& channel = wanted.channel;
  const std::string& user_id = wanted.user_id;
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
  if (wanted.pay_type == PayType::upgrade && packages.size() > 1) {
    return invalid("升级只能选择一个套餐", "itemIDs");
  }
  if (catalogue.project.select_type == 0 && packages.size() > 1) {
    return invalid("该项目只能选择一个套餐", "itemIDs");
  }
  const auto enabled = host_.charges().enabled_channels();
  if (std::find(enabled.begin(), enabled.end(), channel) == enabled.end()) {
    return invalid("支付渠道未开通: " + channel, "channel");
  }

  // The order is priced from a pooled read and stored in the transaction that stores the
  // charge (NewCharge::product_row): one commit per PayMoney. What the student has may
  // change before the order is paid (as it always could between pricing and payment);
  // settlement applies an order to what the student has when it is paid.
  const Date today_date = today();
  wanted.now = host_.clock().now();
  sdk::Database& db = host_.database();
  std::optional<sdk::Result<NewOrder>> first;
  auto read = sdk::with_session(db, [&](soci::session& sql) -> sdk::Status {
    const std::optional<Student> student = find_student(db, sql, user_id);
    const std::vector<Subscription> subscriptions =
        student ? subscriptions_of(db, sql, user_id, type) : std::vector<Subscription>();
    first = price_order(catalogue, packages, student, subscriptions, wanted, today_date);
    return {};
  });
  if (!read) return read.error();
  if (!*first) return first->error();
  const NewOrder order = std::move(**first);
  const std::string record_ids = record_ids_of(order);

  sdk::Json extra = sdk::Json::object();
  if (settings_.channel_extra.contains(channel)) extra = settings_.channel_extra.at(channel);
  for (const auto& [k, v] : request_extra->items())
    extra[k] = v;

  sdk::NewCharge new_charge;
  new_charge.user_id = user_id;
  new_charge.channel = channel;
  new_charge.amount = order.amount;
  new_charge.subject = subject;
  new_charge.body = text;
  new_charge.client_ip = request.client_ip;
  new_charge.extra = extra;
  new_charge.metadata = sdk::Json{{"recordIDs", record_ids}};
  // Runs in the charge's transaction, before its row (by value: see NewCharge).
  new_charge.product_row = [db = &db, order](
                               soci::session& sql,
                               const sdk::Charge& charge_row) -> sdk::Result<std::string> {
    insert_order(*db, sql, order, charge_row.id);
    return order.id;
  };
  auto charge = host_.charges().create(new_charge);
  if (!charge) {
    // Failed, not deleted: should the charge exist after all (a timeout), a later
    // settlement still finds the order and records the payment.
    auto closed = sdk::transact(db, [&](soci::session& sql) -> sdk::Status {
      close_order(sql, order.id, order_status::failed);
      return {};
    });
    if (!closed) host_.logger().warn("campus: could not mark order " + order.id + " failed");
    return charge_error(charge.error(), channel);
  }
  // {"recordIDs":…,"chargeData":{"error":0,"charge":…}} with the charge's own text spliced
  // in (plugin guide rule 14), not parsed into a tree and dumped again.
  std::string data = "{\"recordIDs\":";
  sdk::append_json_string(data, record_ids);
  data += ",\"chargeData\":{\"error\":0,\"charge\":";
  data += sdk::to_pingpp_json_text(*charge);
  data += "}}";
  return data;
}

}  // namespace payhost::campus
