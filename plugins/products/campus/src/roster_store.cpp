#include <soci/soci.h>

#include "payhost/sdk/database.hpp"
#include "roster.hpp"

namespace payhost::campus {
namespace {

const char* column_sql(const std::string& column) {
  if (column == "userID") return "user_id";
  if (column == "empName") return "emp_name";
  if (column == "photo") return "photo";
  if (column == "cardNo") return "card_no";
  if (column == "imei") return "imei";
  if (column == "sim") return "sim";
  if (column == "gradeName") return "grade_name";
  if (column == "className") return "class_name";
  return "mobile";
}

const std::string& value_of(const Student& s, const std::string& column) {
  if (column == "userID") return s.user_id;
  if (column == "empName") return s.emp_name;
  if (column == "photo") return s.photo;
  if (column == "cardNo") return s.card_no;
  if (column == "imei") return s.imei;
  if (column == "sim") return s.sim;
  if (column == "gradeName") return s.grade_name;
  if (column == "className") return s.class_name;
  return s.mobile;
}

// One student by id, stepped to its end so no snapshot outlives the call.
struct SelectStudent : sdk::CachedStatement {
  std::string id;
  Student row;
  soci::statement st;
  explicit SelectStudent(soci::session& sql)
      : st((sql.prepare << "SELECT user_id, emp_name, photo, card_no, imei, sim, grade_name, "
                           "class_name, mobile FROM campus_students WHERE user_id = :id",
            soci::into(row.user_id), soci::into(row.emp_name), soci::into(row.photo),
            soci::into(row.card_no), soci::into(row.imei), soci::into(row.sim),
            soci::into(row.grade_name), soci::into(row.class_name), soci::into(row.mobile),
            soci::use(id))) {}

  std::optional<Student> run(const std::string& user_id) {
    id = user_id;
    st.execute();
    if (!st.fetch()) return std::nullopt;
    Student found = row;
    while (st.fetch()) {  // the key is unique: this ends the statement (SQLite's read lock)
    }
    return found;
  }
};

std::optional<Student> find_in(sdk::Database* db, soci::session& sql, const std::string& user_id) {
  return sdk::with_statement<SelectStudent>(db, sql,
                                            [&](SelectStudent& q) { return q.run(user_id); });
}

}  // namespace

std::optional<Student> find_student(soci::session& sql, const std::string& user_id) {
  return find_in(nullptr, sql, user_id);
}

std::optional<Student> find_student(sdk::Database& db, soci::session& sql,
                                    const std::string& user_id) {
  return find_in(&db, sql, user_id);
}

ImportCounts upsert_students(soci::session& sql, const RosterFile& file, long long now) {
  // Only the file's columns are written, so a file with userID,empName,mobile updates the
  // mobiles without wiping photos imported earlier.
  std::vector<std::string> values(file.columns.size());
  long long at = now;
  std::string insert = "INSERT INTO campus_students (", params, updates;
  for (std::size_t i = 0; i < file.columns.size(); ++i) {
    const char* col = column_sql(file.columns[i]);
    insert += std::string(col) + ", ";
    params += ":v" + std::to_string(i) + ", ";
    if (file.columns[i] != "userID") updates += std::string(col) + " = excluded." + col + ", ";
  }
  insert += "updated_at) VALUES (" + params + ":at) ON CONFLICT (user_id) DO UPDATE SET " +
            updates + "updated_at = excluded.updated_at";

  soci::statement upsert(sql);
  for (auto& v : values)
    upsert.exchange(soci::use(v));
  upsert.exchange(soci::use(at));
  upsert.alloc();
  upsert.prepare(insert);
  upsert.define_and_bind();

  std::string user_id;
  long long count = 0;
  soci::statement exists = (sql.prepare << "SELECT COUNT(*) FROM campus_students WHERE "
                                           "user_id = :id",
                            soci::into(count), soci::use(user_id));
  ImportCounts counts;
  for (const Student& s : file.students) {
    user_id = s.user_id;
    exists.execute(true);
    ++(count > 0 ? counts.updated : counts.added);
    for (std::size_t i = 0; i < file.columns.size(); ++i)
      values[i] = value_of(s, file.columns[i]);
    upsert.execute(true);
  }
  return counts;
}

}  // namespace payhost::campus
