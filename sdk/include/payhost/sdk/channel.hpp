// Channel plugins translate between the host and one payment provider. A channel never
// writes to the database and never decides settlement: it builds requests, verifies
// answers and notifications, and reports what the provider said.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "payhost/sdk/charge.hpp"
#include "payhost/sdk/http.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/money.hpp"
#include "payhost/sdk/plugin.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sdk {

// What the provider said about a trade. Only an explicit statement moves money state:
// a timeout, a network error or an unverifiable answer is `unknown`, never `failed`.
enum class Outcome {
  succeeded,  // paid
  failed,     // the provider says it will not be paid
  closed,     // closed unpaid at the provider (a kind of failed that expiry produces)
  pending,    // not paid yet
  unknown,    // we could not find out; ask again later
};

const char* to_string(Outcome outcome) noexcept;

// One channel a plugin offers (a plugin may offer several, e.g. alipay and alipay_wap).
struct ChannelSpec {
  std::string name;
  std::string description;
  std::int64_t default_expiry_seconds = 86400;  // Ping++: 1 day, WeChat 2 h, UnionPay 1 h
  std::vector<std::string> required_extra;      // keys of charge.extra the channel needs
  std::vector<std::string> optional_extra;
};

struct Capabilities {
  bool close = false;
  bool refund = false;
  bool partial_refund = false;
  bool refund_query = false;  // query_refund() asks the provider about an earlier refund
};

struct CreateRequest {
  std::string channel;
  std::string charge_id;
  std::string order_no;
  Fen amount = 0;
  std::string currency = "cny";
  std::string subject;
  std::string body;
  std::string client_ip;
  Json extra = Json::object();
  std::int64_t created = 0;      // Unix seconds
  std::int64_t time_expire = 0;  // Unix seconds; pass it on so the provider closes no later
  std::string notify_url;        // where the provider must POST notifications
};

struct CreateResult {
  Json credential;  // what the client SDK needs: an object or a plain string
};

// Everything the host needs to ask the provider about one charge.
struct TradeRef {
  std::string channel;
  std::string charge_id;
  std::string order_no;
  Fen amount = 0;
  std::int64_t created = 0;
  std::int64_t time_expire = 0;
  std::string transaction_no;  // empty while unknown
};

struct TradeStatus {
  Outcome outcome = Outcome::unknown;
  std::string order_no;
  std::string transaction_no;
  Fen amount = -1;     // the paid amount the provider reports; -1 if it gave none
  std::string app_id;  // the merchant app the provider says this is for; empty if none
  std::int64_t time_paid = 0;
  std::string payer_account;
  std::string failure_code;
  std::string failure_msg;
};

struct RefundRequest {
  TradeRef trade;
  std::string refund_no;  // our refund number, reused on every retry so the provider dedupes
  Fen amount = 0;
  std::string reason;
  std::int64_t created = 0;  // when the refund was first requested (Unix s), also on retries
};

struct RefundResult {
  // succeeded = money returned; failed = the provider refuses this refund (failure_code
  // and failure_msg say why); pending = accepted, not done yet; unknown = ask again.
  Outcome outcome = Outcome::unknown;
  std::string provider_refund_no;
  Fen refunded_total = -1;
  std::string failure_code;
  std::string failure_msg;
};

// Entry points are non-virtual and catch everything, so nothing thrown inside a plugin
// crosses into the host: implementations override the do_* hooks.
class ChannelPlugin : public Plugin {
 public:
  ChannelPlugin* as_channel() noexcept override { return this; }

  virtual std::vector<ChannelSpec> channel_specs() const = 0;
  virtual Capabilities capabilities() const { return {}; }
  // The merchant app id notifications must carry; empty if the provider has none.
  virtual std::string merchant_app_id() const = 0;

  Result<CreateResult> create(const CreateRequest& request) noexcept;
  // Verifies the signature (and decrypts) and reports what the notification says. The
  // host then cross-checks order, amount and app id against the stored charge.
  Result<TradeStatus> verify_notification(const HttpRequest& request) noexcept;
  // The exact answer the provider expects: accepted (recorded, also for repeats) or not.
  HttpResponse notification_reply(bool accepted) const noexcept;
  Result<TradeStatus> query(const TradeRef& trade) noexcept;
  Result<TradeStatus> close(const TradeRef& trade) noexcept;
  Result<RefundResult> refund(const RefundRequest& request) noexcept;
  // What became of the refund `request.refund_no` (sent earlier with refund()).
  Result<RefundResult> query_refund(const RefundRequest& request) noexcept;

 protected:
  virtual Result<CreateResult> do_create(const CreateRequest& request) = 0;
  virtual Result<TradeStatus> do_verify_notification(const HttpRequest& request) = 0;
  virtual HttpResponse do_notification_reply(bool accepted) const = 0;
  virtual Result<TradeStatus> do_query(const TradeRef& trade) = 0;
  virtual Result<TradeStatus> do_close(const TradeRef& trade);
  virtual Result<RefundResult> do_refund(const RefundRequest& request);
  virtual Result<RefundResult> do_query_refund(const RefundRequest& request);
};

}  // namespace payhost::sdk
