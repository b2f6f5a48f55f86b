#include "http_fault_proxy.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <sstream>
#include <stdexcept>

#include "loopback_socket.hpp"

namespace payhost::testing {

namespace {

bool send_all(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads what `fd` sends until `done`, the peer closes, or `ms` pass in silence; whether
// `done` was reached.
template <class Done>
bool read_until(int fd, std::string& into, int ms, Done done) {
  char buffer[16384];
  while (!done(into)) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) return false;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0) return false;
    if (n == 0) return done(into);  // the peer closed: what came is all there is
    into.append(buffer, static_cast<std::size_t>(n));
  }
  return true;
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::size_t content_length(const std::string& head) {
  const std::string l = lower(head);
  const auto at = l.find("\r\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::stoul(l.substr(at + 17, l.find("\r\n", at + 2) - at - 17));
}

// The request as the upstream gets it: `Connection: close`, no `Expect` (answered here).
std::string rewritten(const std::string& head, const std::string& body) {
  std::istringstream lines(head);
  std::string line, out;
  std::getline(lines, line);
  out = line + "\n";
  while (std::getline(lines, line)) {
    const std::string l = lower(line);
    if (l.rfind("connection:", 0) == 0 || l.rfind("expect:", 0) == 0 ||
        l.rfind("keep-alive:", 0) == 0 || line == "\r" || line.empty()) {
      continue;
    }
    out += line + "\n";
  }
  return out + "Connection: close\r\n\r\n" + body;
}

std::string gateway_answer(int status) {
  const std::string reason = status == 500   ? "Internal Server Error"
                             : status == 502 ? "Bad Gateway"
                                             : "Service Unavailable";
  const std::string body =
      "<html><body><h1>" + std::to_string(status) + " " + reason + "</h1></body></html>";
  return "HTTP/1.1 " + std::to_string(status) + " " + reason +
         "\r\nContent-Type: text/html\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\nConnection: close\r\n\r\n" + body;
}

}  // namespace

const char* to_string(Fault fault) {
  switch (fault) {
    case Fault::pass:
      return "pass";
    case Fault::reset:
      return "reset";
    case Fault::status500:
      return "status500";
    case Fault::status502:
      return "status502";
    case Fault::status503:
      return "status503";
    case Fault::timeout:
      return "timeout";
    case Fault::truncated:
      return "truncated";
    case Fault::slow:
      return "slow";
  }
  return "?";
}

HttpFaultProxy::HttpFaultProxy() {
  listener_ = listen_on_loopback(port_, "http fault proxy");
  acceptor_ = std::thread([this] { accept_loop(); });
}

HttpFaultProxy::~HttpFaultProxy() {
  stopping_ = true;
  acceptor_.join();
  std::vector<std::thread> workers;
  {
    std::lock_guard lock(mutex_);
    workers.swap(workers_);
  }
  for (auto& t : workers)
    t.join();
  ::close(listener_);
}

std::string HttpFaultProxy::url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void HttpFaultProxy::set_delays(int timeout_hold_ms, int slow_ms) {
  timeout_hold_ms_ = timeout_hold_ms;
  slow_ms_ = slow_ms;
}

void HttpFaultProxy::inject(const std::string& needle, Fault fault) {
  std::lock_guard lock(mutex_);
  rules_.emplace_back(needle, fault);
}

void HttpFaultProxy::heal() {
  std::lock_guard lock(mutex_);
  rules_.clear();
}

int HttpFaultProxy::seen(const std::string& needle) const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count_if(seen_.begin(), seen_.end(), [&](const Seen& s) {
    return s.request.find(needle) != std::string::npos;
  }));
}

int HttpFaultProxy::faulted(const std::string& needle) const {
  std::lock_guard lock(mutex_);
  return static_cast<int>(std::count_if(seen_.begin(), seen_.end(), [&](const Seen& s) {
    return s.faulted && s.request.find(needle) != std::string::npos;
  }));
}

Fault HttpFaultProxy::fault_for(const std::string& request) const {
  std::lock_guard lock(mutex_);
  for (const auto& [needle, fault] : rules_) {
    if (request.find(needle) != std::string::npos) return fault;
  }
  return Fault::pass;
}

void HttpFaultProxy::accept_loop() {
  while (!stopping_) {
    pollfd p{listener_, POLLIN, 0};
    if (::poll(&p, 1, 50) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard lock(mutex_);
    workers_.emplace_back([this, client] { serve(client); });
  }
}

void HttpFaultProxy::serve(int client) {
  std::string request;
  const auto header_end = [](const std::string& s) { return s.find("\r\n\r\n"); };
  if (!read_until(client, request, 5000,
                  [&](const std::string& s) { return header_end(s) != std::string::npos; })) {
    ::close(client);
    return;
  }
  const std::string head = request.substr(0, header_end(request) + 4);
  const std::size_t length = content_length(head);
  if (lower(head).find("\r\nexpect: 100-continue") != std::string::npos) {
    send_all(client, "HTTP/1.1 100 Continue\r\n\r\n");
  }
  if (!read_until(client, request, 5000,
                  [&](const std::string& s) { return s.size() >= head.size() + length; })) {
    ::close(client);
    return;
  }
  const std::string body = request.substr(head.size(), length);
  const std::string seen_text = head.substr(0, head.find("\r\n")) + "\n" + body;
  const Fault fault = fault_for(seen_text);
  {
    std::lock_guard lock(mutex_);
    seen_.push_back({seen_text, fault != Fault::pass && fault != Fault::slow});
  }
  const auto hold = [this](int ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    while (!stopping_ && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
  };

  switch (fault) {
    case Fault::reset:
      reset_connection(client);
      return;
    case Fault::status500:
      send_all(client, gateway_answer(500));
      ::close(client);
      return;
    case Fault::status502:
      send_all(client, gateway_answer(502));
      ::close(client);
      return;
    case Fault::status503:
      send_all(client, gateway_answer(503));
      ::close(client);
      return;
    default:
      break;
  }

  const int upstream = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = loopback_address(upstream_port_);
  std::string answer;
  if (upstream < 0 ||
      ::connect(upstream, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      !send_all(upstream, rewritten(head, body))) {
    if (upstream >= 0) ::close(upstream);
    reset_connection(client);
    return;
  }
  read_until(upstream, answer, 30000, [](const std::string&) { return false; });
  ::close(upstream);

  switch (fault) {
    case Fault::timeout:
      hold(timeout_hold_ms_);
      reset_connection(client);
      return;
    case Fault::truncated: {
      const auto split = answer.find("\r\n\r\n");
      const std::size_t keep = split == std::string::npos
                                   ? answer.size() / 2
                                   : split + 4 + (answer.size() - split - 4) / 2;
      send_all(client, answer.substr(0, keep));
      ::close(client);
      return;
    }
    case Fault::slow:
      hold(slow_ms_);
      break;
    default:
      break;
  }
  send_all(client, answer);
  ::close(client);
}

}  // namespace payhost::testing
