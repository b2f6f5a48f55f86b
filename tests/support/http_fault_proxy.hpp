// An HTTP proxy in the test process, between a payhostd plugin and the provider it calls,
// that answers chosen requests the way a broken network or provider would: a reset before
// the provider sees the request, a gateway's 5xx, an answer that comes too late or only in
// part after the provider acted, or a slow but timely one. One request per connection.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace payhost::testing {

enum class Fault {
  pass,       // forwarded, answered
  reset,      // reset before anything reaches the provider
  status500,  // a gateway's answer; the provider never sees the request
  status502,
  status503,
  timeout,    // forwarded (the provider acts), the answer held past the caller's timeout
  truncated,  // forwarded (the provider acts), half the answer, then the connection ends
  slow,       // forwarded, answered after a delay shorter than the caller's timeout
};

const char* to_string(Fault fault);

class HttpFaultProxy {
 public:
  // Listens on 127.0.0.1 on a free port; the upstream may be set later (a payhostd whose
  // config must name this proxy's port before it starts).
  HttpFaultProxy();
  ~HttpFaultProxy();
  HttpFaultProxy(const HttpFaultProxy&) = delete;
  HttpFaultProxy& operator=(const HttpFaultProxy&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path = "") const;
  void set_upstream(int port) { upstream_port_ = port; }
  void set_delays(int timeout_hold_ms, int slow_ms);

  // Requests whose request line or body contains `needle` get `fault` (the first rule
  // that matches wins; no rule: pass). `heal()` drops every rule.
  void inject(const std::string& needle, Fault fault);
  void heal();

  // How many requests containing `needle` arrived, and how many of them were faulted.
  int seen(const std::string& needle) const;
  int faulted(const std::string& needle) const;

 private:
  struct Seen {
    std::string request;
    bool faulted;
  };
  void accept_loop();
  void serve(int client);
  Fault fault_for(const std::string& request) const;

  std::atomic<int> upstream_port_{0};
  std::atomic<int> timeout_hold_ms_{3000};
  std::atomic<int> slow_ms_{300};
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<std::pair<std::string, Fault>> rules_;
  std::vector<Seen> seen_;
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace payhost::testing
