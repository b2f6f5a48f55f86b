#include "http/http_client.hpp"

#include <curl/curl.h>

#include <memory>

#include "observability/logging.hpp"

namespace payhost::host {

using sdk::ErrorKind;

namespace {

struct CurlHandle {
  CURL* curl = curl_easy_init();
  ~CurlHandle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

// One handle per thread, reset per request: keeps connections to providers alive.
CURL* thread_handle() {
  thread_local CurlHandle handle;
  if (handle.curl) curl_easy_reset(handle.curl);
  return handle.curl;
}

// An answer is read into memory whole: what a peer sends beyond these is refused (the
// transfer fails as a network error), so a hostile or broken provider or webhook receiver
// cannot make the host buffer without bound until the timeout.
constexpr std::size_t kMaxResponseBodyBytes = 4 << 20;
constexpr std::size_t kMaxResponseHeaderBytes = 64 << 10;

struct Received {
  sdk::OutboundResponse* response;
  std::size_t header_bytes = 0;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* received = static_cast<Received*>(user);
  std::string& body = received->response->body;
  if (body.size() + size * n > kMaxResponseBodyBytes) {
    received->too_large = true;
    return 0;  // aborts the transfer
  }
  body.append(data, size * n);
  return size * n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* received = static_cast<Received*>(user);
  received->header_bytes += size * n;
  if (received->header_bytes > kMaxResponseHeaderBytes) {
    received->too_large = true;
    return 0;
  }
  std::string line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    line.pop_back();
  const auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(" \t"));
    received->response->headers.add(line.substr(0, colon), value);
  }
  return size * n;
}

}  // namespace

CurlHttpClient::CurlHttpClient(Metrics& metrics) : metrics_(metrics) {
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

CurlHttpClient::~CurlHttpClient() = default;

sdk::Result<sdk::OutboundResponse> CurlHttpClient::send(
    const sdk::OutboundRequest& request) noexcept {
  try {
    CURL* curl = thread_handle();
    if (!curl) return sdk::make_error(ErrorKind::unavailable, "curl", "cannot create handle");
    sdk::OutboundResponse response;
    Received received{&response};
    curl_easy_setopt(curl, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    if (request.method == "GET") {
      curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
    std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr,
                                                                        &curl_slist_free_all);
    curl_slist* list = nullptr;
    for (const auto& [k, v] : request.headers.all()) {
      list = curl_slist_append(list, (k + ": " + v).c_str());
    }
    list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
    headers.reset(list);
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(request.timeout, request.connect_timeout).count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &on_body);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &received);
    curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, &on_header);
    curl_easy_setopt(curl, CURLOPT_HEADERDATA, &received);
    const CURLcode rc = curl_easy_perform(curl);
    long opened = 0;
    if (curl_easy_getinfo(curl, CURLINFO_NUM_CONNECTS, &opened) == CURLE_OK && opened > 0) {
      metrics_.count_outbound_connections(static_cast<std::uint64_t>(opened));
    }
    if (received.too_large) {
      metrics_.count_outbound("unavailable");
      return sdk::make_error(ErrorKind::unavailable, "response_too_large",
                             "the answer was larger than the host accepts (4 MiB of body, "
                             "64 KiB of headers)");
    }
    if (rc != CURLE_OK) {
      metrics_.count_outbound("unavailable");
      // Timeouts and network errors leave the outcome unknown: never report a failure.
      return sdk::make_error(ErrorKind::unavailable,
                             rc == CURLE_OPERATION_TIMEDOUT ? "timeout" : "network",
                             std::string("request to provider failed: ") + curl_easy_strerror(rc));
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    response.status = static_cast<int>(status);
    metrics_.count_outbound("ok");
    return response;
  } catch (const std::exception& e) {
    return sdk::make_error(ErrorKind::unavailable, "network", e.what());
  }
}

}  // namespace payhost::host
