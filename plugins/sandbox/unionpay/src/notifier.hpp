// Delivers back notifications the way UnionPay does: a form POST to the backUrl the
// merchant gave, counted as received only on HTTP 200; otherwise sent again, the same
// signed body, after 1, 2 and 4 minutes by default (UnionPay: at 0, 1, 2, 4 minutes).
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "payhost/sdk/host.hpp"

namespace payhost::sandbox_unionpay {

struct Delivery {
  bool sent = false;  // false: no HTTP answer (timeout, refused connection)
  int status = 0;
  std::string answer;
  std::string error;

  bool accepted() const { return sent && status == 200; }
};

class Notifier {
 public:
  Notifier(sdk::Host& host, std::vector<std::chrono::milliseconds> delays, int max_attempts);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // One attempt, no retries (the test hooks want exactly one).
  Delivery send_once(const std::string& url, const std::string& form_body);

  // The first attempt runs now, on the caller's thread, so a scripted test sees its effect
  // when the action that triggered it returns; later attempts are scheduled on the host
  // until one is received or max_attempts were made. `label` names the trade in log lines.
  Delivery deliver(const std::string& url, const std::string& form_body, const std::string& label);

  // Scheduled attempts that come due after this do nothing.
  void stop();

 private:
  struct State;
  static void schedule_retry(const std::shared_ptr<State>& state, std::string url, std::string body,
                             std::string label, int attempts_made);

  std::shared_ptr<State> state_;
};

}  // namespace payhost::sandbox_unionpay
