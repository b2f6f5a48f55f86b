#include "tcp_proxy.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include "loopback_socket.hpp"

namespace payhost::testing {

TcpProxy::TcpProxy(int upstream_port) : upstream_port_(upstream_port) {
  listener_ = listen_on_loopback(port_, "tcp proxy");
  acceptor_ = std::thread([this] { accept_loop(); });
}

TcpProxy::~TcpProxy() {
  stopping_ = true;
  cut();
  acceptor_.join();
  for (auto& t : pumps_)
    t.join();
  ::close(listener_);
}

void TcpProxy::cut() {
  cut_ = true;
  std::lock_guard lock(mutex_);
  for (int fd : open_)
    ::shutdown(fd, SHUT_RDWR);
}

void TcpProxy::restore() {
  cut_ = false;
}

void TcpProxy::accept_loop() {
  while (!stopping_) {
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, 50) <= 0) continue;
    const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    if (cut_) {
      reset_connection(client);
      continue;
    }
    const int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in upstream = loopback_address(upstream_port_);
    if (server < 0 ||
        ::connect(server, reinterpret_cast<const sockaddr*>(&upstream), sizeof upstream) != 0) {
      if (server >= 0) ::close(server);
      reset_connection(client);
      continue;
    }
    std::lock_guard lock(mutex_);
    open_.push_back(client);
    open_.push_back(server);
    pumps_.emplace_back([this, client, server] { pump(client, server); });
  }
}

void TcpProxy::pump(int client, int server) {
  char buffer[16384];
  bool open = true;
  while (open && !cut_) {
    pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
    if (::poll(fds, 2, 50) <= 0) continue;
    for (int i = 0; i < 2 && open; ++i) {
      if (fds[i].revents == 0) continue;
      const ssize_t n = ::read(fds[i].fd, buffer, sizeof buffer);
      if (n <= 0) {
        open = false;
        break;
      }
      const int to = i == 0 ? server : client;
      for (ssize_t sent = 0; sent < n && open;) {
        const ssize_t m =
            ::send(to, buffer + sent, static_cast<std::size_t>(n - sent), MSG_NOSIGNAL);
        if (m <= 0) open = false;
        sent += std::max<ssize_t>(m, 0);
      }
    }
  }
  std::lock_guard lock(mutex_);
  open_.erase(std::remove_if(open_.begin(), open_.end(),
                             [&](int fd) { return fd == client || fd == server; }),
              open_.end());
  reset_connection(client);
  reset_connection(server);
}

}  // namespace payhost::testing
