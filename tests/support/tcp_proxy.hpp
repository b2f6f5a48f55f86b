// A TCP proxy in the test process, between payhostd and a server, that a test can cut (every
// connection through it is reset, new ones are refused) and restore: a network cut that
// heals, without root.
#pragma once

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace payhost::testing {

class TcpProxy {
 public:
  // Listens on 127.0.0.1 on a free port and forwards to 127.0.0.1:`upstream_port`.
  explicit TcpProxy(int upstream_port);
  ~TcpProxy();
  TcpProxy(const TcpProxy&) = delete;
  TcpProxy& operator=(const TcpProxy&) = delete;

  int port() const { return port_; }
  void cut();
  void restore();

 private:
  void accept_loop();
  void pump(int client, int server);

  int upstream_port_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> cut_{false};
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<int> open_;  // both ends of every forwarded connection
  std::vector<std::thread> pumps_;
  std::thread acceptor_;
};

}  // namespace payhost::testing
