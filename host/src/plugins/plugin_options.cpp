#include "plugins/plugin_options.hpp"

#include <algorithm>
#include <cstdint>
#include <sstream>

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

std::string allowed_keys(const std::vector<OptionSpec>& specs) {
  std::string list;
  for (const auto& s : specs) {
    list += (list.empty() ? "" : ", ") + s.name;
    if (s.secret) list += ", " + s.name + "_file";
  }
  return list.empty() ? "none" : list;
}

// An integer within the spec's bounds; ${ENV} expanded first.
Result<Json> bounded_integer(const YamlReader& r, const std::string& key, const std::string& text,
                             const OptionSpec& spec) {
  auto v = expand_env(text);
  if (!v) return r.error(key, v.error().message);
  std::size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(*v, &used);
  } catch (...) {
    used = 0;
  }
  if (used == 0 || used != v->size())
    return r.error(key, "expected an integer, got \"" + *v + "\"");
  if (n < spec.min || n > spec.max) {
    std::string allowed =
        "must be between " + std::to_string(spec.min) + " and " + std::to_string(spec.max);
    if (spec.max == INT64_MAX) allowed = "must be at least " + std::to_string(spec.min);
    if (spec.min == INT64_MIN) allowed = "must be at most " + std::to_string(spec.max);
    return r.error(key, allowed + ", got " + *v);
  }
  return Json(n);
}

Result<Json> convert(const YamlReader& r, const std::string& key, const YAML::Node& node,
                     const OptionSpec& spec) {
  auto fail = [&](const std::string& what) -> Result<Json> {
    return r.error(key, "expected " + what);
  };
  switch (spec.type) {
    case OptionType::string: {
      if (!node.IsScalar()) return fail("a string");
      auto v = expand_env(node.Scalar());
      if (!v) return r.error(key, v.error().message);
      if (!spec.choices.empty() &&
          std::find(spec.choices.begin(), spec.choices.end(), *v) == spec.choices.end()) {
        std::string list;
        for (const auto& c : spec.choices)
          list += (list.empty() ? "" : ", ") + c;
        return r.error(key, "\"" + *v + "\" is not allowed (allowed: " + list + ")");
      }
      return Json(*v);
    }
    case OptionType::integer:
      if (!node.IsScalar()) return fail("an integer");
      return bounded_integer(r, key, node.Scalar(), spec);
    case OptionType::boolean: {
      if (!node.IsScalar()) return fail("true or false");
      auto v = expand_env(node.Scalar());
      if (!v) return r.error(key, v.error().message);
      if (*v == "true") return Json(true);
      if (*v == "false") return Json(false);
      return fail("true or false, got \"" + *v + "\"");
    }
    case OptionType::string_list: {
      if (!node.IsSequence()) return fail("a list of strings");
      Json arr = Json::array();
      for (std::size_t i = 0; i < node.size(); ++i) {
        if (!node[i].IsScalar()) {
          return r.error(key + "[" + std::to_string(i) + "]", "expected a string");
        }
        auto v = expand_env(node[i].Scalar());
        if (!v) return r.error(key, v.error().message);
        arr.push_back(*v);
      }
      return arr;
    }
    case OptionType::integer_list: {
      if (!node.IsSequence()) return fail("a list of integers");
      Json arr = Json::array();
      for (std::size_t i = 0; i < node.size(); ++i) {
        const std::string item_key = key + "[" + std::to_string(i) + "]";
        if (!node[i].IsScalar()) return r.error(item_key, "expected an integer");
        auto v = bounded_integer(r, item_key, node[i].Scalar(), spec);
        if (!v) return v.error();
        arr.push_back(std::move(*v));
      }
      return arr;
    }
    case OptionType::object:
      return yaml_to_json(node);
  }
  return fail("a value");
}

}  // namespace

Result<ValidatedOptions> validate_plugin_options(const YamlReader& r, const std::string& key_path,
                                                 const YAML::Node& block,
                                                 const std::vector<OptionSpec>& specs) {
  const std::string base = key_path + ".options";
  ValidatedOptions out;
  Json values = Json::object();

  if (block && !block.IsNull()) {
    for (const auto& kv : block) {
      const auto key = kv.first.as<std::string>();
      const bool known = std::any_of(specs.begin(), specs.end(), [&](const OptionSpec& s) {
        return s.name == key || (s.secret && s.name + "_file" == key);
      });
      if (!known) {
        return r.error(base + "." + key, "unknown option (allowed: " + allowed_keys(specs) + ")");
      }
    }
  }

  for (const auto& spec : specs) {
    const std::string key = base + "." + spec.name;
    YAML::Node node;
    if (block && !block.IsNull() && block[spec.name]) node.reset(block[spec.name]);
    const YAML::Node file_node =
        spec.secret && block && !block.IsNull() ? block[spec.name + "_file"] : YAML::Node();
    if (node && !node.IsNull() && file_node && !file_node.IsNull()) {
      return r.error(key, "give either " + spec.name + " or " + spec.name + "_file, not both");
    }
    if (file_node && !file_node.IsNull()) {
      if (!file_node.IsScalar()) return r.error(key + "_file", "expected a file path");
      auto path = expand_env(file_node.Scalar());
      if (!path) return r.error(key + "_file", path.error().message);
      auto content = read_secret_file(*path);
      if (!content) return r.error(key + "_file", content.error().message);
      out.files[spec.name] = *path;
      YAML::Node from_file(*content);
      from_file.SetTag("!");
      node.reset(from_file);
    }
    if (!node || node.IsNull()) {
      if (spec.required && spec.default_value.is_null()) {
        return r.error(key, "required option is missing (" + spec.description + ")");
      }
      if (!spec.default_value.is_null()) values[spec.name] = spec.default_value;
      continue;
    }
    auto value = convert(r, key, node, spec);
    if (!value) return value.error();
    if (spec.secret && value->is_string() && !value->get<std::string>().empty()) {
      out.secret_values.push_back(value->get<std::string>());
    }
    values[spec.name] = std::move(*value);
  }
  out.options = sdk::Options(std::move(values));
  return out;
}

}  // namespace payhost::host
