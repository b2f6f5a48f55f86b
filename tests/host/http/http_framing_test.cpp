// RequestFramer: RFC 9112 framing of one connection's bytes, refusing what is ambiguous.
#include "http/http_framing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace payhost::host {
namespace {

using Result = RequestFramer::Result;

struct Framed {
  std::vector<sdk::HttpRequest> requests;
  std::vector<bool> keep_alive;
  Result last = Result::incomplete;
  RequestFramer::Refusal refusal;
};

// Feeds `bytes` in pieces of `piece` bytes, collecting every request framed.
Framed frame(const std::string& bytes, std::size_t piece = 1 << 20,
             RequestFramer::Limits limits = {1024, 64}) {
  RequestFramer framer(limits);
  Framed out;
  for (std::size_t i = 0; i < bytes.size(); i += piece) {
    framer.append(bytes.data() + i, std::min(piece, bytes.size() - i));
    for (;;) {
      sdk::HttpRequest request;
      bool keep_alive = false;
      out.last = framer.next(request, keep_alive);
      if (out.last != Result::request) break;
      out.requests.push_back(std::move(request));
      out.keep_alive.push_back(keep_alive);
    }
    if (out.last == Result::refused) {
      out.refusal = framer.refusal();
      break;
    }
  }
  return out;
}

TEST(HttpFraming, FramesARequestWithItsQueryHeadersAndBody) {
  const auto f = frame(
      "POST /v1/x?b=2&a=%20 HTTP/1.1\r\nHost: h\r\nX-A:  v  \r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_EQ(f.requests.size(), 1u);
  const auto& r = f.requests[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.path, "/v1/x");
  EXPECT_EQ(r.raw_query, "b=2&a=%20");
  EXPECT_EQ(r.query.at("a"), " ");
  EXPECT_EQ(r.header("x-a").value_or(""), "v");
  EXPECT_EQ(r.body, "hello");
  EXPECT_TRUE(f.keep_alive[0]);
  EXPECT_EQ(f.last, Result::incomplete);
}

TEST(HttpFraming, SameResultFedOneByteAtATime) {
  const std::string bytes =
      "POST /a HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc"
      "POST /b HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2;x=y\r\nde\r\n1\r\nf\r\n0\r\n"
      "T: 1\r\n\r\nGET /c HTTP/1.1\r\n\r\n";
  for (std::size_t piece : {std::size_t{1}, std::size_t{7}, bytes.size()}) {
    const auto f = frame(bytes, piece);
    ASSERT_EQ(f.requests.size(), 3u) << piece;
    EXPECT_EQ(f.requests[0].body, "abc");
    EXPECT_EQ(f.requests[1].path, "/b");
    EXPECT_EQ(f.requests[1].body, "def");
    EXPECT_FALSE(f.requests[1].header("T")) << "trailers are not merged into the headers";
    EXPECT_EQ(f.requests[2].path, "/c");
    EXPECT_EQ(f.requests[2].body, "");
  }
}

TEST(HttpFraming, ConnectionCloseAndHttp10EndTheConnection) {
  EXPECT_FALSE(frame("GET / HTTP/1.1\r\nConnection: close\r\n\r\n").keep_alive.at(0));
  EXPECT_FALSE(frame("GET / HTTP/1.1\r\nConnection: TE, Close\r\n\r\n").keep_alive.at(0));
  EXPECT_FALSE(frame("GET / HTTP/1.0\r\n\r\n").keep_alive.at(0));
  EXPECT_TRUE(frame("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keep_alive.at(0));
  EXPECT_TRUE(frame("GET / HTTP/1.1\r\n\r\n").keep_alive.at(0));
}

TEST(HttpFraming, AmbiguousLengthsAreRefusedWith400) {
  const std::vector<std::string> heads = {
      "Content-Length: 5\r\nContent-Length: 6",
      "Content-Length: 5\r\nContent-Length: 5",  // identical repeats too (RFC 9112 §6.3)
      "Content-Length: +5",
      "Content-Length: 5, 5",
      "Content-Length: -1",
      "Content-Length:  5x",
      "Content-Length: 0x5",
      "Content-Length: ",
      "Content-Length: 99999999999999999999999",
      "Content-Length: 5\r\nTransfer-Encoding: chunked",
      "Transfer-Encoding: gzip",
      "Transfer-Encoding: gzip, chunked",
      "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
      "Content-Length : 5",
      " Content-Length: 5",
      "X: a\r\n folded",
      "X: a\x01",
  };
  for (const auto& head : heads) {
    const auto f = frame("POST / HTTP/1.1\r\n" + head + "\r\n\r\nhello");
    EXPECT_EQ(f.last, Result::refused) << head;
    EXPECT_EQ(f.refusal.status, 400) << head;
    EXPECT_TRUE(f.requests.empty()) << head;
  }
  EXPECT_EQ(frame("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").refusal.status,
            400);
}

TEST(HttpFraming, MalformedRequestLinesAreRefused) {
  EXPECT_EQ(frame("GET /\r\n\r\n").refusal.status, 400);
  EXPECT_EQ(frame("GET  / HTTP/1.1\r\n\r\n").refusal.status, 400);
  EXPECT_EQ(frame("GET http://x/ HTTP/1.1\r\n\r\n").refusal.status, 400);
  EXPECT_EQ(frame("G(T / HTTP/1.1\r\n\r\n").refusal.status, 400);
  EXPECT_EQ(frame("GET / HTTP/2.0\r\n\r\n").refusal.status, 505);
  EXPECT_EQ(frame("GET / FOO\r\n\r\n").refusal.status, 400);
}

TEST(HttpFraming, DeclaredBodyOverTheLimitIsRefusedBeforeItArrives) {
  // Limit 64: the header block alone is enough to refuse.
  const auto f = frame("POST / HTTP/1.1\r\nContent-Length: 65\r\n\r\n");
  EXPECT_EQ(f.last, Result::refused);
  EXPECT_EQ(f.refusal.status, 413);
  EXPECT_EQ(frame("POST / HTTP/1.1\r\nContent-Length: 64\r\n\r\n").last, Result::incomplete);
}

TEST(HttpFraming, ChunkedBodyIsCutOffWhenItsDecodedSizePassesTheLimit) {
  std::string bytes = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 6; ++i)
    bytes += "10\r\n" + std::string(16, 'x') + "\r\n";
  const auto f = frame(bytes, 5);
  EXPECT_EQ(f.last, Result::refused);
  EXPECT_EQ(f.refusal.status, 413);
  EXPECT_EQ(frame("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n").refusal.status,
            400);
  EXPECT_EQ(
      frame("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nab\r\n").refusal.status,
      400);
}

TEST(HttpFraming, HeaderBlockIsCapped) {
  // Limit 1024, whether or not the block ever ends.
  const std::string big = "GET / HTTP/1.1\r\nX: " + std::string(1100, 'a');
  EXPECT_EQ(frame(big, 100).refusal.status, 431);
  EXPECT_EQ(frame(big + "\r\n\r\n").refusal.status, 431);
  EXPECT_EQ(frame("GET / HTTP/1.1\r\nX: " + std::string(900, 'a') + "\r\n\r\n").requests.size(),
            1u);
}

TEST(HttpFraming, ContinueIsOfferedOnlyWhileTheBodyHasNotCome) {
  RequestFramer framer({1024, 64});
  const std::string head = "POST / HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n";
  framer.append(head.data(), head.size());
  sdk::HttpRequest r;
  bool keep_alive = false;
  EXPECT_EQ(framer.next(r, keep_alive), Result::incomplete);
  EXPECT_TRUE(framer.take_continue());
  EXPECT_FALSE(framer.take_continue());
  framer.append("ok", 2);
  EXPECT_EQ(framer.next(r, keep_alive), Result::request);
  EXPECT_EQ(r.body, "ok");

  RequestFramer eager({1024, 64});
  const std::string whole = head + "ok";
  eager.append(whole.data(), whole.size());
  EXPECT_EQ(eager.next(r, keep_alive), Result::request);
  EXPECT_FALSE(eager.take_continue());
}

}  // namespace
}  // namespace payhost::host
