// Integration-test support: a raw TCP client for payhostd's listener that sends exact bytes
// (malformed framing, pipelined requests, oversized bodies) and reads the answers with a
// deadline, so a server that never answers fails the test instead of hanging it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace payhost::testing {

struct RawResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // keys lower-cased
  std::string body;
};

class RawConnection {
 public:
  explicit RawConnection(int port);  // to 127.0.0.1; throws std::runtime_error
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False once the server has closed or reset the connection.
  bool send_all(std::string_view bytes);
  // One response (status line, headers, Content-Length body); nothing on timeout or close.
  std::optional<RawResponse> read_response(std::chrono::milliseconds timeout);
  // True if the server ends the connection (EOF or reset) within `timeout`; bytes that came
  // before the end go to `extra`.
  bool closed_by_server(std::chrono::milliseconds timeout, std::string* extra = nullptr);

 private:
  // Reads what is available within `deadline`: false on timeout, EOF or reset (`eof` set
  // for the latter two).
  bool fill(std::chrono::steady_clock::time_point deadline, bool& eof);

  int fd_ = -1;
  std::string buffered_;
};

}  // namespace payhost::testing
