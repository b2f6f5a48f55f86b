#include "notifier.hpp"

#include <algorithm>

namespace payhost::sandbox_wechat {

// Shared with scheduled tasks, which may still be queued when the plugin stops.
struct Notifier::State {
  sdk::Host& host;
  std::shared_ptr<const PlatformSigner> signer;
  std::vector<std::chrono::milliseconds> delays;
  int max_attempts = 1;
  std::atomic<bool> stopped{false};

  State(sdk::Host& h, std::shared_ptr<const PlatformSigner> s,
        std::vector<std::chrono::milliseconds> d, int m)
      : host(h), signer(std::move(s)), delays(std::move(d)), max_attempts(m) {}
};

sdk::Headers notification_headers(const SignedHeaders& signed_headers) {
  sdk::Headers headers;
  headers.set("Content-Type", "application/json");
  signed_headers.apply(headers);
  headers.set("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
  headers.set("User-Agent", "Mozilla/4.0 (payhost sandbox; WeChat Pay notifier)");
  return headers;
}

Notifier::Notifier(sdk::Host& host, std::shared_ptr<const PlatformSigner> signer,
                   std::vector<std::chrono::milliseconds> delays, int max_attempts)
    : state_(std::make_shared<State>(host, std::move(signer), std::move(delays),
                                     std::max(1, max_attempts))) {
  if (state_->delays.empty()) state_->delays.emplace_back(15000);
}

Notifier::~Notifier() {
  stop();
}

void Notifier::stop() {
  state_->stopped.store(true);
}

namespace {

Delivery post(sdk::Host& host, const std::string& url, const std::string& body,
              const sdk::Headers& headers) {
  sdk::OutboundRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = headers;
  request.body = body;
  request.timeout = std::chrono::milliseconds(10000);
  Delivery out;
  auto response = host.http().send(request);
  if (!response.ok()) {
    out.error = response.error().message;
    return out;
  }
  out.sent = true;
  out.status = response->status;
  out.answer = response->body;
  return out;
}

}  // namespace

Delivery Notifier::attempt(State& state, const std::string& url, const std::string& body) {
  const auto signed_headers = state.signer->sign(body, state.host.clock().now());
  if (!signed_headers) {
    Delivery failed;
    failed.error = "signing the notification failed";
    return failed;
  }
  return post(state.host, url, body, notification_headers(*signed_headers));
}

Delivery Notifier::send_once(const std::string& url, const std::string& body,
                             const sdk::Headers& headers) {
  return post(state_->host, url, body, headers);
}

Delivery Notifier::deliver(const std::string& url, const std::string& body,
                           const std::string& label) {
  Delivery first = attempt(*state_, url, body);
  if (first.accepted()) {
    state_->host.logger().info("sandbox_wechat: notification for " + label + " received");
  } else {
    state_->host.logger().warn("sandbox_wechat: notification for " + label +
                               " not received (status " + std::to_string(first.status) +
                               (first.error.empty() ? "" : ", ") + first.error +
                               "); retrying later");
    schedule_retry(state_, url, body, label, 1);
  }
  return first;
}

void Notifier::schedule_retry(const std::shared_ptr<State>& state, std::string url,
                              std::string body, std::string label, int attempts_made) {
  if (state->stopped.load()) return;
  if (attempts_made >= state->max_attempts) {
    state->host.logger().warn("sandbox_wechat: giving up the notification for " + label +
                              " after " + std::to_string(attempts_made) + " attempts");
    return;
  }
  const std::size_t index =
      std::min(static_cast<std::size_t>(attempts_made - 1), state->delays.size() - 1);
  state->host.schedule(state->delays[index], [state, url = std::move(url), body = std::move(body),
                                              label = std::move(label), attempts_made]() mutable {
    if (state->stopped.load()) return;
    try {
      const Delivery d = attempt(*state, url, body);
      if (d.accepted()) {
        state->host.logger().info("sandbox_wechat: notification for " + label +
                                  " received at attempt " + std::to_string(attempts_made + 1));
        return;
      }
      schedule_retry(state, std::move(url), std::move(body), std::move(label), attempts_made + 1);
    } catch (...) {
      // A task runs on a host thread: nothing may escape into the host.
    }
  });
}

}  // namespace payhost::sandbox_wechat
