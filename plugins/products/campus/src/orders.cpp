#include "orders.hpp"

#include <map>

#include <soci/soci.h>

#include "payhost/sdk/database.hpp"

namespace payhost::campus {
namespace {

// SOCI binds by reference: every use() below gets a named variable that outlives the
// statement.

PackageType to_type(int v) {
  return v == 1 ? PackageType::sms : PackageType::card;
}

Date to_date(const std::string& text) {
  return parse_date(text).value_or(Date{});
}

const char* kRecordColumns =
    "r.id, r.item_type, r.item_id, r.item_name, r.project_name, r.amount, r.validity_months, "
    "r.validity_days, r.mobile, r.from_item_id, r.base_end, r.order_id, r.user_id, o.status, "
    "o.charge_id, r.start_date, r.end_date, o.pay_type, o.channel, o.paid_date, o.paid_at";

// One row of kRecordColumns, bound once to a statement and read per fetch.
struct RecordRow {
  std::string id, item_id, item_name, project_name, mobile, from_item_id, base_end, order_id,
      user_id, status, charge_id, start_date, end_date, channel, paid_date;
  int item_type = 0, months = 0, days = 0, pay_type = 0;
  long long amount = 0, paid_at = 0;
  soci::indicator charge_ind{}, start_ind{}, end_ind{}, paid_date_ind{}, paid_at_ind{};

  void bind(soci::statement& st) {
    st.exchange(soci::into(id));
    st.exchange(soci::into(item_type));
    st.exchange(soci::into(item_id));
    st.exchange(soci::into(item_name));
    st.exchange(soci::into(project_name));
    st.exchange(soci::into(amount));
    st.exchange(soci::into(months));
    st.exchange(soci::into(days));
    st.exchange(soci::into(mobile));
    st.exchange(soci::into(from_item_id));
    st.exchange(soci::into(base_end));
    st.exchange(soci::into(order_id));
    st.exchange(soci::into(user_id));
    st.exchange(soci::into(status));
    st.exchange(soci::into(charge_id, charge_ind));
    st.exchange(soci::into(start_date, start_ind));
    st.exchange(soci::into(end_date, end_ind));
    st.exchange(soci::into(pay_type));
    st.exchange(soci::into(channel));
    st.exchange(soci::into(paid_date, paid_date_ind));
    st.exchange(soci::into(paid_at, paid_at_ind));
  }

