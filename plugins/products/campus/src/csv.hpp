// RFC 4180 CSV as spreadsheets write it: quoted fields with "" escapes and embedded line
// breaks, CRLF or LF, an optional UTF-8 byte order mark (Excel adds one).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/result.hpp"

namespace payhost::campus {

struct CsvRecord {
  int line = 0;  // the 1-based line the record starts on, for error messages
  std::vector<std::string> fields;
};

// Fails only on an unterminated quoted field (naming the line it starts on) or text after
// a closing quote.
sdk::Result<std::vector<CsvRecord>> parse_csv(std::string_view text);

// One row, quoting fields that need it, terminated by CRLF as RFC 4180 says.
std::string csv_row(const std::vector<std::string>& fields);

// A cell a spreadsheet will show as text, never evaluate: one starting with = + - @, a tab
// or a carriage return gets a leading apostrophe (CSV formula injection). The exports pass
// every cell through it: the dates and positive amounts they write never start with one.
std::string spreadsheet_text(std::string cell);

}  // namespace payhost::campus
