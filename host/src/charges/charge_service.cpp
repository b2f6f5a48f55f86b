#include "charges/charge_service.hpp"

#include "charges/charge_history.hpp"
#include "charges/charge_text.hpp"
#include "charges/ids.hpp"
#include "charges/public_error.hpp"
#include "observability/logging.hpp"
#include "payhost/sdk/charge_errors.hpp"

namespace payhost::host {

using sdk::Charge;
using sdk::ChargeState;
using sdk::ErrorKind;
using sdk::Result;
using sdk::Status;

namespace {

constexpr sdk::Fen kMaxAmount = 10'000'000'000;  // 100 million yuan: above every provider cap

sdk::Error invalid(std::string_view code, std::string message, std::string param) {
  return sdk::make_error(ErrorKind::invalid_request, std::string(code), std::move(message),
                         std::move(param));
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++n;
  }
  return n;
}

Status ChargeServiceImpl::validate(const sdk::NewCharge& r, const std::string* product,
                                   const EnabledChannel*& channel) const {
  channel = ctx_.plugins.channel(r.channel);
  if (!channel) {
    return invalid(sdk::charge_errors::channel_not_enabled,
                   "channel \"" + r.channel + "\" is not enabled", "channel");
  }
  if (r.amount < 1 || r.amount > kMaxAmount) {
    return invalid(
        sdk::charge_errors::amount_invalid,
        "amount must be an integer number of fen from 1 to " + std::to_string(kMaxAmount),
        "amount");
  }
  if (r.subject.empty() || utf8_length(r.subject) > 32) {
    return invalid(sdk::charge_errors::subject_invalid, "subject must be 1 to 32 characters",
                   "subject");
  }
  if (r.body.empty() || utf8_length(r.body) > 128) {
    return invalid(sdk::charge_errors::body_invalid, "body must be 1 to 128 characters", "body");
  }
  if (!r.extra.is_object())
    return invalid(sdk::charge_errors::extra_invalid, "extra must be an object", "extra");
  for (const auto& key : channel->spec.required_extra) {
    auto it = r.extra.find(key);
    if (it == r.extra.end() || !it->is_string() || it->get<std::string>().empty()) {
      return invalid(sdk::charge_errors::extra_missing,
                     "extra." + key + " is required for channel " + r.channel, "extra." + key);
    }
  }
  if (auto st = check_charge_text(r.subject, r.body, r.extra); !st) return st;
  if (!r.metadata.is_object()) {
    return invalid(sdk::charge_errors::metadata_invalid, "metadata must be an object", "metadata");
  }
  if (product && !ctx_.plugins.product(*product)) {
    return sdk::make_error(ErrorKind::internal, "unknown_product",
                           "product \"" + *product + "\" is not enabled");
  }
  return {};
}

Result<Charge> ChargeServiceImpl::create_for_product(const std::string& product,
                                                     const sdk::NewCharge& r) noexcept {
  return create_charge(r, &product, nullptr);
}

Result<Charge> ChargeServiceImpl::create_for_app(const sdk::NewCharge& r,
                                                 const ApiChargeFields& fields) noexcept {
  return create_charge(r, nullptr, &fields);
}

namespace {

sdk::Error order_no_used(const std::string& order_no) {
  return sdk::make_error(ErrorKind::invalid_request, "order_no_used",
                         "订单号 " + order_no + " 已被使用。", "order_no");
}

// SQLite: "UNIQUE constraint failed: charges.order_no"; PostgreSQL names the index.
bool is_order_no_conflict(std::string_view what) {
  return what.find("charges.order_no") != std::string_view::npos ||
         what.find("charges_order_no_key") != std::string_view::npos;
}

}  // namespace

Result<Charge> ChargeServiceImpl::create_charge(const sdk::NewCharge& r, const std::string* product,
                                                const ApiChargeFields* api) noexcept {
  try {
    const EnabledChannel* channel = nullptr;
    if (auto st = validate(r, product, channel); !st) return st.error();
    if (api) {
      // Before the provider is asked: it would see the order number a second time.
      std::optional<StoredCharge> existing;
      Status read = ctx_.db.with_session([&](soci::session& sql) -> Status {
        existing = ctx_.store.by_order_no(sql, api->order_no);
        return {};
      });
      if (!read) return public_error(read.error(), "reading a charge");
      if (existing) return order_no_used(api->order_no);
    }

    const std::int64_t now = ctx_.clock.now();
    StoredCharge stored;
    stored.plugin = channel->plugin->config->name;
    Charge& c = stored.charge;
    c.id = new_charge_id();
    c.order_no = api ? api->order_no : new_order_no(now);
    c.app = api ? api->app : ctx_.config.app_id;
    c.channel = r.channel;
    c.client_ip = r.client_ip.empty() ? "127.0.0.1" : r.client_ip;
    c.amount = r.amount;
    c.subject = r.subject;
    c.body = r.body;
    c.extra = r.extra;
    c.metadata = r.metadata;
    c.description = r.description;
    c.livemode = ctx_.config.livemode;
    c.created = now;
    c.time_expire =
        api && api->time_expire ? *api->time_expire : now + channel->spec.default_expiry_seconds;
    c.product = product ? *product : std::string();
    c.product_ref = r.product_ref;
    c.user_id = r.user_id;
    stored.next_check_at = now + ctx_.config.jobs.query_after_seconds;

    sdk::CreateRequest request;
    request.channel = c.channel;
    request.charge_id = c.id;
    request.order_no = c.order_no;
    request.amount = c.amount;
    request.currency = c.currency;
    request.subject = c.subject;
    request.body = c.body;
    request.client_ip = c.client_ip;
    request.extra = c.extra;
    request.created = c.created;
    request.time_expire = c.time_expire;
    request.notify_url = ctx_.notify_url(stored.plugin);

    // The channel is asked first so that a charge is written once, with its credential.
    auto created = channel->plugin->channel->create(request);
    // A plugin's own failure (an exception's text) is logged, never stored in the charge.
    if (!created) created = public_error(created.error(), "channel create");
    std::optional<sdk::Error> failure;
    if (created) {
      c.credential = std::move(created->credential);
    } else if (created.error().kind == ErrorKind::unavailable) {
      // The provider may have opened the trade. No credential reached anyone, so nobody can
      // pay it: expire it now and let the janitor close it at the provider.
      failure = created.error();
      c.time_expire = now;
      stored.next_check_at = now;
      c.failure_code = "channel_unavailable";
      c.failure_msg = created.error().message;
    } else {
      failure = created.error();
      c.state = ChargeState::failed;
      c.failure_code = created.error().code.empty() ? "channel_error" : created.error().code;
      c.failure_msg = created.error().message;
    }

    bool duplicate = false;
    Status st = ctx_.db.transact([&](soci::session& sql) -> Status {
      duplicate = false;
      if (r.product_row) {
        Result<std::string> row = [&]() -> Result<std::string> {
          try {
            return r.product_row(sql, c);
          } catch (...) {
            return sdk::database_error_from_current_exception();
          }
        }();
        if (!row) return row.error();
        c.product_ref = std::move(*row);
      }
      try {
        ctx_.store.insert(sql, stored);
      } catch (const std::exception& e) {
        // Another request with this order number won the race since the check above.
        if (!api || !is_order_no_conflict(e.what())) throw;
        duplicate = true;
        return order_no_used(api->order_no);
      }
      if (!r.in_transaction) return {};
      try {
        return r.in_transaction(sql, c);
      } catch (...) {
        return sdk::database_error_from_current_exception();
      }
    });
    if (duplicate) return order_no_used(c.order_no);
    if (!st) return public_error(st.error(), "storing a charge");
    if (failure) {
      host_log().warn("charge " + c.id + " on " + c.channel + " not created: " + failure->message);
      sdk::Error e = *failure;
      if (e.kind != ErrorKind::unavailable && e.kind != ErrorKind::invalid_request) {
        e.kind = ErrorKind::channel;
      }
      return e;
    }
    return std::move(c);  // stored is done with: no copy of the credential
  } catch (const std::exception& e) {
    return public_error(sdk::make_error(ErrorKind::internal, "create_failed", e.what()),
                        "creating a charge");
  }
}

Result<Charge> ChargeServiceImpl::load(const std::string& value, bool by_order) noexcept {
  std::optional<StoredCharge> found;
  Status st = ctx_.db.with_session([&](soci::session& sql) -> Status {
    found = by_order ? ctx_.store.by_order_no(sql, value) : ctx_.store.by_id(sql, value);
    return {};
  });
  if (!st) return public_error(st.error(), "reading a charge");
  if (!found) {
    return sdk::make_error(
        ErrorKind::not_found, "charge_not_found",
        std::string("no charge with ") + (by_order ? "order_no " : "id ") + value);
  }
  return found->charge;
}

Result<Charge> ChargeServiceImpl::get(const std::string& id) noexcept {
  return load(id, false);
}

Result<Charge> ChargeServiceImpl::get_by_order_no(const std::string& order_no) noexcept {
  return load(order_no, true);
}

Result<Charge> ChargeServiceImpl::retrieve(const std::string& id) noexcept {
  auto charge = get(id);
  if (!charge || charge->state != ChargeState::pending) return charge;
  const EnabledChannel* channel = ctx_.plugins.channel(charge->channel);
  if (!channel) return charge;  // channel disabled since: nothing to ask
  auto status = channel->plugin->channel->query(trade_ref(*charge));
  record_history_now(ctx_.db,
                     channel_answer_entry(id, history_now_ms(ctx_.clock), history::kQuery, status));
  if (!status) {
    host_log().info("retrieve " + id + ": " + status.error().message);
    return charge;
  }
  auto applied = settlement_.apply(ChargeKey::by_id(id), *status, "retrieve");
  if (!applied) {
    host_log().warn("retrieve " + id + " not settled: " + applied.error().message);
    return charge;
  }
  return get(id);
}

std::vector<std::string> ChargeServiceImpl::enabled_channels() const {
  return ctx_.plugins.channel_names();
}

}  // namespace payhost::host
