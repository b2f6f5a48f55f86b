// Delivers payment notifications the way WeChat Pay v3 does: a JSON POST whose headers are
// signed over the exact body, counted as received only on HTTP 200 or 204; otherwise sent
// again later on WeChat's schedule. Each attempt is signed afresh (new timestamp and
// nonce), as WeChat does: the merchant refuses a timestamp older than five minutes, and
// retries run for a day.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "payhost/sdk/host.hpp"
#include "platform_signer.hpp"

namespace payhost::sandbox_wechat {

struct Delivery {
  bool sent = false;  // false: no HTTP answer (timeout, refused connection) or no signature
  int status = 0;
  std::string answer;
  std::string error;

  bool accepted() const { return sent && (status == 200 || status == 204); }
};

// The headers of one notification attempt: Content-Type, the signed Wechatpay-* set,
// Wechatpay-Signature-Type, Request-ID and a User-Agent.
sdk::Headers notification_headers(const SignedHeaders& signed_headers);

class Notifier {
 public:
  Notifier(sdk::Host& host, std::shared_ptr<const PlatformSigner> signer,
           std::vector<std::chrono::milliseconds> delays, int max_attempts);
  ~Notifier();
  Notifier(const Notifier&) = delete;
  Notifier& operator=(const Notifier&) = delete;

  // One attempt with exactly these headers, no retries (the test hooks want one).
  Delivery send_once(const std::string& url, const std::string& body, const sdk::Headers& headers);

  // The first attempt runs now, on the caller's thread, so a scripted test sees its effect
  // when the request that triggered it returns; later attempts are scheduled on the host
  // until one is received or max_attempts were made. `label` names the trade in log lines.
  Delivery deliver(const std::string& url, const std::string& body, const std::string& label);

  // Scheduled attempts that come due after this do nothing.
  void stop();

 private:
  struct State;
  static Delivery attempt(State& state, const std::string& url, const std::string& body);
  static void schedule_retry(const std::shared_ptr<State>& state, std::string url, std::string body,
                             std::string label, int attempts_made);

  std::shared_ptr<State> state_;
};

}  // namespace payhost::sandbox_wechat
