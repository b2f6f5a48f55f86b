#include "plugins/option_docs.hpp"

#include <algorithm>
#include <cstdint>
#include <sstream>

namespace payhost::host {
namespace {

using sdk::OptionSpec;
using sdk::OptionType;

bool has_bounds(const OptionSpec& s) {
  return (s.type == OptionType::integer || s.type == OptionType::integer_list) &&
         (s.min != INT64_MIN || s.max != INT64_MAX);
}

std::string bounds(const OptionSpec& s) {
  if (s.min != INT64_MIN && s.max != INT64_MAX) {
    return std::to_string(s.min) + "–" + std::to_string(s.max);
  }
  if (s.min != INT64_MIN) return "≥ " + std::to_string(s.min);
  return "≤ " + std::to_string(s.max);
}

// Text inside a table cell: a pipe would end the cell and a newline the row, and outside
// code spans "<name>" would be read as an HTML tag and vanish.
std::string cell(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  bool in_code = false;
  for (char c : text) {
    if (c == '`') in_code = !in_code;
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (c == '<' && !in_code) {
      out += "\\<";
    } else {
      out += c;
    }
  }
  return out;
}

// Inline code that may itself contain backticks: fence it with one more than it holds.
std::string code(const std::string& text) {
  std::size_t longest = 0, run = 0;
  for (char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return fence + (pad ? " " : "") + text + (pad ? " " : "") + fence;
}

}  // namespace

std::string describe_options(const std::vector<OptionSpec>& specs) {
  std::ostringstream out;
  if (specs.empty()) {
    out << "  (no options)\n";
    return out.str();
  }
  for (const auto& s : specs) {
    out << "  " << s.name << " (" << sdk::to_string(s.type);
    if (has_bounds(s)) out << " " << bounds(s);
    if (s.required) out << ", required";
    if (s.secret) out << ", secret; or " << s.name << "_file";
    if (!s.default_value.is_null()) out << ", default " << s.default_value.dump();
    if (!s.choices.empty()) {
      out << ", one of";
      for (const auto& c : s.choices)
        out << " " << c;
    }
    out << ")\n      " << s.description << "\n";
  }
  return out.str();
}

std::string options_markdown(const std::vector<OptionSpec>& specs) {
  if (specs.empty()) return "This plugin has no options.\n";
  std::ostringstream out;
  out << "| option | type | default | meaning |\n|---|---|---|---|\n";
  for (const auto& s : specs) {
    std::string type = sdk::to_string(s.type);
    if (has_bounds(s)) type += " " + bounds(s);
    if (!s.choices.empty()) {
      type += ": ";
      for (std::size_t i = 0; i < s.choices.size(); ++i)
        type += (i ? ", " : "") + code(s.choices[i]);
    }
    if (s.secret) type += "; secret, or " + code(s.name + "_file") + " or " + code("${ENV}");
    std::string fallback = "—";
    if (s.required && s.default_value.is_null()) {
      fallback = "required";
    } else if (!s.default_value.is_null()) {
      fallback = code(s.default_value.dump());
    }
    out << "| " << code(s.name) << " | " << cell(type) << " | " << cell(fallback) << " | "
        << cell(s.description) << " |\n";
  }
  return out.str();
}

}  // namespace payhost::host
