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
    case OptionType::integer_list:
      return "list of integers";
  }
  return "string";
}

OptionSpec OptionSpec::with_default(Json value) && {
  default_value = std::move(value);
  return std::move(*this);
}

OptionSpec OptionSpec::as_required() && {
  required = true;
  return std::move(*this);
}

OptionSpec OptionSpec::as_secret() && {
  secret = true;
  return std::move(*this);
}

OptionSpec OptionSpec::one_of(std::vector<std::string> allowed) && {
  choices = std::move(allowed);
  return std::move(*this);
}

OptionSpec OptionSpec::in_range(std::int64_t lowest, std::int64_t highest) && {
  min = lowest;
  max = highest;
  return std::move(*this);
}

OptionSpec OptionSpec::at_least(std::int64_t lowest) && {
  min = lowest;
  return std::move(*this);
}

namespace option {
namespace {

OptionSpec make(std::string name, OptionType type, std::string description) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.type = type;
  spec.description = std::move(description);
  return spec;
}

}  // namespace

OptionSpec string(std::string name, std::string description) {
  return make(std::move(name), OptionType::string, std::move(description));
}
OptionSpec integer(std::string name, std::string description) {
  return make(std::move(name), OptionType::integer, std::move(description));
}
OptionSpec boolean(std::string name, std::string description) {
  return make(std::move(name), OptionType::boolean, std::move(description));
}
OptionSpec string_list(std::string name, std::string description) {
  return make(std::move(name), OptionType::string_list, std::move(description));
}
OptionSpec integer_list(std::string name, std::string description) {
  return make(std::move(name), OptionType::integer_list, std::move(description));
}
OptionSpec object(std::string name, std::string description) {
  return make(std::move(name), OptionType::object, std::move(description));
}

}  // namespace option

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

std::vector<std::int64_t> Options::get_int_list(std::string_view name) const {
  std::vector<std::int64_t> out;
  const Json& v = get(name);
  if (v.is_array()) {
    for (const auto& item : v) {
      if (item.is_number_integer()) out.push_back(item.get<std::int64_t>());
    }
  }
  return out;
}

}  // namespace payhost::sdk
