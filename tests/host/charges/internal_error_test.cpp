// No exception text and no SQL reaches a client: requests built to make the parser, a
// plugin or the database throw get the API's internal-error answer (the detail, with the
// request id, goes to the log). Real payhostd, SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <string>
#include <vector>

#include "flow_support.hpp"
#include "storage/database.hpp"

namespace payhost::flow {
namespace {

// What exceptions and drivers say; none of it may appear in an answer.
const std::vector<std::string> kInternalTexts = {
    "basic_string", "_M_create", "stoull",        "stoll",  "bad_alloc", "what()",
    "threw",        "SELECT",    "INSERT",        "UPDATE", "sqlite",    "SQLITE",
    "syntax",       "relation",  "no such table", "soci",   "Postgre"};

void expect_no_internal_text(const std::string& body, const std::string& what) {
  for (const auto& text : kInternalTexts) {
    EXPECT_EQ(body.find(text), std::string::npos) << what << " answered: " << body;
  }
}

// One raw HTTP exchange (headers the client library would not send as they are).
std::string raw_exchange(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return {};
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string answer;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(request.size())) {
    char buffer[4096];
    ssize_t n = 0;
    while ((n = ::recv(fd, buffer, sizeof buffer, 0)) > 0)
      answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return answer;
}

class InternalErrors : public ::testing::TestWithParam<std::string> {
 protected:
  bool postgres() const { return GetParam() == "postgresql"; }
};

TEST_P(InternalErrors, MalformedFramingIsAnsweredWithoutExceptionText) {
  Payhostd host(config(), postgres());
  const std::string post = "POST /test/charges HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
  for (const std::string length :
       {"99999999999999999999999999", "18446744073709551615", "9223372036854775807", "abc", "-1"}) {
    const std::string answer =
        raw_exchange(host.port(), post + "Content-Length: " + length + "\r\n\r\n{}");
    EXPECT_EQ(answer.rfind("HTTP/1.1 ", 0), 0u) << length << ": " << answer;
    expect_no_internal_text(answer, "Content-Length " + length);
  }
  const std::string chunked =
      raw_exchange(host.port(), post + "Transfer-Encoding: chunked\r\n\r\nfffffffffffffff\r\n");
  expect_no_internal_text(chunked, "a huge chunk");
  EXPECT_EQ(host.get("/healthz").status, 200);
}

TEST_P(InternalErrors, DatabaseFailuresAnswerWithoutSql) {
  Payhostd host(config(), postgres());
  const Json c = create(host, 100);
  // Take the charges table away under the running host: every statement on it fails.
  host::DatabaseConfig database;
  database.url = host.database_url();
  database.pool_size = 1;
  auto db = host::Db::open(database, host.data_dir());
  ASSERT_TRUE(db.ok()) << db.error().message;
  ASSERT_TRUE((*db)->transact([](soci::session& sql) -> sdk::Status {
    sql << "ALTER TABLE charges RENAME TO charges_away";
    return {};
  }));

  const auto read = host.get("/test/charges/" + c["id"].get<std::string>());
  EXPECT_GE(read.status, 400);
  expect_no_internal_text(read.body, "reading a charge");
  const auto created =
      host.post_json("/test/charges", Json{{"channel", "testpay"}, {"amount", 100}}.dump());
  EXPECT_GE(created.status, 400);
  expect_no_internal_text(created.body, "creating a charge");
  EXPECT_NE(created.body.find("internal error"), std::string::npos) << created.body;
  // The operator has the detail, under the request id the client was given.
  const auto id_header = created.headers.find("x-request-id");
  ASSERT_NE(id_header, created.headers.end());
  const std::string& request_id = id_header->second;
  const std::string log = host.output();
  const auto line = log.find("[req=" + request_id + "] storing a charge failed: db_error");
  EXPECT_NE(line, std::string::npos) << log.substr(log.size() > 3000 ? log.size() - 3000 : 0);
}

INSTANTIATE_TEST_SUITE_P(Engines, InternalErrors, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& tp) { return tp.param; });

}  // namespace
}  // namespace payhost::flow
