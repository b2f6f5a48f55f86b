// Outbound HTTP(S) for plugins, over libcurl. The host owns TLS, timeouts and metrics.
#pragma once

#include "observability/metrics.hpp"
#include "payhost/sdk/host.hpp"

namespace payhost::host {

class CurlHttpClient final : public sdk::HttpClient {
 public:
  explicit CurlHttpClient(Metrics& metrics);
  ~CurlHttpClient() override;
  sdk::Result<sdk::OutboundResponse> send(const sdk::OutboundRequest& request) noexcept override;

 private:
  Metrics& metrics_;
};

}  // namespace payhost::host
