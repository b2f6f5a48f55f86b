// Declarative option tables. A plugin lists its options once, as data; the host validates
// the YAML block against the table (unknown keys, wrong types, values out of range, missing
// required keys stop start-up), resolves secrets (${ENV}, <name>_file) and prints the
// documentation from it (`payhostd plugins describe NAME --markdown`).
//
//   std::vector<sdk::OptionSpec> option_specs() {
//     using namespace sdk::option;
//     return {
//         string("app_id", "Merchant app id.").as_required(),
//         string("private_key", "Signing key, PEM.").as_secret(),
//         integer("timeout_ms", "Per call.").with_default(10000).in_range(100, 120000),
//         string("mode", "How to sign.").with_default("rsa").one_of({"rsa", "sm2"}),
//         integer_list("retry_ms", "Delays between attempts.").with_default({1000, 5000}),
//     };
//   }
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "payhost/sdk/json.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::sdk {

enum class OptionType {
  string,
  integer,
  boolean,
  string_list,
  object,        // any nested structure, handed over as JSON (e.g. a catalogue)
  integer_list,  // each entry bounded by min and max
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
  std::int64_t min = INT64_MIN;      // bounds for integer options and integer list entries
  std::int64_t max = INT64_MAX;

  // Modifiers for declaring a table as one expression per option (see the top of this file).
  OptionSpec with_default(Json value) &&;
  OptionSpec as_required() &&;
  OptionSpec as_secret() &&;
  OptionSpec one_of(std::vector<std::string> allowed) &&;
  OptionSpec in_range(std::int64_t lowest, std::int64_t highest) &&;
  OptionSpec at_least(std::int64_t lowest) &&;
};

// One factory per type: an option with its name and what it means for the deployer (shown in
// the generated documentation, so say what it does, its unit and when it is needed).
namespace option {
OptionSpec string(std::string name, std::string description);
OptionSpec integer(std::string name, std::string description);
OptionSpec boolean(std::string name, std::string description);
OptionSpec string_list(std::string name, std::string description);
OptionSpec integer_list(std::string name, std::string description);
OptionSpec object(std::string name, std::string description);
}  // namespace option

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
  std::vector<std::int64_t> get_int_list(std::string_view name) const;
  const Json& all() const { return values_; }

 private:
  Json values_ = Json::object();
};

// Checks option values against a table by the rules payhostd applies to a plugin's YAML
// block, so a plugin's own tests meet the same rules: an unknown key, a value of the wrong
// type, outside its bounds or choices, or a missing required option is an invalid_request
// error whose param names the key ("retry_ms[1]") and whose message says what is allowed.
// Defaults are filled in. Integers and booleans may also be given as text (YAML scalars
// are text). A secret's "<name>_file" key is the host's to resolve before this call.
Result<Options> validate_options(const std::vector<OptionSpec>& specs, const Json& values);

}  // namespace payhost::sdk
