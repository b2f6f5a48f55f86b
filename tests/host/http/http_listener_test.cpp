// payhostd's listener over raw TCP: refusals of ambiguous framing, body and header limits
// enforced before the bytes are read, pipelined requests answered in order, closing, and
// who may read /metrics.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "config/config.hpp"
#include "support/harness.hpp"
#include "support/raw_http.hpp"

namespace payhost::testing {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::ordered_json;

std::string listener_config(const std::string& server_extra = "") {
  return "livemode: false\n"
         "data_dir: \"@DATA_DIR@\"\n"
         "plugin_dir: \"@PLUGIN_DIR@\"\n"
         "database:\n  url: \"@DATABASE_URL@\"\n"
         "auth:\n  jwt_secret: test-secret-please-change-0123456789\n"
         "jobs: {janitor: false}\n"
         "server:\n  max_body_bytes: 65536\n  max_header_bytes: 4096\n" +
         server_extra;
}

class HttpListener : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { host_ = new Payhostd(listener_config()); }
  static void TearDownTestSuite() {
    delete host_;
    host_ = nullptr;
  }
  static int port() { return host_->port(); }
  static Payhostd* host_;
};
Payhostd* HttpListener::host_ = nullptr;

std::string header(const RawResponse& r, const std::string& lower_name) {
  const auto it = r.headers.find(lower_name);
  return it == r.headers.end() ? std::string() : it->second;
}

// The answer is a JSON error with `status`, then the server closes the connection.
void expect_refused_and_closed(RawConnection& c, int status, const std::string& what) {
  const auto r = c.read_response(3s);
  ASSERT_TRUE(r) << what << ": no answer";
  EXPECT_EQ(r->status, status) << what << ": " << r->body;
  EXPECT_EQ(header(*r, "connection"), "close") << what;
  EXPECT_FALSE(Json::parse(r->body).value("message", "").empty()) << what << ": " << r->body;
  EXPECT_TRUE(c.closed_by_server(3s)) << what << ": connection left open";
}

