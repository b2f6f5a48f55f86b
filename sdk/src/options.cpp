#include "payhost/sdk/options.hpp"

namespace payhost::sdk {

const char* to_string(OptionType type) noexcept {
  switch (type) {
    case OptionType::string:
      return "string";
    case OptionType::integer:
      return "integer";
    case OptionType::boolean:
      return "boolean";
    case OptionType::string_list:
      return "list of strings";
    case OptionType::object:
      return "object";
  }
  return "string";
}

bool Options::has(std::string_view name) const {
  return values_.contains(name) && !values_.at(std::string(name)).is_null();
}

const Json& Options::get(std::string_view name) const {
  static const Json null_value;
  auto it = values_.find(std::string(name));
  return it == values_.end() ? null_value : *it;
}

std::string Options::get_string(std::string_view name, std::string fallback) const {
  const Json& v = get(name);
  return v.is_string() ? v.get<std::string>() : fallback;
}

std::int64_t Options::get_int(std::string_view name, std::int64_t fallback) const {
  const Json& v = get(name);
  return v.is_number_integer() ? v.get<std::int64_t>() : fallback;
}

bool Options::get_bool(std::string_view name, bool fallback) const {
  const Json& v = get(name);
  return v.is_boolean() ? v.get<bool>() : fallback;
}

std::vector<std::string> Options::get_list(std::string_view name) const {
  std::vector<std::string> out;
  const Json& v = get(name);
  if (v.is_array()) {
    for (const auto& item : v) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

}  // namespace payhost::sdk
