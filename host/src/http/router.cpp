#include "http/router.hpp"

#include "http/dispatcher.hpp"

namespace payhost::host {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    const auto next = path.find('/', i);
    out.push_back(path.substr(i, next == std::string::npos ? std::string::npos : next - i));
    i = next == std::string::npos ? path.size() : next;
  }
  return out;
}

namespace {

bool is_capture(const std::string& s) {
  return s.size() > 2 && s.front() == '{' && s.back() == '}';
}

}  // namespace

sdk::Status Router::add(RouteTarget target) {
  Compiled c;
  c.segments = split_path(target.route.path);
  for (const auto& s : c.segments)
    c.literal_count += is_capture(s) ? 0 : 1;
  for (const auto& existing : routes_) {
    if (existing.target.route.method != target.route.method ||
        existing.segments.size() != c.segments.size()) {
      continue;
    }
    bool same = true;
    for (std::size_t i = 0; i < c.segments.size() && same; ++i) {
      const bool a = is_capture(existing.segments[i]), b = is_capture(c.segments[i]);
      same = a == b && (a || existing.segments[i] == c.segments[i]);
    }
    if (same) {
      return sdk::make_error(sdk::ErrorKind::invalid_request, "route_conflict",
                             target.owner + " route " + target.route.method + " " +
                                 target.route.path + " clashes with " + existing.target.owner +
                                 " route " + existing.target.route.path);
    }
  }
  c.target = std::move(target);
  routes_.push_back(std::move(c));
  return {};
}

Router::Match Router::match(const std::string& method, const std::string& path) const {
  Match best;
  int best_literals = -1;
  const auto segments = split_path(path);
  for (const auto& c : routes_) {
    if (c.segments.size() != segments.size()) continue;
    bool ok = true;
    for (std::size_t i = 0; i < segments.size() && ok; ++i) {
      ok = is_capture(c.segments[i]) || c.segments[i] == segments[i];
    }
    if (!ok) continue;
    best.path_known = true;
    if (c.target.route.method != method || c.literal_count <= best_literals) continue;
    best_literals = c.literal_count;
    best.target = &c.target;
    best.params.clear();
    for (std::size_t i = 0; i < segments.size(); ++i) {
      if (is_capture(c.segments[i])) {
        best.params[c.segments[i].substr(1, c.segments[i].size() - 2)] = segments[i];
      }
    }
  }
  return best;
}

void Router::shape_refusals(std::vector<std::string> path_prefixes, RefusalShape shape) {
  shapes_.emplace_back(std::move(path_prefixes), std::move(shape));
}

sdk::HttpResponse Router::refusal(int status, const std::string& message,
                                  const std::string& path) const {
  for (const auto& [prefixes, shape] : shapes_) {
    for (const auto& prefix : prefixes) {
      // Whole segments only: "/v1/charges" owns "/v1/charges/x", not "/v1/chargesx".
      if (path.starts_with(prefix) &&
          (path.size() == prefix.size() || path[prefix.size()] == '/')) {
        return shape(status, message);
      }
    }
  }
  return json_error(status, message);
}

}  // namespace payhost::host
