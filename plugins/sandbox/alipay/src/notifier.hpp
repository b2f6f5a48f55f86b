// Delivers signed asynchronous notifications the way Alipay does: a form POST that counts
// as delivered only when the answer is HTTP 200 with the body exactly "success";
// otherwise it is sent again later, with growing delays.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "payhost/sdk/host.hpp"

namespace payhost::sandbox_alipay {

struct Delivery {
  bool sent = false;  // false: no HTTP answer (timeout, refused connection)
  int status = 0;
  std::string answer;
  std::string error;

  bool accepted() const { return sent && status == 200 && answer == "success"; }
};

class Notifier {
 public:
  Notifier(sdk::Host& host, std::vector<std::chrono::milliseconds> delays, int max_attempts);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // One attempt, no retries (the tampering hook wants exactly one).
  Delivery send_once(const std::string& url, const std::string& form_body);

  // The first attempt runs now, on the caller's thread, so a scripted test sees its
  // effect when the request that triggered it returns; later attempts are scheduled on
  // the host until one is accepted or max_attempts is reached. `label` names the trade
  // in log lines.
  Delivery deliver(const std::string& url, const std::string& form_body, const std::string& label);

  // Scheduled retries that run after this do nothing.
  void stop();

 private:
  struct State;
  static Delivery attempt(State& state, const std::string& url, const std::string& body);
  static void schedule_retry(const std::shared_ptr<State>& state, std::string url, std::string body,
                             std::string label, int attempts_made);

  std::shared_ptr<State> state_;
};

}  // namespace payhost::sandbox_alipay
