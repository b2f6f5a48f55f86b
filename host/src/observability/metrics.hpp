// Prometheus text metrics: requests by route and status, latency, notifications.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace payhost::host {

class Metrics {
 public:
  // `route` is the route pattern ("/api/v2/wallet/charges/{id}"), never the raw path, so
  // label cardinality stays bounded.
  void observe_request(const std::string& route, int status, double seconds);
  // result: accepted, refused, error
  void count_notification(const std::string& plugin, const std::string& result);
  void count_outbound(const std::string& result);  // ok, unavailable
  // Connections an outbound call had to open (TCP, and TLS where used): with keep-alive
  // this stays near the number of worker threads however many calls are made.
  void count_outbound_connections(std::uint64_t opened);

  // Everything in Prometheus text format 0.0.4; `extra` is appended (gauges computed at
  // scrape time, e.g. charges by channel and state).
  std::string render(const std::string& extra) const;

 private:
  static constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                      0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };

  struct RouteStats {
    std::map<int, std::uint64_t> by_status;
    Histogram latency;
  };

  mutable std::mutex mutex_;
  // By route pattern: a request finds its entry without building a key (no allocation).
  std::map<std::string, RouteStats> routes_;
  std::map<std::pair<std::string, std::string>, std::uint64_t> notifications_;
  std::map<std::string, std::uint64_t> outbound_;
  std::uint64_t outbound_connections_ = 0;
};

// Escapes a Prometheus label value.
std::string prometheus_label(const std::string& value);

}  // namespace payhost::host
