#include "api/request_body.hpp"

#include <algorithm>
#include <cctype>

namespace payhost::host::api {

using sdk::Json;

namespace {

sdk::Error invalid(std::string message, std::string param = {}) {
  return sdk::make_error(sdk::ErrorKind::invalid_request, "request_invalid", std::move(message),
                         std::move(param));
}

// "a[b][c]" -> {"a","b","c"}; empty on a malformed key.
std::vector<std::string> split_bracket_key(std::string_view key) {
  std::vector<std::string> out;
  const auto open = key.find('[');
  const std::string_view base = key.substr(0, open);
  if (base.empty() || base.find(']') != std::string_view::npos) return {};
  out.emplace_back(base);
  std::string_view rest = open == std::string_view::npos ? std::string_view() : key.substr(open);
  while (!rest.empty()) {
    if (rest.front() != '[') return {};
    const auto close = rest.find(']');
    if (close == std::string_view::npos || close == 1) return {};
    const std::string_view segment = rest.substr(1, close - 1);
    if (segment.find('[') != std::string_view::npos) return {};
    out.emplace_back(segment);
    rest = rest.substr(close + 1);
  }
  return out;
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The media type of a Content-Type header, lower-cased, without parameters or spaces.
std::string media_type(const sdk::HttpRequest& request) {
  const std::string value = request.header("Content-Type").value_or("");
  std::string type = lower(value.substr(0, value.find(';')));
  type.erase(std::remove_if(type.begin(), type.end(),
                            [](unsigned char c) { return std::isspace(c) != 0; }),
             type.end());
  return type;
}

}  // namespace

sdk::Result<Json> parse_bracket_pairs(
    const std::vector<std::pair<std::string, std::string>>& pairs) {
  if (pairs.size() > kMaxFormPairs) {
    return invalid("too many parameters (at most " + std::to_string(kMaxFormPairs) + ")");
  }
  Json out = Json::object();
  for (const auto& [key, value] : pairs) {
    if (key.size() > kMaxFormKeyBytes) {
      return invalid("parameter name longer than " + std::to_string(kMaxFormKeyBytes) + " bytes");
    }
    const auto path = split_bracket_key(key);
    if (path.empty()) return invalid("malformed parameter name: " + key, key);
    if (path.size() > static_cast<std::size_t>(kMaxBracketDepth) + 1) {
      return invalid("parameter nested too deeply: " + key, key);
    }
    Json* node = &out;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) {
      auto it = node->find(path[i]);
      if (it == node->end()) {
        node = &(*node)[path[i]];
        *node = Json::object();
      } else if (it->is_object()) {
        node = &*it;
      } else {
        return invalid("parameter given both as a value and as an object: " + key, key);
      }
    }
    if (node->contains(path.back())) {
      return invalid("parameter given more than once: " + key, key);
    }
    (*node)[path.back()] = value;
  }
  return out;
}

sdk::Result<Json> parse_request_body(const sdk::HttpRequest& request) {
  const std::string type = media_type(request);
  if (request.body.empty()) return Json::object();
  if (type == "application/json") {
    Json parsed = sdk::parse_json(request.body);
    if (parsed.is_discarded()) return invalid("the request body is not valid JSON");
    if (!parsed.is_object()) return invalid("the request body must be a JSON object");
    return parsed;
  }
  if (type == "application/x-www-form-urlencoded") {
    return parse_bracket_pairs(sdk::parse_form(request.body));
  }
  return invalid("Content-Type must be application/json or application/x-www-form-urlencoded");
}

sdk::Result<Json> parse_request_query(const sdk::HttpRequest& request) {
  return parse_bracket_pairs(sdk::parse_form(request.raw_query));
}

}  // namespace payhost::host::api
