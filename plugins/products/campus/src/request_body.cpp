#include "request_body.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "text.hpp"

namespace payhost::campus {
namespace {

using sdk::Json;

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string fen_message() {
  return "金额格式错误: amount 以分为单位,必须是整数(1元请填100)";
}

}  // namespace

sdk::Error invalid(std::string message, std::string param) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "invalid_request", std::move(message),
                         std::move(param));
}

sdk::Result<Json> parse_body(const sdk::HttpRequest& request) {
  const std::string type = lower(request.header("Content-Type").value_or(""));
  const std::string body = trim(request.body);
  const bool json = type.find("json") != std::string::npos ||
                    (type.find("form") == std::string::npos && body.starts_with("{"));
  if (!json) {
    Json out = Json::object();
    for (auto& [k, v] : sdk::parse_form(body))
      out[k] = v;
    return out;
  }
  if (body.empty()) return Json::object();
  Json parsed = sdk::parse_json(body);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return invalid("请求格式错误: 请提交 JSON 对象或表单");
  }
  return parsed;
}

sdk::Result<std::string> optional_text(const Json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string();
  if (it->is_string()) return trim(it->get_ref<const std::string&>());
  if (it->is_number_integer()) return it->dump();
  return invalid(std::string("参数错误: ") + name, name);
}

sdk::Result<std::string> required_text(const Json& body, const char* name) {
  auto v = optional_text(body, name);
  if (v && v->empty()) return invalid(std::string("缺少参数: ") + name, name);
  return v;
}

sdk::Result<std::optional<int>> optional_code(const Json& body, const char* name, int count) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null() ||
      (it->is_string() && trim(it->get<std::string>()).empty())) {
    return std::optional<int>();
  }
  std::optional<sdk::Fen> v;
  if (it->is_number_integer()) v = it->get<std::int64_t>();
  if (it->is_string()) v = sdk::parse_fen(trim(it->get<std::string>()));
  if (!v || *v < 0 || *v >= count) {
    std::string allowed;
    for (int i = 0; i < count; ++i)
      allowed += (i ? "/" : "") + std::to_string(i);
    return invalid(std::string("参数错误: ") + name + " 只能是 " + allowed, name);
  }
  return std::optional<int>(static_cast<int>(*v));
}

sdk::Result<int> required_code(const Json& body, const char* name, int count) {
  auto v = optional_code(body, name, count);
  if (!v) return v.error();
  if (!*v) return invalid(std::string("缺少参数: ") + name, name);
  return **v;
}

sdk::Result<sdk::Fen> required_amount(const Json& body) {
  auto it = body.find("amount");
  if (it == body.end() || it->is_null() ||
      (it->is_string() && trim(it->get<std::string>()).empty())) {
    return invalid("缺少参数: amount", "amount");
  }
  std::optional<sdk::Fen> fen;
  if (it->is_number_unsigned() || it->is_number_integer()) {
    // Signed and unsigned both: a huge unsigned must not wrap into a small price.
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > 10'000'000'000'000ULL) {
      return invalid(fen_message(), "amount");
    }
    fen = it->get<std::int64_t>();
    if (*fen <= 0) return invalid("金额必须大于0(单位: 分)", "amount");
  } else if (it->is_string()) {
    const std::string text = trim(it->get<std::string>());
    if (text.starts_with("-")) return invalid("金额必须大于0(单位: 分)", "amount");
    fen = sdk::parse_fen(text);
  }
  // Floats (0.01, even 100.0) land here: the API takes integer fen only.
  if (!fen) return invalid(fen_message(), "amount");
  if (*fen <= 0) return invalid("金额必须大于0(单位: 分)", "amount");
  return *fen;
}

sdk::Result<std::vector<std::string>> split_ids(const std::string& text, const char* name,
                                                std::size_t max) {
  std::vector<std::string> out;
  std::set<std::string> seen;
  std::string_view rest = text;
  while (true) {
    const auto comma = rest.find(',');
    std::string id = trim(rest.substr(0, comma));
    if (id.empty()) return invalid(std::string("参数错误: ") + name + " 含有空的ID", name);
    if (!seen.insert(id).second) {
      return invalid(std::string("参数错误: ") + name + " 中的ID重复: " + id, name);
    }
    out.push_back(std::move(id));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (out.size() > max) {
    return invalid(std::string("参数错误: ") + name + " 最多 " + std::to_string(max) + " 个ID",
                   name);
  }
  return out;
}

sdk::Result<Json> optional_extra(const Json& body) {
  Json extra = Json::object();
  auto it = body.find("extra");
  if (it != body.end() && !it->is_null()) {
    if (it->is_object()) {
      extra = *it;
    } else if (it->is_string() && !trim(it->get<std::string>()).empty()) {
      extra = sdk::parse_json(it->get_ref<const std::string&>());
      if (extra.is_discarded() || !extra.is_object()) {
        return invalid("参数错误: extra 必须是 JSON 对象", "extra");
      }
    } else if (!it->is_string()) {
      return invalid("参数错误: extra 必须是 JSON 对象", "extra");
    }
  }
  // Form style: extra[success_url]=...
  for (const auto& [key, value] : body.items()) {
    if (key.starts_with("extra[") && key.ends_with("]") && key.size() > 7) {
      extra[key.substr(6, key.size() - 7)] = value;
    }
  }
  return extra;
}

}  // namespace payhost::campus