  ExportRow take() const {
    ExportRow out;
    StoredRecord& r = out.record;
    r.line.id = id;
    r.line.type = to_type(item_type);
    r.line.item_id = item_id;
    r.line.item_name = item_name;
    r.line.project_name = project_name;
    r.line.amount = amount;
    r.line.validity = Validity{months, days};
    r.line.mobile = mobile;
    r.line.from_item_id = from_item_id;
    r.line.base_end = base_end;
    r.order_id = order_id;
    r.user_id = user_id;
    r.status = status;
    r.charge_id = charge_ind == soci::i_ok ? charge_id : std::string();
    r.start_date = start_ind == soci::i_ok ? start_date : std::string();
    r.end_date = end_ind == soci::i_ok ? end_date : std::string();
    out.pay_type = static_cast<PayType>(pay_type);
    out.channel = channel;
    out.paid_date = paid_date_ind == soci::i_ok ? paid_date : std::string();
    out.paid_at = paid_at_ind == soci::i_ok ? paid_at : 0;
    return out;
  }
};

// Runs a record query with one string parameter, or two.
std::vector<ExportRow> query_records(soci::session& sql, const std::string& where,
                                     const std::string& a, const std::string* b = nullptr) {
  RecordRow row;
  soci::statement st(sql);
  row.bind(st);
  std::string a_value = a, b_value = b ? *b : std::string();
  st.exchange(soci::use(a_value));
  if (b) st.exchange(soci::use(b_value));
  st.alloc();
  st.prepare(std::string("SELECT ") + kRecordColumns +
             " FROM campus_records r JOIN campus_orders o ON o.id = r.order_id WHERE " + where);
  st.define_and_bind();
  st.execute();
  std::vector<ExportRow> out;
  while (st.fetch())
    out.push_back(row.take());
  return out;
}

long long affected(soci::statement& st) {
  return st.get_affected_rows();
}

struct SelectSubscriptions : sdk::CachedStatement {
  std::string user, item_id, start, end, mobile;
  int type = 0;
  soci::statement st;
  explicit SelectSubscriptions(soci::session& sql)
      : st((sql.prepare << "SELECT item_id, start_date, end_date, mobile "
                           "FROM campus_subscriptions WHERE user_id = :u AND "
                           "item_type = :t ORDER BY item_id",
            soci::into(item_id), soci::into(start), soci::into(end), soci::into(mobile),
            soci::use(user), soci::use(type))) {}
};

std::vector<Subscription> subscriptions_in(sdk::Database* db, soci::session& sql,
                                           const std::string& user_id, PackageType type) {
  return sdk::with_statement<SelectSubscriptions>(db, sql, [&](SelectSubscriptions& q) {
    q.user = user_id;
    q.type = static_cast<int>(type);
    q.st.execute();
    std::vector<Subscription> out;
    while (q.st.fetch())  // to the end: a statement left on a row keeps its snapshot
      out.push_back(Subscription{type, q.item_id, to_date(q.start), to_date(q.end), q.mobile});
    return out;
  });
}

struct InsertOrder : sdk::CachedStatement {
  std::string id, user, channel, status, charge;
  int pay_type = 0;
  long long amount = 0, created = 0;
  soci::statement st;
  explicit InsertOrder(soci::session& sql)
      : st((sql.prepare << "INSERT INTO campus_orders (id, user_id, pay_type, channel, amount, "
                           "status, created_at, checked_at, charge_id) VALUES (:id, :u, :p, "
                           ":c, :a, :s, :t, 0, :ch)",
            soci::use(id), soci::use(user), soci::use(pay_type), soci::use(channel),
            soci::use(amount), soci::use(status), soci::use(created), soci::use(charge))) {}
};

struct InsertRecord : sdk::CachedStatement {
  std::string id, order_id, user, item_id, item_name, project, mobile, from_item, base_end;
  int position = 0, type = 0, months = 0, days = 0;
  long long amount = 0;
  soci::statement st;
  explicit InsertRecord(soci::session& sql)
      : st((sql.prepare << "INSERT INTO campus_records (id, order_id, position, user_id, "
                           "item_type, item_id, item_name, project_name, amount, "
                           "validity_months, validity_days, mobile, from_item_id, base_end) "
                           "VALUES (:id, :o, :p, :u, :t, :i, :n, :pn, :a, :m, :d, :mo, :f, :b)",
            soci::use(id), soci::use(order_id), soci::use(position), soci::use(user),
            soci::use(type), soci::use(item_id), soci::use(item_name), soci::use(project),
            soci::use(amount), soci::use(months), soci::use(days), soci::use(mobile),
            soci::use(from_item), soci::use(base_end))) {}
};

}  // namespace

void insert_order(sdk::Database& db, soci::session& sql, const NewOrder& order,
                  const std::string& charge_id) {
  sdk::with_statement<InsertOrder>(&db, sql, [&](InsertOrder& q) {
    q.charge = charge_id;
    q.id = order.id;
    q.user = order.user_id;
    q.pay_type = static_cast<int>(order.pay_type);
    q.channel = order.channel;
    q.amount = order.amount;
    q.status = order_status::pending;
    q.created = order.created_at;
    q.st.execute(true);
  });
  sdk::with_statement<InsertRecord>(&db, sql, [&](InsertRecord& q) {
    q.order_id = order.id;
    q.user = order.user_id;
    q.position = 0;
    for (const RecordLine& line : order.lines) {
      q.id = line.id;
      q.type = static_cast<int>(line.type);
      q.item_id = line.item_id;
      q.item_name = line.item_name;
      q.project = line.project_name;
      q.amount = line.amount;
      q.months = line.validity.months;
      q.days = line.validity.days;
      q.mobile = line.mobile;
      q.from_item = line.from_item_id;
      q.base_end = line.base_end;
      q.st.execute(true);
      ++q.position;
    }
  });
}

std::vector<Subscription> subscriptions_of(soci::session& sql, const std::string& user_id,
                                           PackageType type) {
  return subscriptions_in(nullptr, sql, user_id, type);
}

std::vector<Subscription> subscriptions_of(sdk::Database& db, soci::session& sql,
                                           const std::string& user_id, PackageType type) {
  return subscriptions_in(&db, sql, user_id, type);
}

std::optional<Subscription> find_subscription(soci::session& sql, const std::string& user_id,
                                              PackageType type, const std::string& item_id) {
  std::string user = user_id, item = item_id, start, end, mobile;
  int t = static_cast<int>(type);
  sql << "SELECT start_date, end_date, mobile FROM campus_subscriptions "
         "WHERE user_id = :u AND item_type = :t AND item_id = :i",
      soci::into(start), soci::into(end), soci::into(mobile), soci::use(user), soci::use(t),
      soci::use(item);
  if (!sql.got_data()) return std::nullopt;
  return Subscription{type, item_id, to_date(start), to_date(end), mobile};
}

void put_subscription(soci::session& sql, const std::string& user_id, const Subscription& s,
                      long long now) {
  std::string user = user_id, item = s.item_id, start = format_date(s.start),
              end = format_date(s.end), mobile = s.mobile;
  int t = static_cast<int>(s.type);
  long long at = now;
  // The same upsert syntax works on SQLite (>= 3.24) and PostgreSQL.
  sql << "INSERT INTO campus_subscriptions (user_id, item_type, item_id, start_date, end_date, "
         "mobile, updated_at) VALUES (:u, :t, :i, :s, :e, :m, :a) "
         "ON CONFLICT (user_id, item_type, item_id) DO UPDATE SET start_date = "
         "excluded.start_date, end_date = excluded.end_date, mobile = excluded.mobile, "
         "updated_at = excluded.updated_at",
      soci::use(user), soci::use(t), soci::use(item), soci::use(start), soci::use(end),
      soci::use(mobile), soci::use(at);
}

void delete_subscription(soci::session& sql, const std::string& user_id, PackageType type,
                         const std::string& item_id) {
  std::string user = user_id, item = item_id;
  int t = static_cast<int>(type);
  sql << "DELETE FROM campus_subscriptions WHERE user_id = :u AND item_type = :t AND "
         "item_id = :i",
      soci::use(user), soci::use(t), soci::use(item);
}

bool close_order(soci::session& sql, const std::string& order_id, const char* status) {
  std::string id = order_id, to = status, from = order_status::pending;
  soci::statement st = (sql.prepare << "UPDATE campus_orders SET status = :to WHERE id = :id "
                                       "AND status = :from",
                        soci::use(to), soci::use(id), soci::use(from));
  st.execute(true);
  return affected(st) == 1;
}

std::optional<OrderState> find_order(soci::session& sql, const std::string& order_id) {
  std::string id = order_id;
  OrderState out;
  int pay_type = 0;
  soci::indicator charge_ind{};
  sql << "SELECT id, user_id, pay_type, status, charge_id FROM campus_orders WHERE id = :id",
      soci::into(out.id), soci::into(out.user_id), soci::into(pay_type), soci::into(out.status),
      soci::into(out.charge_id, charge_ind), soci::use(id);
  if (!sql.got_data()) return std::nullopt;
  if (charge_ind != soci::i_ok) out.charge_id.clear();
  out.pay_type = static_cast<PayType>(pay_type);
  return out;
}

bool claim_paid(soci::session& sql, const std::string& order_id, const std::string& charge_id,
                long long paid_at, const std::string& paid_date) {
  std::string id = order_id, charge = charge_id, date = paid_date, paid = order_status::paid;
  long long at = paid_at;
  soci::statement st =
      (sql.prepare << "UPDATE campus_orders SET status = :s, charge_id = :c, paid_at = :a, "
                      "paid_date = :d WHERE id = :id AND status <> :paid",
       soci::use(paid), soci::use(charge), soci::use(at), soci::use(date), soci::use(id),
       soci::use(paid));
  st.execute(true);
  return affected(st) == 1;
}

bool claim_check(soci::session& sql, const std::string& order_id, long long now,
                 long long interval) {
  std::string id = order_id, pending = order_status::pending;
  long long at = now, before = now - interval;
  soci::statement st =
      (sql.prepare << "UPDATE campus_orders SET checked_at = :now WHERE id = :id AND "
                      "status = :pending AND checked_at <= :before",
       soci::use(at), soci::use(id), soci::use(pending), soci::use(before));
  st.execute(true);
  return affected(st) == 1;
}

std::optional<StoredRecord> find_record(soci::session& sql, const std::string& record_id) {
  auto rows = query_records(sql, "r.id = :id", record_id);
  if (rows.empty()) return std::nullopt;
  return rows.front().record;
}

std::vector<StoredRecord> records_of_order(soci::session& sql, const std::string& order_id) {
  std::vector<StoredRecord> out;
  for (auto& row : query_records(sql, "r.order_id = :o ORDER BY r.position", order_id)) {
    out.push_back(std::move(row.record));
  }
  return out;
}

void set_record_period(soci::session& sql, const std::string& record_id, const Period& period,
                       const std::string& mobile) {
  std::string id = record_id, start = format_date(period.start), end = format_date(period.end),
              m = mobile;
  sql << "UPDATE campus_records SET start_date = :s, end_date = :e, mobile = :m WHERE id = :id",
      soci::use(start), soci::use(end), soci::use(m), soci::use(id);
}

std::vector<ExportRow> paid_records(soci::session& sql, const std::string& from,
                                    const std::string& to) {
  RecordRow row;
  std::string emp, grade, klass, f = from, t = to;
  soci::indicator emp_ind{}, grade_ind{}, class_ind{};
  soci::statement st(sql);
  row.bind(st);
  st.exchange(soci::into(emp, emp_ind));
  st.exchange(soci::into(grade, grade_ind));
  st.exchange(soci::into(klass, class_ind));
  st.exchange(soci::use(f));
  st.exchange(soci::use(t));
  st.alloc();
  st.prepare(std::string("SELECT ") + kRecordColumns +
             ", s.emp_name, s.grade_name, s.class_name FROM campus_records r "
             "JOIN campus_orders o ON o.id = r.order_id "
             "LEFT JOIN campus_students s ON s.user_id = r.user_id "
             "WHERE o.status = 'paid' AND o.paid_date >= :f AND o.paid_date <= :t "
             "ORDER BY o.paid_at, o.id, r.position");
  st.define_and_bind();
  st.execute();
  std::vector<ExportRow> out;
  // A NULL leaves the previous row's text in the variable: read each through its indicator.
  while (st.fetch()) {
    ExportRow r = row.take();
    r.emp_name = emp_ind == soci::i_ok ? emp : std::string();
    r.grade_name = grade_ind == soci::i_ok ? grade : std::string();
    r.class_name = class_ind == soci::i_ok ? klass : std::string();
    out.push_back(std::move(r));
  }
  return out;
}

const char* package_type_text(PackageType type) {
  return type == PackageType::sms ? "sms" : "card";
}

const char* pay_type_text(PayType type) {
  switch (type) {
    case PayType::upgrade:
      return "upgrade";
    case PayType::renew:
      return "renew";
    case PayType::buy:
      break;
  }
  return "buy";
}

namespace {

// The records of the listed orders, in one query through campus_records_order.
void attach_lines(soci::session& sql, std::vector<OrderListing>& orders) {
  if (orders.empty()) return;
  std::map<std::string, OrderListing*> by_id;
  std::vector<std::string> ids;
  ids.reserve(orders.size());
  std::string placeholders;
  for (auto& o : orders) {
    by_id[o.id] = &o;
    ids.push_back(o.id);
    placeholders += (placeholders.empty() ? ":o" : ", :o") + std::to_string(ids.size());
  }
  RecordLine line;
  std::string order_id;
  int type = 0, months = 0, days = 0;
  long long amount = 0;
  soci::statement st(sql);
  st.exchange(soci::into(order_id));
  st.exchange(soci::into(line.id));
  st.exchange(soci::into(type));
  st.exchange(soci::into(line.item_id));
  st.exchange(soci::into(line.item_name));
  st.exchange(soci::into(line.project_name));
  st.exchange(soci::into(amount));
  st.exchange(soci::into(months));
  st.exchange(soci::into(days));
  st.exchange(soci::into(line.mobile));
  st.exchange(soci::into(line.from_item_id));
  st.exchange(soci::into(line.base_end));
  for (auto& id : ids)
    st.exchange(soci::use(id));
  st.alloc();
  st.prepare(
      "SELECT order_id, id, item_type, item_id, item_name, project_name, amount, "
      "validity_months, validity_days, mobile, from_item_id, base_end FROM campus_records "
      "WHERE order_id IN (" +
      placeholders + ") ORDER BY order_id, position");
  st.define_and_bind();
  st.execute();
  while (st.fetch()) {
    auto it = by_id.find(order_id);
    if (it == by_id.end()) continue;
    RecordLine copy = line;
    copy.type = to_type(type);
    copy.amount = amount;
    copy.validity = Validity{months, days};
    it->second->lines.push_back(std::move(copy));
  }
}

}  // namespace

std::vector<OrderListing> list_orders(soci::session& sql, long long from, long long to,
                                      const std::string& status, int limit, long long offset) {
  OrderListing row;
  std::string emp;
  int pay_type = 0;
  long long amount = 0, created = 0, paid = 0, f = from, t = to, off = offset;
  int lim = limit;
  std::string s = status;
  soci::indicator charge_ind{}, emp_ind{}, paid_ind{};
  soci::statement st(sql);
  st.exchange(soci::into(row.id));
  st.exchange(soci::into(row.charge_id, charge_ind));
  st.exchange(soci::into(row.user_id));
  st.exchange(soci::into(emp, emp_ind));
  st.exchange(soci::into(pay_type));
  st.exchange(soci::into(row.channel));
  st.exchange(soci::into(amount));
  st.exchange(soci::into(row.status));
  st.exchange(soci::into(created));
  st.exchange(soci::into(paid, paid_ind));
  st.exchange(soci::use(f));
  st.exchange(soci::use(t));
  if (!s.empty()) st.exchange(soci::use(s));
  st.exchange(soci::use(lim));
  st.exchange(soci::use(off));
  st.alloc();
  // Ordered exactly as the indexes are (created_at, id), so a page is an index range walk.
  st.prepare(std::string("SELECT o.id, o.charge_id, o.user_id, s.emp_name, o.pay_type, o.channel, "
                         "o.amount, o.status, o.created_at, o.paid_at FROM campus_orders o "
                         "LEFT JOIN campus_students s ON s.user_id = o.user_id "
                         "WHERE o.created_at >= :f AND o.created_at < :t") +
             (s.empty() ? "" : " AND o.status = :s") +
             " ORDER BY o.created_at DESC, o.id DESC LIMIT :l OFFSET :off");
  st.define_and_bind();
  st.execute();
  std::vector<OrderListing> out;
  while (st.fetch()) {
    OrderListing o = row;
    if (charge_ind != soci::i_ok) o.charge_id.clear();
    o.emp_name = emp_ind == soci::i_ok ? emp : std::string();
    o.pay_type = static_cast<PayType>(pay_type);
    o.amount = amount;
    o.created_at = created;
    if (paid_ind == soci::i_ok) o.paid_at = paid;
    out.push_back(std::move(o));
  }
  attach_lines(sql, out);
  return out;
}

}  // namespace payhost::campus
