// The roster import (src/roster_csv.cpp over src/csv.cpp) on arbitrary files, as an admin
// uploads them. CSV that parses must write back (csv_row, what the paid-orders export uses)
// and parse again to the same records; a roster that is accepted has every student's
// required columns; a refused one says why, in at most max_errors lines.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "csv.hpp"
#include "payhost/sdk/testing/fuzzing.hpp"
#include "roster.hpp"

using payhost::sdk::testing::fuzz_check;
namespace campus = payhost::campus;

namespace {

void check_round_trip(std::string_view text) {
  const auto records = campus::parse_csv(text);
  if (!records.ok()) {
    fuzz_check(!records.error().message.empty(), "a CSV refusal says why");
    return;
  }
  std::string written;
  for (const auto& record : *records) {
    fuzz_check(record.line >= 1, "records start on a line");
    written += campus::csv_row(record.fields);
  }
  // A file's first bytes being a byte order mark is how Excel marks UTF-8, and parse_csv
  // drops one; a first field that starts with another cannot be written back unchanged.
  if (written.starts_with("\xEF\xBB\xBF")) return;
  const auto again = campus::parse_csv(written);
  fuzz_check(again.ok(), "written CSV parses");
  fuzz_check(again->size() == records->size(), "written CSV has the same records");
  for (std::size_t i = 0; i < again->size(); ++i) {
    fuzz_check((*again)[i].fields == (*records)[i].fields, "written CSV has the same fields");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check_round_trip(text);

  constexpr std::size_t kMaxErrors = 5;
  const auto roster = campus::parse_roster_csv(text, kMaxErrors);
  if (const auto* file = std::get_if<campus::RosterFile>(&roster)) {
    for (const auto& student : file->students) {
      fuzz_check(!student.user_id.empty() && !student.emp_name.empty(),
                 "accepted students have userID and empName");
    }
  } else {
    const auto& errors = std::get<campus::RosterErrors>(roster);
    fuzz_check(!errors.messages.empty(), "a refused roster says why");
    // Header problems are all reported; rows stop at max_errors.
    for (const auto& message : errors.messages) {
      fuzz_check(message.starts_with("line "), "every problem names its line");
    }
  }
  return 0;
}
