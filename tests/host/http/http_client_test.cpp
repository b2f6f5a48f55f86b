// The host's outbound HTTP client against a peer on loopback that answers more than any
// provider or webhook receiver should: the answer is refused, not buffered to the end.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include "http/http_client.hpp"
#include "observability/metrics.hpp"

namespace payhost::host {
namespace {

// Accepts one connection, reads the request head, writes `head` then `body_bytes` of 'x'
// (stopping when the client goes away).
class OneShotServer {
 public:
  OneShotServer(std::string head, std::size_t body_bytes) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(::listen(fd_, 1), 0);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this, head = std::move(head), body_bytes] {
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::read(c, buf, sizeof buf);
        if (n <= 0) break;
        request.append(buf, static_cast<std::size_t>(n));
      }
      if (::send(c, head.data(), head.size(), MSG_NOSIGNAL) > 0) {
        const std::string chunk(64 << 10, 'x');
        for (std::size_t sent = 0; sent < body_bytes;) {
          const ssize_t n =
              ::send(c, chunk.data(), std::min(chunk.size(), body_bytes - sent), MSG_NOSIGNAL);
          if (n <= 0) break;
          sent += static_cast<std::size_t>(n);
        }
      }
      ::close(c);
    });
  }
  ~OneShotServer() {
    thread_.join();
    ::close(fd_);
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/"; }

 private:
  int fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

sdk::Result<sdk::OutboundResponse> post(const std::string& url) {
  Metrics metrics;
  CurlHttpClient client(metrics);
  sdk::OutboundRequest request;
  request.url = url;
  request.body = "{}";
  request.timeout = std::chrono::milliseconds(20000);
  return client.send(request);
}

TEST(CurlHttpClient, ReadsAnOrdinaryAnswer) {
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-A: b\r\n\r\n", 5);
  auto r = post(server.url());
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "xxxxx");
  EXPECT_EQ(r->headers.get("x-a").value_or(""), "b");
}

TEST(CurlHttpClient, RefusesABodyPastFourMebibytesAsUnknown) {
  const std::size_t huge = 64u << 20;
  OneShotServer server("HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(huge) + "\r\n\r\n",
                       huge);
  auto r = post(server.url());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind, sdk::ErrorKind::unavailable);  // the outcome stays unknown
  EXPECT_EQ(r.error().code, "response_too_large");
}

TEST(CurlHttpClient, RefusesEndlessHeaders) {
  std::string head = "HTTP/1.1 200 OK\r\n";
  for (int i = 0; i < 5000; ++i)
    head += "X-Filler-" + std::to_string(i) + ": " + std::string(40, 'y') + "\r\n";
  head += "Content-Length: 0\r\n\r\n";
  OneShotServer server(head, 0);
  auto r = post(server.url());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "response_too_large");
}

}  // namespace
}  // namespace payhost::host
