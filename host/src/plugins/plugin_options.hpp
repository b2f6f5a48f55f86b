// Validates a plugin's YAML options block against the plugin's option table.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "config/yaml_access.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/options.hpp"
#include "payhost/sdk/result.hpp"

namespace payhost::host {

struct ValidatedOptions {
  sdk::Options options;
  std::vector<std::string> secret_values;    // resolved secrets, for log redaction
  std::map<std::string, std::string> files;  // option -> the file its value was read from
};

// Unknown keys, wrong types, values outside `choices` or bounds and missing required
// options are errors naming "<file>: plugins.<name>.options.<key>" and what is allowed.
// Secrets may be given inline, as ${ENV}, or as "<key>_file".
sdk::Result<ValidatedOptions> validate_plugin_options(const YamlReader& reader,
                                                      const std::string& key_path,
                                                      const YAML::Node& block,
                                                      const std::vector<sdk::OptionSpec>& specs);

// YAML to JSON for object options: plain scalars become integers, booleans or null when
// they look like one; quoted scalars stay strings.
sdk::Json yaml_to_json(const YAML::Node& node);

}  // namespace payhost::host
