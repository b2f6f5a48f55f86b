// Orders, records and subscriptions (campus_orders, campus_records, campus_subscriptions).
//
// One PayMoney is one order and one charge (the charge's product_ref is the order id); each
// package in it is one record, the id the client gets back. A subscription is what a
// student has of one package: its current period, and for SMS the mobile it serves.
// Every function takes the caller's session so callers decide the transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "catalogue.hpp"
#include "payhost/sdk/database.hpp"
#include "payhost/sdk/money.hpp"
#include "validity.hpp"

namespace soci {
class session;
}

namespace payhost::campus {

enum class PayType { buy = 0, upgrade = 1, renew = 2 };

// The words exports and the admin listing use: card|sms, buy|upgrade|renew.
const char* package_type_text(PackageType type);
const char* pay_type_text(PayType type);

namespace order_status {
inline constexpr const char* pending = "pending";
inline constexpr const char* paid = "paid";
inline constexpr const char* failed = "failed";  // the charge could not be created
inline constexpr const char* closed = "closed";  // the charge failed or expired unpaid
}  // namespace order_status

struct Subscription {
  PackageType type = PackageType::card;
  std::string item_id;
  Date start;
  Date end;
  std::string mobile;
};

std::vector<Subscription> subscriptions_of(soci::session& sql, const std::string& user_id,
                                           PackageType type);
// The same read with its statement kept on the pooled connection (PayMoney's hot path).
std::vector<Subscription> subscriptions_of(sdk::Database& db, soci::session& sql,
                                           const std::string& user_id, PackageType type);
std::optional<Subscription> find_subscription(soci::session& sql, const std::string& user_id,
                                              PackageType type, const std::string& item_id);
void put_subscription(soci::session& sql, const std::string& user_id, const Subscription& s,
                      long long now);
void delete_subscription(soci::session& sql, const std::string& user_id, PackageType type,
                         const std::string& item_id);

// What a record stores of the sale, fixed at PayMoney: later catalogue edits change
// neither the price nor the period that was sold.
struct RecordLine {
  std::string id;
  PackageType type = PackageType::card;
  std::string item_id;
  std::string item_name;
  std::string project_name;
  sdk::Fen amount = 0;
  Validity validity;
  std::string mobile;        // the roster's mobile when bought (SMS packages serve it)
  std::string from_item_id;  // upgrades: the package replaced
  std::string base_end;      // upgrades: that package's end when the upgrade was sold
};

struct NewOrder {
  std::string id;
  std::string user_id;
  PayType pay_type = PayType::buy;
  std::string channel;
  sdk::Fen amount = 0;
  long long created_at = 0;
  std::vector<RecordLine> lines;
};

// The order, its records and the charge that pays it, written in the charge's transaction
// with the statements kept on the connection (PayMoney).
void insert_order(sdk::Database& db, soci::session& sql, const NewOrder& order,
                  const std::string& charge_id);
// pending -> `status` (failed or closed); false if the order was not pending.
bool close_order(soci::session& sql, const std::string& order_id, const char* status);

struct OrderState {
  std::string id;
  std::string user_id;
  PayType pay_type = PayType::buy;
  std::string status;
  std::string charge_id;
};
std::optional<OrderState> find_order(soci::session& sql, const std::string& order_id);

// The compare-and-set that makes settlement apply once: any state but paid -> paid.
bool claim_paid(soci::session& sql, const std::string& order_id, const std::string& charge_id,
                long long paid_at, const std::string& paid_date);
// Rate limit for asking the channel: true (and the slot taken) if nobody asked about this
// order in the last `interval` seconds, across every host sharing the database.
bool claim_check(soci::session& sql, const std::string& order_id, long long now,
                 long long interval);

struct StoredRecord {
  RecordLine line;
  std::string order_id;
  std::string user_id;
  std::string status;  // the order's
  std::string charge_id;
  std::string start_date;  // empty until paid
  std::string end_date;
};
std::optional<StoredRecord> find_record(soci::session& sql, const std::string& record_id);
std::vector<StoredRecord> records_of_order(soci::session& sql, const std::string& order_id);
void set_record_period(soci::session& sql, const std::string& record_id, const Period& period,
                       const std::string& mobile);

struct ExportRow {
  StoredRecord record;
  PayType pay_type = PayType::buy;
  std::string channel;
  std::string paid_date;
  long long paid_at = 0;
  // The roster's current values (paid_records only; empty for a student no longer listed).
  std::string emp_name;
  std::string grade_name;
  std::string class_name;
};
// Paid records whose payment date (school time) is within [from, to], oldest first, with
// the student's roster entry joined in (one query, through campus_orders_paid).
std::vector<ExportRow> paid_records(soci::session& sql, const std::string& from,
                                    const std::string& to);

// The admin listing: orders created in [from, to) (Unix seconds), newest first, optionally
// of one status; `limit` rows after skipping `offset` (campus_orders_created /
// campus_orders_status_created).
struct OrderListing {
  std::string id;
  std::string charge_id;
  std::string user_id;
  std::string emp_name;
  PayType pay_type = PayType::buy;
  std::string channel;
  sdk::Fen amount = 0;
  std::string status;
  long long created_at = 0;
  std::optional<long long> paid_at;
  std::vector<RecordLine> lines;  // in the order they were bought
};
std::vector<OrderListing> list_orders(soci::session& sql, long long from, long long to,
                                      const std::string& status, int limit, long long offset);

}  // namespace payhost::campus