TEST_F(HttpListener, AmbiguousFramingIsRefusedWith400AndClosed) {
  const std::vector<std::string> heads = {
      "Content-Length: 5\r\nContent-Length: 6\r\n",
      "Content-Length: 5\r\nContent-Length: 5\r\n",
      "Content-Length: +5\r\n",
      "Content-Length: 5, 5\r\n",
      "Content-Length: -1\r\n",
      "Content-Length:  5x\r\n",
      "Content-Length: 99999999999999999999999\r\n",
      "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
      "Transfer-Encoding: gzip\r\n",
  };
  for (const auto& head : heads) {
    RawConnection c(port());
    // A second request follows: a server that guessed a length would answer it too.
    ASSERT_TRUE(c.send_all("POST /notify/alipay HTTP/1.1\r\nHost: t\r\n" + head +
                           "\r\nhelloGET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
    expect_refused_and_closed(c, 400, head);
  }
}

TEST_F(HttpListener, DeclaredBodyOverTheLimitIs413BeforeTheBodyIsSent) {
  RawConnection c(port());
  ASSERT_TRUE(
      c.send_all("POST /notify/alipay HTTP/1.1\r\nHost: t\r\nContent-Length: 10485760\r\n\r\n"));
  expect_refused_and_closed(c, 413, "Content-Length 10 MiB");
}

TEST_F(HttpListener, ChunkedBodyIsCutOffAtTheLimit) {
  RawConnection c(port());
  ASSERT_TRUE(
      c.send_all("POST /notify/alipay HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "4000\r\n" + std::string(0x4000, 'a') + "\r\n";
  for (int i = 0; i < 5; ++i) {
    if (!c.send_all(chunk)) break;
  }
  expect_refused_and_closed(c, 413, "chunked 80 KiB");
}

TEST_F(HttpListener, HeaderBlockOverTheLimitIs431) {
  RawConnection c(port());
  ASSERT_TRUE(c.send_all("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(5000, 'a')));
  expect_refused_and_closed(c, 431, "5000-byte header");
}

TEST_F(HttpListener, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection c(port());
  // /readyz runs on the worker pool, /healthz on the reactor: the second finishes first.
  std::string burst;
  const std::vector<std::pair<std::string, std::string>> requests = {{"/readyz", "r1"},
                                                                     {"/healthz", "r2"},
                                                                     {"/nowhere", "r3"},
                                                                     {"/readyz", "r4"},
                                                                     {"/healthz", "r5"}};
  for (const auto& [path, id] : requests)
    burst += "GET " + path + " HTTP/1.1\r\nHost: t\r\nX-Request-Id: " + id + "\r\n\r\n";
  ASSERT_TRUE(c.send_all(burst));
  const std::vector<int> statuses = {200, 200, 404, 200, 200};
  for (std::size_t i = 0; i < requests.size(); ++i) {
    const auto r = c.read_response(5s);
    ASSERT_TRUE(r) << "no answer to request " << i + 1;
    EXPECT_EQ(header(*r, "x-request-id"), requests[i].second);
    EXPECT_EQ(r->status, statuses[i]);
    EXPECT_EQ(header(*r, "connection"), "keep-alive");
  }
  // Still open for the next request.
  ASSERT_TRUE(c.send_all("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n"));
  ASSERT_TRUE(c.read_response(3s));
}

TEST_F(HttpListener, ConnectionCloseClosesTheSocketAfterTheAnswer) {
  for (const std::string request : {"GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                                    "GET /readyz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
                                    "GET /healthz HTTP/1.0\r\n\r\n"}) {
    RawConnection c(port());
    ASSERT_TRUE(c.send_all(request));
    const auto r = c.read_response(3s);
    ASSERT_TRUE(r) << request;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(header(*r, "connection"), "close");
    std::string extra;
    EXPECT_TRUE(c.closed_by_server(3s, &extra)) << request;
    EXPECT_EQ(extra, "");
  }
  RawConnection kept(port());
  ASSERT_TRUE(kept.send_all("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
  ASSERT_TRUE(kept.read_response(3s));
  EXPECT_FALSE(kept.closed_by_server(300ms));
}

TEST_F(HttpListener, ExpectContinueGetsAnInterimAnswer) {
  RawConnection c(port());
  ASSERT_TRUE(
      c.send_all("POST /notify/nothing HTTP/1.1\r\nHost: t\r\nExpect: "
                 "100-continue\r\nContent-Length: 2\r\n\r\n"));
  const auto interim = c.read_response(3s);
  ASSERT_TRUE(interim);
  EXPECT_EQ(interim->status, 100);
  ASSERT_TRUE(c.send_all("{}"));
  const auto r = c.read_response(3s);
  ASSERT_TRUE(r);
  EXPECT_NE(r->status, 100);
}

// Four clients each send a 10 MB body to an unauthenticated route while /healthz is probed:
// the refusal costs each of them a header block, so the probes keep answering at once.
TEST_F(HttpListener, OversizedBodiesDoNotStallOtherClients) {
  const std::string head =
      "POST /notify/alipay HTTP/1.1\r\nHost: t\r\nContent-Type: "
      "application/x-www-form-urlencoded\r\nContent-Length: 10485760\r\n\r\n";
  const std::string piece(64 * 1024, 'a');
  std::atomic<int> running{4};
  std::atomic<int> refused{0};
  std::vector<std::thread> senders;
  for (int i = 0; i < 4; ++i) {
    senders.emplace_back([&] {
      try {
        RawConnection c(port());
        const auto deadline = std::chrono::steady_clock::now() + 8s;
        bool open = c.send_all(head);
        for (int sent = 0; open && sent < 160 && std::chrono::steady_clock::now() < deadline;
             ++sent) {
          open = c.send_all(piece);
        }
        const auto r = c.read_response(3s);
        if (r && r->status == 413) ++refused;
      } catch (const std::exception&) {
      }
      --running;
    });
  }
  std::vector<double> probe_ms;
  const auto started = std::chrono::steady_clock::now();
  while (running > 0 || probe_ms.size() < 10) {
    const auto t0 = std::chrono::steady_clock::now();
    RawConnection probe(port());
    const bool sent = probe.send_all("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
    const auto r = sent ? probe.read_response(5s) : std::nullopt;
    probe_ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    EXPECT_TRUE(r && r->status == 200) << "probe " << probe_ms.size() << " got no answer";
    if (std::chrono::steady_clock::now() - started > 20s) break;
    std::this_thread::sleep_for(20ms);
  }
  for (auto& t : senders)
    t.join();
  double worst = 0;
  for (double ms : probe_ms)
    worst = std::max(worst, ms);
  EXPECT_LT(worst, 500.0) << probe_ms.size() << " probes";
  EXPECT_GE(refused.load(), 1) << "no client saw the 413";
}

TEST(HttpListenerMetrics, LoopbackReadsMetricsByDefault) {
  Payhostd host(listener_config());
  EXPECT_EQ(host.get("/metrics").status, 200);
}

TEST(HttpListenerMetrics, OtherClientsNeedTheToken) {
  // No address allowed: this is how a client from elsewhere is treated.
  Payhostd closed(listener_config("  metrics_allow: []\n"));
  const HttpResult refused = closed.get("/metrics");
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.body.find("payhost_"), std::string::npos);

  const std::string token = "metrics-token-0123456789abcdef";
  Payhostd guarded(listener_config("  metrics_allow: []\n  metrics_token: " + token + "\n"));
  EXPECT_EQ(guarded.get("/metrics").status, 401);
  EXPECT_EQ(guarded.get("/metrics", "wrong-token").status, 401);
  const HttpResult ok = guarded.get("/metrics", token);
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_NE(ok.body.find("payhost_http_requests_total"), std::string::npos);
  EXPECT_EQ(guarded.output().find(token), std::string::npos);
}

// Behind a trusted proxy the allow list applies to the client the proxy names, not to the
// proxy; what a client writes into X-Forwarded-For itself is not believed.
TEST(HttpListenerMetrics, BehindATrustedProxyTheForwardedClientCounts) {
  Payhostd host(listener_config(
      "  trusted_proxies: [\"127.0.0.0/8\"]\n  metrics_allow: [\"203.0.113.0/28\"]\n"));
  EXPECT_EQ(host.get("/metrics").status, 403);  // the proxy itself
  const auto via = [&](const std::string& forwarded) {
    return host.request("GET", "/metrics", "", {"X-Forwarded-For: " + forwarded}).status;
  };
  EXPECT_EQ(via("203.0.113.9"), 200);
  EXPECT_EQ(via("::ffff:203.0.113.9"), 200);
  EXPECT_EQ(via("203.0.113.9, 198.51.100.2"), 403);  // the client claimed 203.0.113.9
  EXPECT_EQ(via("not-an-address"), 403);

  Payhostd direct(listener_config("  metrics_allow: [\"203.0.113.9\"]\n"));
  EXPECT_EQ(direct.request("GET", "/metrics", "", {"X-Forwarded-For: 203.0.113.9"}).status, 403);
}

TEST(HttpListenerMetrics, InvalidAllowedAddressStopsStartUpNamingTheKey) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("payhost-metrics-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "payhost.yaml").string();
  std::ofstream(file) << "server:\n  metrics_allow: [\"127.0.0.1\", \"example.com\"]\n";
  const auto loaded = host::load_config(file);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find(file), std::string::npos) << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("server.metrics_allow: \"example.com\" is not an IP"),
            std::string::npos)
      << loaded.error().message;

  std::filesystem::create_directories(dir);
  std::ofstream(file) << "server:\n  trusted_proxies: [\"10.0.0.0/8\", \"10.1.0.0/8\"]\n";
  const auto proxies = host::load_config(file);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(proxies.ok());
  EXPECT_NE(proxies.error().message.find("server.trusted_proxies: \"10.1.0.0/8\" is not an IP "
                                         "address or CIDR range"),
            std::string::npos)
      << proxies.error().message;
}

}  // namespace
}  // namespace payhost::testing
