// Maps (method, path) to a route of the host or a product plugin. "{name}" segments
// capture one path segment; a literal segment wins over a capture.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "payhost/sdk/product.hpp"

namespace payhost::host {

struct RouteTarget {
  sdk::Route route;
  std::string owner;                      // "host" or the product plugin's name
  sdk::ProductPlugin* product = nullptr;  // for the product's auth failure envelope
  // Answered on the HTTP thread: host routes that never wait, and `quick` product routes
  // when reads cannot wait either (SQLite with a free connection).
  enum class Placement { pool, inline_always, inline_with_connection } placement = Placement::pool;
};

class Router {
 public:
  // Refuses a second route with the same method and shape, naming both owners.
  sdk::Status add(RouteTarget target);

  struct Match {
    const RouteTarget* target = nullptr;
    std::map<std::string, std::string> params;
    bool path_known = false;  // some route has this path (for 405 vs 404)
  };
  Match match(const std::string& method, const std::string& path) const;

  // What the listener answers for a request it refuses or cannot route (400, 404, 405,
  // 413, 431...): `{"message": ...}`, or the envelope of the API that owns the path, so
  // that clients of that API read the error as they read its others.
  using RefusalShape = std::function<sdk::HttpResponse(int status, const std::string& message)>;
  void shape_refusals(std::vector<std::string> path_prefixes, RefusalShape shape);
  sdk::HttpResponse refusal(int status, const std::string& message, const std::string& path) const;

 private:
  struct Compiled {
    RouteTarget target;
    std::vector<std::string> segments;
    int literal_count = 0;
  };
  std::vector<Compiled> routes_;
  std::vector<std::pair<std::vector<std::string>, RefusalShape>> shapes_;
};

std::vector<std::string> split_path(const std::string& path);

}  // namespace payhost::host
