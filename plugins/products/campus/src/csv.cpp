#include "csv.hpp"

namespace payhost::campus {
namespace {

sdk::Error csv_error(int line, const std::string& what) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_csv",
                         "line " + std::to_string(line) + ": " + what);
}

}  // namespace

sdk::Result<std::vector<CsvRecord>> parse_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::vector<CsvRecord> out;
  CsvRecord record;
  std::string field;
  int line = 1;
  record.line = 1;
  bool quoted = false;       // inside a quoted field
  bool after_quote = false;  // a quoted field just closed: only , or a line break may follow
  int quote_line = 0;

  auto end_field = [&] {
    record.fields.push_back(std::move(field));
    field.clear();
    after_quote = false;
  };
  auto end_record = [&] {
    end_field();
    out.push_back(std::move(record));
    record = CsvRecord{};
    record.line = line;
  };

  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
          after_quote = true;
        }
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == ',') {
      end_field();
    } else if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      ++line;
      end_record();
    } else if (after_quote) {
      return csv_error(line, "unexpected text after a closing quote");
    } else if (c == '"' && field.empty()) {
      quoted = true;
      quote_line = line;
    } else {
      field += c;
    }
  }
  if (quoted) return csv_error(quote_line, "quoted field is never closed");
  // A final line without a line break still counts; a trailing line break adds nothing.
  if (!field.empty() || !record.fields.empty() || after_quote) end_record();
  return out;
}

std::string csv_row(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    const std::string& f = fields[i];
    if (f.find_first_of(",\"\r\n") == std::string::npos) {
      out += f;
      continue;
    }
    out += '"';
    for (char c : f) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  out += "\r\n";
  return out;
}

std::string spreadsheet_text(std::string cell) {
  if (!cell.empty() && std::string_view("=+-@\t\r").find(cell.front()) != std::string_view::npos) {
    cell.insert(cell.begin(), '\'');
  }
  return cell;
}

}  // namespace payhost::campus
