#include "support/raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>

namespace payhost::testing {

RawConnection::RawConnection(int port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
  }
}

RawConnection::~RawConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawConnection::send_all(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool RawConnection::fill(std::chrono::steady_clock::time_point deadline, bool& eof) {
  eof = false;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  pollfd p{fd_, POLLIN, 0};
  const int ready = ::poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
  if (ready <= 0) return false;
  char chunk[16384];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    eof = true;
    return false;
  }
  buffered_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<RawResponse> RawConnection::read_response(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool eof = false;
  std::size_t head_end;
  while ((head_end = buffered_.find("\r\n\r\n")) == std::string::npos) {
    if (!fill(deadline, eof)) return std::nullopt;
  }
  RawResponse out;
  const std::string head = buffered_.substr(0, head_end);
  if (head.compare(0, 9, "HTTP/1.1 ") != 0 || head.size() < 12) return std::nullopt;
  out.status = std::stoi(head.substr(9, 3));
  std::size_t p = head.find("\r\n");
  while (p != std::string::npos && p + 2 < head.size()) {
    const auto e = std::min(head.find("\r\n", p + 2), head.size());
    const std::string line = head.substr(p + 2, e - p - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      out.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
    }
    p = e == head.size() ? std::string::npos : e;
  }
  const std::size_t length =
      out.headers.count("content-length") ? std::stoul(out.headers["content-length"]) : 0;
  while (buffered_.size() < head_end + 4 + length) {
    if (!fill(deadline, eof)) return std::nullopt;
  }
  out.body = buffered_.substr(head_end + 4, length);
  buffered_.erase(0, head_end + 4 + length);
  return out;
}

bool RawConnection::closed_by_server(std::chrono::milliseconds timeout, std::string* extra) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool eof = false;
  while (fill(deadline, eof)) {
  }
  if (extra) *extra = buffered_;
  return eof;
}

}  // namespace payhost::testing
