#include <algorithm>
#include <cctype>
#include <map>

#include "csv.hpp"
#include "roster.hpp"
#include "text.hpp"

namespace payhost::campus {
namespace {

bool valid_user_id(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' ||
           c == '_' || c == '.';
  });
}

bool valid_mobile(const std::string& m) {
  if (m.empty()) return true;
  const std::string digits = m.front() == '+' ? m.substr(1) : m;
  return digits.size() >= 5 && digits.size() <= 20 &&
         std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool has_control(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7f;
  });
}

std::string* field_of(Student& s, const std::string& column) {
  if (column == "userID") return &s.user_id;
  if (column == "empName") return &s.emp_name;
  if (column == "photo") return &s.photo;
  if (column == "cardNo") return &s.card_no;
  if (column == "imei") return &s.imei;
  if (column == "sim") return &s.sim;
  if (column == "gradeName") return &s.grade_name;
  if (column == "className") return &s.class_name;
  if (column == "mobile") return &s.mobile;
  return nullptr;
}

std::string line_error(int line, const std::string& what) {
  return "line " + std::to_string(line) + ": " + what;
}

// Header names are matched case-insensitively ("userid", "UserID") to the canonical ones.
std::optional<std::string> canonical_column(const std::string& name) {
  for (const auto& c : roster_columns()) {
    if (c.size() == name.size() && std::equal(c.begin(), c.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) ==
                 std::tolower(static_cast<unsigned char>(b));
        })) {
      return c;
    }
  }
  return std::nullopt;
}

bool blank(const CsvRecord& r) {
  return std::all_of(r.fields.begin(), r.fields.end(),
                     [](const std::string& f) { return trim(f).empty(); });
}

// What is wrong with one parsed row, or "" if nothing; `seen` maps userIDs to their line.
std::string row_problem(Student& s, const std::vector<std::string>& columns,
                        std::map<std::string, int>& seen, int line) {
  for (const auto& column : columns) {
    const std::string& value = *field_of(s, column);
    if (value.size() > 500 || has_control(value)) {
      return column + " is too long or contains control characters";
    }
  }
  if (!valid_user_id(s.user_id)) {
    return "userID \"" + s.user_id + "\" must be 1-64 letters, digits, '-', '_' or '.'";
  }
  if (s.emp_name.empty()) return "empName is empty";
  if (s.emp_name.size() > 100) return "empName is too long";
  if (!valid_mobile(s.mobile)) {
    return "mobile \"" + s.mobile + "\" is not a phone number (digits, optional leading +)";
  }
  if (auto [pos, fresh] = seen.emplace(s.user_id, line); !fresh) {
    return "userID " + s.user_id + " is already on line " + std::to_string(pos->second);
  }
  return {};
}

}  // namespace

const std::vector<std::string>& roster_columns() {
  static const std::vector<std::string> columns = {
      "userID", "empName", "photo", "cardNo", "imei", "sim", "gradeName", "className", "mobile"};
  return columns;
}

std::variant<RosterFile, RosterErrors> parse_roster_csv(std::string_view text,
                                                        std::size_t max_errors) {
  RosterErrors errors;
  auto records = parse_csv(text);
  if (!records) {
    errors.messages.push_back(records.error().message);
    return errors;
  }
  auto it =
      std::find_if(records->begin(), records->end(), [](const CsvRecord& r) { return !blank(r); });
  if (it == records->end()) {
    errors.messages.push_back(
        "line 1: the file is empty (expected a header row: userID,empName,...)");
    return errors;
  }

  RosterFile file;
  const CsvRecord& header = *it;
  for (const auto& raw : header.fields) {
    const std::string name = trim(raw);
    auto column = canonical_column(name);
    if (!column) {
      std::string allowed;
      for (const auto& c : roster_columns())
        allowed += (allowed.empty() ? "" : ",") + c;
      errors.messages.push_back(
          line_error(header.line, "unknown column \"" + name + "\" (allowed: " + allowed + ")"));
    } else if (std::find(file.columns.begin(), file.columns.end(), *column) != file.columns.end()) {
      errors.messages.push_back(line_error(header.line, "column \"" + *column + "\" twice"));
    }
    file.columns.push_back(column.value_or(name));
  }
  for (const char* required : {"userID", "empName"}) {
    if (std::find(file.columns.begin(), file.columns.end(), required) == file.columns.end()) {
      errors.messages.push_back(
          line_error(header.line, std::string("missing required column \"") + required + "\""));
    }
  }
  if (!errors.messages.empty()) return errors;

  std::map<std::string, int> seen;  // userID -> line, to refuse a student listed twice
  for (++it; it != records->end() && errors.messages.size() < max_errors; ++it) {
    const CsvRecord& row = *it;
    if (blank(row)) continue;
    if (row.fields.size() != file.columns.size()) {
      errors.messages.push_back(
          line_error(row.line, "expected " + std::to_string(file.columns.size()) + " fields, got " +
                                   std::to_string(row.fields.size())));
      continue;
    }
    Student s;
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
      *field_of(s, file.columns[i]) = trim(row.fields[i]);
    }
    const std::string problem = row_problem(s, file.columns, seen, row.line);
    if (!problem.empty()) {
      errors.messages.push_back(line_error(row.line, problem));
      continue;
    }
    file.students.push_back(std::move(s));
  }
  if (!errors.messages.empty()) return errors;
  return file;
}

}  // namespace payhost::campus
