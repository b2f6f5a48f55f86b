// Declarative option tables. A plugin lists its options once; the host validates the
// YAML block against the table (unknown keys, wrong types, missing required keys stop
// start-up), resolves secrets (${ENV}, <name>_file) and prints documentation from it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/json.hpp"

namespace payhost::sdk {

enum class OptionType {
  string,
  integer,
  boolean,
  string_list,
  object,  // any nested structure, handed over as JSON (e.g. a catalogue)
};

const char* to_string(OptionType type) noexcept;

struct OptionSpec {
  std::string name;
  OptionType type = OptionType::string;
  Json default_value;  // null: no default
  bool required = false;
  // Secret options are never logged, are redacted from every log line, and may be given
  // as "<name>_file: /path" (file contents, trailing newline trimmed) or "${ENV_VAR}".
  bool secret = false;
  std::string description;
  std::vector<std::string> choices;  // allowed values for string options; empty = any
  std::int64_t min = INT64_MIN;      // bounds for integer options
  std::int64_t max = INT64_MAX;
};

// Validated option values, defaults filled in. Only names from the table are present.
class Options {
 public:
  Options() = default;
  explicit Options(Json values) : values_(std::move(values)) {}

  bool has(std::string_view name) const;
  const Json& get(std::string_view name) const;  // null if absent
  std::string get_string(std::string_view name, std::string fallback = {}) const;
  std::int64_t get_int(std::string_view name, std::int64_t fallback = 0) const;
  bool get_bool(std::string_view name, bool fallback = false) const;
  std::vector<std::string> get_list(std::string_view name) const;
  const Json& all() const { return values_; }

 private:
  Json values_ = Json::object();
};

}  // namespace payhost::sdk
