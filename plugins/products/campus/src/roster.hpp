// Students: who may buy, and what the success page shows about them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "payhost/sdk/database.hpp"
#include "payhost/sdk/result.hpp"

namespace soci {
class session;
}

namespace payhost::campus {

struct Student {
  std::string user_id;
  std::string emp_name;
  std::string photo;
  std::string card_no;
  std::string imei;
  std::string sim;
  std::string grade_name;
  std::string class_name;
  std::string mobile;
};

// The roster CSV's columns, by header name; userID and empName are required.
const std::vector<std::string>& roster_columns();

struct RosterFile {
  std::vector<std::string> columns;  // the file's columns, in header order
  std::vector<Student> students;     // columns absent from the file are left empty
};

// Parses and validates a whole roster file. Every bad row is reported as
// "line N: ..." (up to `max_errors` of them) and nothing is returned then: an import
// applies all of a file or none of it.
struct RosterErrors {
  std::vector<std::string> messages;
};
std::variant<RosterFile, RosterErrors> parse_roster_csv(std::string_view text,
                                                        std::size_t max_errors = 50);

// Store (campus_students).
std::optional<Student> find_student(soci::session& sql, const std::string& user_id);
// The same read with its statement kept on the pooled connection (PayMoney's hot path).
std::optional<Student> find_student(sdk::Database& db, soci::session& sql,
                                    const std::string& user_id);

struct ImportCounts {
  std::size_t added = 0;
  std::size_t updated = 0;
};
// Upserts by userID; only the file's columns are overwritten for existing students.
// Call inside one transaction so a failure applies nothing.
ImportCounts upsert_students(soci::session& sql, const RosterFile& file, long long now);

}  // namespace payhost::campus
