#include "observability/metrics.hpp"

#include <sstream>

namespace payhost::host {

std::string prometheus_label(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Metrics::observe_request(const std::string& route, int status, double seconds) {
  std::lock_guard lock(mutex_);
  RouteStats& stats = routes_.try_emplace(route).first->second;
  ++stats.by_status[status];
  Histogram& h = stats.latency;
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::count_notification(const std::string& plugin, const std::string& result) {
  std::lock_guard lock(mutex_);
  ++notifications_[{plugin, result}];
}

void Metrics::count_outbound(const std::string& result) {
  std::lock_guard lock(mutex_);
  ++outbound_[result];
}

void Metrics::count_outbound_connections(std::uint64_t opened) {
  if (opened == 0) return;
  std::lock_guard lock(mutex_);
  outbound_connections_ += opened;
}

std::string Metrics::render(const std::string& extra) const {
  std::ostringstream out;
  std::lock_guard lock(mutex_);
  out << "# HELP payhost_http_requests_total HTTP requests by route pattern and status.\n"
         "# TYPE payhost_http_requests_total counter\n";
  for (const auto& [route, stats] : routes_) {
    const std::string label = prometheus_label(route);
    for (const auto& [status, n] : stats.by_status) {
      out << "payhost_http_requests_total{route=\"" << label << "\",status=\"" << status << "\"} "
          << n << "\n";
    }
  }
  out << "# HELP payhost_http_request_duration_seconds Request latency by route pattern.\n"
         "# TYPE payhost_http_request_duration_seconds histogram\n";
  for (const auto& [route, stats] : routes_) {
    const Histogram& h = stats.latency;
    const std::string label = prometheus_label(route);
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out << "payhost_http_request_duration_seconds_bucket{route=\"" << label << "\",le=\""
          << kBuckets[i] << "\"} " << h.buckets[i] << "\n";
    }
    out << "payhost_http_request_duration_seconds_bucket{route=\"" << label << "\",le=\"+Inf\"} "
        << h.count << "\n";
    out << "payhost_http_request_duration_seconds_sum{route=\"" << label << "\"} " << h.sum << "\n";
    out << "payhost_http_request_duration_seconds_count{route=\"" << label << "\"} " << h.count
        << "\n";
  }
  out << "# HELP payhost_notifications_total Provider notifications by plugin and result.\n"
         "# TYPE payhost_notifications_total counter\n";
  for (const auto& [key, n] : notifications_) {
    out << "payhost_notifications_total{plugin=\"" << prometheus_label(key.first) << "\",result=\""
        << key.second << "\"} " << n << "\n";
  }
  out << "# HELP payhost_outbound_requests_total Outbound provider calls by result.\n"
         "# TYPE payhost_outbound_requests_total counter\n";
  for (const auto& [result, n] : outbound_) {
    out << "payhost_outbound_requests_total{result=\"" << result << "\"} " << n << "\n";
  }
  out << "# HELP payhost_outbound_connections_total Connections opened for outbound calls.\n"
         "# TYPE payhost_outbound_connections_total counter\n"
         "payhost_outbound_connections_total "
      << outbound_connections_ << "\n";
  out << extra;
  return out.str();
}

}  // namespace payhost::host
