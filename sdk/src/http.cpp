#include "payhost/sdk/http.hpp"

#include <strings.h>

#include "payhost/sdk/encoding.hpp"

namespace payhost::sdk {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

void Headers::add(std::string name, std::string value) {
  items_.emplace_back(std::move(name), std::move(value));
}

void Headers::set(std::string name, std::string value) {
  std::erase_if(items_, [&](const auto& kv) { return iequals(kv.first, name); });
  items_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> Headers::get(std::string_view name) const {
  for (const auto& [k, v] : items_) {
    if (iequals(k, name)) return v;
  }
  return std::nullopt;
}

std::string HttpRequest::query_param(std::string_view name, std::string fallback) const {
  auto it = query.find(std::string(name));
  return it == query.end() ? fallback : it->second;
}

std::string HttpRequest::path_param(std::string_view name) const {
  auto it = path_params.find(std::string(name));
  return it == path_params.end() ? std::string() : it->second;
}

HttpResponse HttpResponse::json(int status, const Json& body) {
  // json_dump replaces invalid UTF-8 rather than throw: a response must always be produced.
  return json_text(status, json_dump(body));
}

HttpResponse HttpResponse::json_text(int status, std::string body) {
  return text(status, std::move(body), "application/json; charset=utf-8");
}

HttpResponse HttpResponse::text(int status, std::string body, std::string content_type) {
  HttpResponse r;
  r.status = status;
  r.headers.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

std::vector<std::pair<std::string, std::string>> parse_form(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    const std::string_view key = pair.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    auto k = url_decode(key);
    auto v = url_decode(value);
    // A malformed escape is kept verbatim: verification of the signed string then fails
    // instead of silently matching a different value.
    out.emplace_back(k ? *k : std::string(key), v ? *v : std::string(value));
  }
  return out;
}

std::map<std::string, std::string> parse_form_map(std::string_view body) {
  std::map<std::string, std::string> out;
  for (auto& [k, v] : parse_form(body))
    out.insert_or_assign(std::move(k), std::move(v));
  return out;
}

}  // namespace payhost::sdk
