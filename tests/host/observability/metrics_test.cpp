#include "observability/metrics.hpp"

#include <gtest/gtest.h>

namespace payhost::host {
namespace {

bool has_line(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(Metrics, RequestsByRouteAndStatusWithLatencyHistograms) {
  Metrics m;
  m.observe_request("/api/v2/wallet", 200, 0.0004);
  m.observe_request("/api/v2/wallet", 200, 0.02);
  m.observe_request("/api/v2/wallet", 401, 0.0001);
  m.observe_request("/v1/me", 200, 3.0);
  m.count_notification("alipay", "refused");
  const std::string out = m.render("extra_gauge 1\n");
  EXPECT_TRUE(
      has_line(out, "payhost_http_requests_total{route=\"/api/v2/wallet\",status=\"200\"} 2"))
      << out;
  EXPECT_TRUE(
      has_line(out, "payhost_http_requests_total{route=\"/api/v2/wallet\",status=\"401\"} 1"));
  EXPECT_TRUE(has_line(out, "payhost_http_requests_total{route=\"/v1/me\",status=\"200\"} 1"));
  // Buckets are cumulative: 0.0004 and 0.0001 are under 1 ms, 0.02 under 25 ms.
  EXPECT_TRUE(has_line(
      out,
      "payhost_http_request_duration_seconds_bucket{route=\"/api/v2/wallet\",le=\"0.001\"} 2"));
  EXPECT_TRUE(has_line(
      out,
      "payhost_http_request_duration_seconds_bucket{route=\"/api/v2/wallet\",le=\"0.025\"} 3"));
  EXPECT_TRUE(
      has_line(out, "payhost_http_request_duration_seconds_bucket{route=\"/v1/me\",le=\"2.5\"} 0"));
  EXPECT_TRUE(has_line(
      out, "payhost_http_request_duration_seconds_bucket{route=\"/v1/me\",le=\"+Inf\"} 1"));
  EXPECT_TRUE(
      has_line(out, "payhost_http_request_duration_seconds_count{route=\"/api/v2/wallet\"} 3"));
  EXPECT_TRUE(has_line(out, "payhost_notifications_total{plugin=\"alipay\",result=\"refused\"} 1"));
  EXPECT_TRUE(has_line(out, "extra_gauge 1"));
}

}  // namespace
}  // namespace payhost::host
