#include "migrations.hpp"

namespace payhost::campus {

std::vector<sdk::Migration> campus_migrations() {
  // Both engines understand this DDL as written; dates are ISO strings so they compare
  // and sort as text in either.
  const std::vector<std::string> v1 = {
      "CREATE TABLE campus_students ("
      " user_id TEXT PRIMARY KEY,"
      " emp_name TEXT NOT NULL,"
      " photo TEXT NOT NULL DEFAULT '',"
      " card_no TEXT NOT NULL DEFAULT '',"
      " imei TEXT NOT NULL DEFAULT '',"
      " sim TEXT NOT NULL DEFAULT '',"
      " grade_name TEXT NOT NULL DEFAULT '',"
      " class_name TEXT NOT NULL DEFAULT '',"
      " mobile TEXT NOT NULL DEFAULT '',"
      " updated_at BIGINT NOT NULL)",
      "CREATE TABLE campus_orders ("
      " id TEXT PRIMARY KEY,"
      " user_id TEXT NOT NULL,"
      " pay_type INTEGER NOT NULL,"
      " channel TEXT NOT NULL,"
      " amount BIGINT NOT NULL,"
      " charge_id TEXT,"
      " status TEXT NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " paid_at BIGINT,"
      " paid_date TEXT,"
      " checked_at BIGINT NOT NULL DEFAULT 0)",
      "CREATE INDEX campus_orders_paid ON campus_orders (status, paid_date)",
      "CREATE TABLE campus_records ("
      " id TEXT PRIMARY KEY,"
      " order_id TEXT NOT NULL REFERENCES campus_orders (id),"
      " position INTEGER NOT NULL,"
      " user_id TEXT NOT NULL,"
      " item_type INTEGER NOT NULL,"
      " item_id TEXT NOT NULL,"
      " item_name TEXT NOT NULL,"
      " project_name TEXT NOT NULL,"
      " amount BIGINT NOT NULL,"
      " validity_months INTEGER NOT NULL,"
      " validity_days INTEGER NOT NULL,"
      " mobile TEXT NOT NULL DEFAULT '',"
      " from_item_id TEXT NOT NULL DEFAULT '',"
      " base_end TEXT NOT NULL DEFAULT '',"
      " start_date TEXT,"
      " end_date TEXT)",
      "CREATE INDEX campus_records_order ON campus_records (order_id, position)",
      "CREATE TABLE campus_subscriptions ("
      " user_id TEXT NOT NULL,"
      " item_type INTEGER NOT NULL,"
      " item_id TEXT NOT NULL,"
      " start_date TEXT NOT NULL,"
      " end_date TEXT NOT NULL,"
      " mobile TEXT NOT NULL DEFAULT '',"
      " updated_at BIGINT NOT NULL,"
      " PRIMARY KEY (user_id, item_type, item_id))",
  };
  // The admin listing reads orders by creation time, newest first, optionally of one status;
  // id breaks ties so a page is a range of the index, with no sort.
  const std::vector<std::string> v2 = {
      "CREATE INDEX campus_orders_created ON campus_orders (created_at, id)",
      "CREATE INDEX campus_orders_status_created ON campus_orders (status, created_at, id)",
  };
  return {sdk::Migration{1, "campus students, orders, records and subscriptions", v1, v1},
          sdk::Migration{2, "campus orders by creation time", v2, v2}};
}

}  // namespace payhost::campus
