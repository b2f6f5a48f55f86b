#include "fake_host.hpp"

#include <algorithm>

#include <soci/sqlite3/soci-sqlite3.h>

#include "payhost/sdk/charge_errors.hpp"
#include "payhost/sdk/database.hpp"

namespace payhost::campus::testing {

void FakeLogger::log(sdk::LogLevel, std::string_view message) noexcept {
  std::lock_guard lock(mutex);
  lines.emplace_back(message);
}

SqliteDatabase::SqliteDatabase() : sql(*soci::factory_sqlite3(), ":memory:") {}

sdk::Status SqliteDatabase::transact(
    const std::function<sdk::Status(soci::session&)>& work) noexcept {
  std::lock_guard lock(mutex);
  try {
    soci::transaction tr(sql);
    auto st = work(sql);
    if (st) {
      tr.commit();
    } else {
      tr.rollback();
    }
    return st;
  } catch (...) {
    return sdk::database_error_from_current_exception();
  }
}

sdk::Status SqliteDatabase::with_session(
    const std::function<sdk::Status(soci::session&)>& work) noexcept {
  std::lock_guard lock(mutex);
  try {
    return work(sql);
  } catch (...) {
    return sdk::database_error_from_current_exception();
  }
}

sdk::Result<sdk::Charge> FakeCharges::create(const sdk::NewCharge& r) noexcept {
  requests.push_back(r);
  if (std::find(enabled.begin(), enabled.end(), r.channel) == enabled.end()) {
    return sdk::make_error(sdk::ErrorKind::invalid_request,
                           std::string(sdk::charge_errors::channel_not_enabled),
                           "channel is not enabled", "channel");
  }
  if (r.channel == "alipay_wap" && !r.extra.contains("success_url")) {
    return sdk::make_error(sdk::ErrorKind::invalid_request,
                           std::string(sdk::charge_errors::extra_missing),
                           "extra.success_url is required", "extra.success_url");
  }
  sdk::Charge c;
  c.id = "ch_test" + std::to_string(next_++);
  c.app = host_.app_id();
  c.channel = r.channel;
  c.order_no = "order" + c.id.substr(3);
  c.client_ip = r.client_ip;
  c.amount = r.amount;
  c.subject = r.subject;
  c.body = r.body;
  c.extra = r.extra;
  c.metadata = r.metadata;
  c.credential = sdk::Json{{"pay_url", "http://pay/" + c.id}};
  c.created = clock_.now();
  c.time_expire = c.created + 86400;
  c.product = "campus";  // the host stamps the product plugin that asked
  c.product_ref = r.product_ref;
  c.user_id = r.user_id;
  // As the host does: a charge the provider did not confirm is stored too (expired), and
  // the product's writes commit with it.
  if (fail_create) c.time_expire = c.created;
  if (r.product_row || r.in_transaction) {
    auto st = sdk::transact(db_, [&](soci::session& sql) -> sdk::Status {
      if (r.product_row) {
        auto row = r.product_row(sql, c);
        if (!row) return row.error();
        c.product_ref = *row;
      }
      if (r.in_transaction) return r.in_transaction(sql, c);
      return {};
    });
    if (!st) return st.error();
  }
  charges[c.id] = c;
  if (fail_create) {
    return sdk::make_error(sdk::ErrorKind::unavailable, "timeout", "provider timed out");
  }
  return c;
}

sdk::Result<sdk::Charge> FakeCharges::get(const std::string& id) noexcept {
  auto it = charges.find(id);
  if (it == charges.end()) return sdk::make_error(sdk::ErrorKind::not_found, "no_charge", id);
  return it->second;
}

sdk::Result<sdk::Charge> FakeCharges::get_by_order_no(const std::string& order_no) noexcept {
  for (auto& [id, c] : charges) {
    if (c.order_no == order_no) return c;
  }
  return sdk::make_error(sdk::ErrorKind::not_found, "no_charge", order_no);
}

sdk::Result<sdk::Charge> FakeCharges::retrieve(const std::string& id) noexcept {
  ++retrieve_calls;
  if (paid_at_provider[id]) {
    if (auto st = settle(id); !st) return st.error();
  }
  return get(id);
}

sdk::Status FakeCharges::settle(const std::string& id) {
  auto it = charges.find(id);
  if (it == charges.end()) return sdk::make_error(sdk::ErrorKind::not_found, "no_charge", id);
  if (it->second.state == sdk::ChargeState::succeeded) return {};
  return db_.transact([&](soci::session& sql) -> sdk::Status {
    sdk::Charge after = it->second;
    const auto previous = after.state;
    after.state = sdk::ChargeState::succeeded;
    after.time_paid = clock_.now();
    sdk::SettlementContext ctx{sql, after, previous};
    auto st = plugin->on_charge_succeeded(ctx);
    if (st) it->second = after;
    return st;
  });
}

sdk::Status FakeCharges::settle_again_unconditionally(const std::string& id) {
  auto it = charges.find(id);
  if (it == charges.end()) return sdk::make_error(sdk::ErrorKind::not_found, "no_charge", id);
  return db_.transact([&](soci::session& sql) -> sdk::Status {
    sdk::SettlementContext ctx{sql, it->second, sdk::ChargeState::pending};
    return plugin->on_charge_succeeded(ctx);
  });
}

}  // namespace payhost::campus::testing
