#include "plugins/plugin_options.hpp"

#include <string_view>

#include "config/config.hpp"

namespace payhost::host {

using sdk::Json;
using sdk::OptionSpec;
using sdk::OptionType;
using sdk::Result;

Json yaml_to_json(const YAML::Node& node) {
  if (!node || node.IsNull()) return nullptr;
  if (node.IsSequence()) {
    Json arr = Json::array();
    for (const auto& item : node)
      arr.push_back(yaml_to_json(item));
    return arr;
  }
  if (node.IsMap()) {
    Json obj = Json::object();
    for (const auto& kv : node)
      obj[kv.first.as<std::string>()] = yaml_to_json(kv.second);
    return obj;
  }
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return s;  // quoted: always a string
  if (s == "true") return true;
  if (s == "false") return false;
  if (s == "~" || s == "null") return nullptr;
  if (!s.empty() && s.find_first_not_of("-0123456789") == std::string::npos &&
      s.find('-', 1) == std::string::npos && s != "-") {
    try {
      std::size_t used = 0;
      const long long v = std::stoll(s, &used);
      if (used == s.size()) return v;
    } catch (...) {
    }
  }
  return s;
}

namespace {

const OptionSpec* find_spec(const std::vector<OptionSpec>& specs, const std::string& name) {
  for (const auto& s : specs)
    if (s.name == name) return &s;
  return nullptr;
}

// A YAML value as the SDK's validator takes it: scalars as their text with ${ENV} expanded
// (the validator reads integers and booleans from text), an object option as typed JSON.
Result<Json> to_option_value(const YamlReader& r, const std::string& key, const YAML::Node& node,
                             const OptionSpec* spec) {
  if (spec != nullptr && spec->type == OptionType::object) return yaml_to_json(node);
  if (node.IsScalar()) {
    auto v = expand_env(node.Scalar());
    if (!v) return r.error(key, v.error().message);
    return Json(*v);
  }
  if (node.IsSequence()) {
    Json list = Json::array();
    for (const auto& item : node) {
      if (!item.IsScalar()) {
        list.push_back(yaml_to_json(item));
        continue;
      }
      auto v = expand_env(item.Scalar());
      if (!v) return r.error(key, v.error().message);
      list.push_back(*v);
    }
    return list;
  }
  return yaml_to_json(node);
}

}  // namespace

Result<ValidatedOptions> validate_plugin_options(const YamlReader& r, const std::string& key_path,
                                                 const YAML::Node& block,
                                                 const std::vector<OptionSpec>& specs) {
  const std::string base = key_path + ".options";
  ValidatedOptions out;
  Json values = Json::object();

  if (block && !block.IsNull()) {
    if (!block.IsMap()) return r.error(base, "expected a map of options");
    for (const auto& kv : block) {
      const auto key = kv.first.as<std::string>();
      const YAML::Node node = kv.second;
      if (node.IsNull()) continue;
      const OptionSpec* spec = find_spec(specs, key);
      constexpr std::string_view kFile = "_file";
      if (spec == nullptr && key.size() > kFile.size() && key.ends_with(kFile)) {
        const OptionSpec* secret = find_spec(specs, key.substr(0, key.size() - kFile.size()));
        if (secret != nullptr && secret->secret) {
          const std::string name = secret->name;
          if (block[name] && !block[name].IsNull()) {
            return r.error(base + "." + name,
                           "give either " + name + " or " + name + "_file, not both");
          }
          if (!node.IsScalar()) return r.error(base + "." + key, "expected a file path");
          auto path = expand_env(node.Scalar());
          if (!path) return r.error(base + "." + key, path.error().message);
          auto content = read_secret_file(*path);
          if (!content) return r.error(base + "." + key, content.error().message);
          out.files[name] = *path;
          values[name] = *content;
          continue;
        }
      }
      auto value = to_option_value(r, base + "." + key, node, spec);
      if (!value) return value.error();
      values[key] = std::move(*value);
    }
  }

  auto options = sdk::validate_options(specs, values);
  if (!options) {
    const auto& e = options.error();
    return r.error(e.param.empty() ? base : base + "." + e.param, e.message);
  }
  for (const auto& spec : specs) {
    const Json& value = options->get(spec.name);
    if (spec.secret && value.is_string() && !value.get<std::string>().empty())
      out.secret_values.push_back(value.get<std::string>());
  }
  out.options = std::move(*options);
  return out;
}

}  // namespace payhost::host
