#include "notifier.hpp"

#include <algorithm>

namespace payhost::sandbox_alipay {

// Shared with scheduled tasks, which may still be queued when the plugin stops.
struct Notifier::State {
  sdk::Host& host;
  std::vector<std::chrono::milliseconds> delays;
  int max_attempts = 1;
  std::atomic<bool> stopped{false};

  State(sdk::Host& h, std::vector<std::chrono::milliseconds> d, int m)
      : host(h), delays(std::move(d)), max_attempts(m) {}
};

Notifier::Notifier(sdk::Host& host, std::vector<std::chrono::milliseconds> delays, int max_attempts)
    : state_(std::make_shared<State>(host, std::move(delays), std::max(1, max_attempts))) {
  if (state_->delays.empty()) state_->delays.emplace_back(1000);
}

Notifier::~Notifier() {
  stop();
}

void Notifier::stop() {
  state_->stopped.store(true);
}

Delivery Notifier::attempt(State& state, const std::string& url, const std::string& body) {
  sdk::OutboundRequest request;
  request.method = "POST";
  request.url = url;
  request.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  request.headers.set("User-Agent", "Mozilla/4.0 (payhost sandbox; Alipay notifier)");
  request.body = body;
  request.timeout = std::chrono::milliseconds(10000);
  Delivery out;
  auto response = state.host.http().send(request);
  if (!response.ok()) {
    out.error = response.error().message;
    return out;
  }
  out.sent = true;
  out.status = response->status;
  out.answer = response->body;
  return out;
}

Delivery Notifier::send_once(const std::string& url, const std::string& form_body) {
  return attempt(*state_, url, form_body);
}

Delivery Notifier::deliver(const std::string& url, const std::string& form_body,
                           const std::string& label) {
  Delivery first = attempt(*state_, url, form_body);
  if (first.accepted()) {
    state_->host.logger().info("sandbox: notification for " + label + " accepted");
  } else {
    state_->host.logger().warn("sandbox: notification for " + label + " not accepted (status " +
                               std::to_string(first.status) + (first.error.empty() ? "" : ", ") +
                               first.error + "); retrying later");
    schedule_retry(state_, url, form_body, label, 1);
  }
  return first;
}

void Notifier::schedule_retry(const std::shared_ptr<State>& state, std::string url,
                              std::string body, std::string label, int attempts_made) {
  if (state->stopped.load() || attempts_made >= state->max_attempts) {
    if (attempts_made >= state->max_attempts) {
      state->host.logger().warn("sandbox: giving up the notification for " + label + " after " +
                                std::to_string(attempts_made) + " attempts");
    }
    return;
  }
  const std::size_t index =
      std::min(static_cast<std::size_t>(attempts_made - 1), state->delays.size() - 1);
  const auto delay = state->delays[index];
  state->host.schedule(delay, [state, url = std::move(url), body = std::move(body),
                               label = std::move(label), attempts_made]() mutable {
    if (state->stopped.load()) return;
    try {
      const Delivery d = attempt(*state, url, body);
      if (d.accepted()) {
        state->host.logger().info("sandbox: notification for " + label + " accepted at attempt " +
                                  std::to_string(attempts_made + 1));
        return;
      }
      schedule_retry(state, std::move(url), std::move(body), std::move(label), attempts_made + 1);
    } catch (...) {
      // A task runs on a host thread: nothing may escape into the host.
    }
  });
}

}  // namespace payhost::sandbox_alipay
