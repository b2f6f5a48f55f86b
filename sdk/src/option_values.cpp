#include <algorithm>
#include <cstdint>
#include <string>

#include "payhost/sdk/options.hpp"

namespace payhost::sdk {
namespace {

Error refuse(const std::string& key, const std::string& message) {
  return make_error(ErrorKind::invalid_request, "invalid_option", message, key);
}

std::string allowed_keys(const std::vector<OptionSpec>& specs) {
  std::string list;
  for (const auto& s : specs) {
    list += (list.empty() ? "" : ", ") + s.name;
    if (s.secret) list += ", " + s.name + "_file";
  }
  return list.empty() ? "none" : list;
}

std::string shown(const Json& value) {
  return value.is_string() ? value.get<std::string>() : value.dump();
}

Result<Json> bounded_integer(const std::string& key, const Json& value, const OptionSpec& spec) {
  long long n = 0;
  if (value.is_number_integer()) {
    n = value.get<long long>();
  } else if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    std::size_t used = 0;
    try {
      n = std::stoll(text, &used);
    } catch (...) {
      used = 0;
    }
    if (used == 0 || used != text.size())
      return refuse(key, "expected an integer, got \"" + text + "\"");
  } else {
    return refuse(key, "expected an integer");
  }
  if (n < spec.min || n > spec.max) {
    std::string allowed =
        "must be between " + std::to_string(spec.min) + " and " + std::to_string(spec.max);
    if (spec.max == INT64_MAX) allowed = "must be at least " + std::to_string(spec.min);
    if (spec.min == INT64_MIN) allowed = "must be at most " + std::to_string(spec.max);
    return refuse(key, allowed + ", got " + shown(value));
  }
  return Json(n);
}

Result<Json> convert(const std::string& key, const Json& value, const OptionSpec& spec) {
  switch (spec.type) {
    case OptionType::string: {
      if (!value.is_string()) return refuse(key, "expected a string");
      const auto& text = value.get_ref<const std::string&>();
      if (!spec.choices.empty() &&
          std::find(spec.choices.begin(), spec.choices.end(), text) == spec.choices.end()) {
        std::string list;
        for (const auto& c : spec.choices)
          list += (list.empty() ? "" : ", ") + c;
        return refuse(key, "\"" + text + "\" is not allowed (allowed: " + list + ")");
      }
      return value;
    }
    case OptionType::integer:
      return bounded_integer(key, value, spec);
    case OptionType::boolean:
      if (value.is_boolean()) return value;
      if (value == "true") return Json(true);
      if (value == "false") return Json(false);
      return refuse(key, value.is_string() ? "expected true or false, got \"" + shown(value) + "\""
                                           : "expected true or false");
    case OptionType::string_list: {
      if (!value.is_array()) return refuse(key, "expected a list of strings");
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (!value[i].is_string())
          return refuse(key + "[" + std::to_string(i) + "]", "expected a string");
      }
      return value;
    }
    case OptionType::integer_list: {
      if (!value.is_array()) return refuse(key, "expected a list of integers");
      Json list = Json::array();
      for (std::size_t i = 0; i < value.size(); ++i) {
        auto entry = bounded_integer(key + "[" + std::to_string(i) + "]", value[i], spec);
        if (!entry) return entry.error();
        list.push_back(std::move(*entry));
      }
      return list;
    }
    case OptionType::object:
      return value;
  }
  return refuse(key, "unsupported option type");
}

}  // namespace

Result<Options> validate_options(const std::vector<OptionSpec>& specs, const Json& values) {
  if (!values.is_null() && !values.is_object()) return refuse("", "expected a map of options");
  if (values.is_object()) {
    for (const auto& [key, value] : values.items()) {
      // Captured by name: clang before 16 cannot capture a structured binding.
      const bool known = std::any_of(specs.begin(), specs.end(),
                                     [&name = key](const OptionSpec& s) { return s.name == name; });
      if (!known) return refuse(key, "unknown option (allowed: " + allowed_keys(specs) + ")");
    }
  }
  Json out = Json::object();
  for (const auto& spec : specs) {
    const Json* given = nullptr;
    if (values.is_object()) {
      auto it = values.find(spec.name);
      if (it != values.end() && !it->is_null()) given = &*it;
    }
    if (given == nullptr) {
      if (spec.required && spec.default_value.is_null())
        return refuse(spec.name, "required option is missing (" + spec.description + ")");
      if (!spec.default_value.is_null()) out[spec.name] = spec.default_value;
      continue;
    }
    auto value = convert(spec.name, *given, spec);
    if (!value) return value.error();
    out[spec.name] = std::move(*value);
  }
  return Options(std::move(out));
}

}  // namespace payhost::sdk
