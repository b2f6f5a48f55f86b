// `payhostd campus import FILE.csv` and `payhostd campus export --from D --to D`.
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "csv.hpp"
#include "payhost/sdk/database.hpp"
#include "roster.hpp"
#include "service.hpp"

namespace payhost::campus {
namespace {

// Splits args into positionals and --flag values ("--from X" or "--from=X"). The host
// may pass its own --config through; it is accepted and ignored.
struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> flags;
  std::string error;
};

Args parse_args(const std::vector<std::string>& args, const std::set<std::string>& known,
                const std::set<std::string>& switches) {
  Args out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!a.starts_with("--")) {
      out.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2), value;
    const auto eq = name.find('=');
    const bool inline_value = eq != std::string::npos;
    if (inline_value) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (switches.contains(name)) {
      out.flags[name] = "1";
      continue;
    }
    if (!known.contains(name) && name != "config") {
      out.error = "unknown option --" + name;
      return out;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        out.error = "--" + name + " needs a value";
        return out;
      }
      value = args[++i];
    }
    out.flags[name] = value;
  }
  return out;
}

}  // namespace

int Service::import_roster(const std::vector<std::string>& args, std::string& out,
                           std::string& err) {
  const std::string usage = "usage: payhostd campus import FILE.csv [--dry-run]\n";
  Args a = parse_args(args, {}, {"dry-run"});
  if (!a.error.empty() || a.positional.size() != 1) {
    err = (a.error.empty() ? "" : a.error + "\n") + usage;
    return 2;
  }
  const std::string& path = a.positional.front();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err = path + ": cannot read the file\n";
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();

  auto parsed = parse_roster_csv(text.str());
  if (auto* errors = std::get_if<RosterErrors>(&parsed)) {
    for (const auto& m : errors->messages)
      err += path + ": " + m + "\n";
    err += path + ": nothing imported\n";
    return 1;
  }
  const RosterFile& file = std::get<RosterFile>(parsed);
  if (a.flags.contains("dry-run")) {
    out = path + ": " + std::to_string(file.students.size()) + " students valid (dry run)\n";
    return 0;
  }
  ImportCounts counts;
  // One transaction: a failure half-way (a constraint, a lost connection) applies nothing.
  auto st = sdk::transact(host_.database(), [&](soci::session& sql) -> sdk::Status {
    counts = upsert_students(sql, file, host_.clock().now());
    return {};
  });
  if (!st) {
    err = path + ": import failed, nothing imported: " + st.error().message + "\n";
    return 1;
  }
  out = path + ": imported " + std::to_string(file.students.size()) + " students (" +
        std::to_string(counts.added) + " added, " + std::to_string(counts.updated) + " updated)\n";
  return 0;
}

int Service::export_records(const std::vector<std::string>& args, std::string& out,
                            std::string& err) {
  const std::string usage =
      "usage: payhostd campus export --from YYYY-MM-DD --to YYYY-MM-DD [--out FILE.csv]\n";
  Args a = parse_args(args, {"from", "to", "out"}, {});
  if (!a.error.empty() || !a.positional.empty() || !a.flags.contains("from") ||
      !a.flags.contains("to")) {
    err = (a.error.empty() ? "" : a.error + "\n") + usage;
    return 2;
  }
  auto from = parse_date(a.flags["from"]);
  auto to = parse_date(a.flags["to"]);
  if (!from || !to) {
    err = "--from and --to must be dates YYYY-MM-DD\n" + usage;
    return 2;
  }
  if (*to < *from) {
    err = "--to is before --from\n";
    return 2;
  }

  std::size_t count = 0;
  auto csv = export_csv(*from, *to, count);
  if (!csv) {
    err = "export failed: " + csv.error().message + "\n";
    return 1;
  }
  if (a.flags.contains("out")) {
    std::ofstream file(a.flags["out"], std::ios::binary | std::ios::trunc);
    file << *csv;
    if (!file.good()) {
      err = a.flags["out"] + ": cannot write\n";
      return 1;
    }
    out = "exported " + std::to_string(count) + " records to " + a.flags["out"] + "\n";
    return 0;
  }
  out = std::move(*csv);
  return 0;
}

sdk::Result<std::string> Service::export_csv(const Date& from, const Date& to, std::size_t& count) {
  std::vector<ExportRow> rows;
  auto st = sdk::with_session(host_.database(), [&](soci::session& sql) -> sdk::Status {
    rows = paid_records(sql, format_date(from), format_date(to));
    return {};
  });
  if (!st) return st.error();
  count = rows.size();

  auto row_text = [](std::vector<std::string> cells) {
    for (auto& cell : cells)
      cell = spreadsheet_text(std::move(cell));
    return csv_row(cells);
  };
  std::string csv =
      row_text({"recordID", "paidDate", "paidAt", "userID", "empName", "gradeName", "className",
                "type", "payType", "projectName", "itemID", "itemName", "amountFen", "amountYuan",
                "channel", "chargeID", "payStartDate", "payEndDate", "mobile"});
  for (const auto& row : rows) {
    const StoredRecord& r = row.record;
    csv +=
        row_text({r.line.id, row.paid_date, std::to_string(row.paid_at), r.user_id, row.emp_name,
                  row.grade_name, row.class_name, package_type_text(r.line.type),
                  pay_type_text(row.pay_type), r.line.project_name, r.line.item_id,
                  r.line.item_name, std::to_string(r.line.amount), sdk::format_yuan(r.line.amount),
                  row.channel, r.charge_id, r.start_date, r.end_date, r.line.mobile});
  }
  return csv;
}

}  // namespace payhost::campus
