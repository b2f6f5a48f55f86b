#include "notifier.hpp"

#include <algorithm>

namespace payhost::sandbox_unionpay {

// Shared with scheduled tasks, which may still be queued when the plugin stops.
struct Notifier::State {
  sdk::Host& host;
  std::vector<std::chrono::milliseconds> delays;
  int max_attempts = 1;
  std::atomic<bool> stopped{false};

  State(sdk::Host& h, std::vector<std::chrono::milliseconds> d, int m)
      : host(h), delays(std::move(d)), max_attempts(m) {}
};

namespace {

Delivery post(sdk::Host& host, const std::string& url, const std::string& body) {
  sdk::OutboundRequest request;
  request.method = "POST";
  request.url = url;
  request.headers.set("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
  request.headers.set("User-Agent", "payhost sandbox (UnionPay ACP back notification)");
  request.body = body;
  // The merchant must answer within 10 s, as with UnionPay.
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

Notifier::Notifier(sdk::Host& host, std::vector<std::chrono::milliseconds> delays, int max_attempts)
    : state_(std::make_shared<State>(host, std::move(delays), std::max(1, max_attempts))) {
  if (state_->delays.empty()) state_->delays.emplace_back(60000);
}

Notifier::~Notifier() {
  stop();
}

void Notifier::stop() {
  state_->stopped.store(true);
}

Delivery Notifier::send_once(const std::string& url, const std::string& form_body) {
  return post(state_->host, url, form_body);
}

Delivery Notifier::deliver(const std::string& url, const std::string& form_body,
                           const std::string& label) {
  Delivery first = post(state_->host, url, form_body);
  if (first.accepted()) {
    state_->host.logger().info("sandbox_unionpay: back notification for " + label + " received");
  } else {
    state_->host.logger().warn("sandbox_unionpay: back notification for " + label +
                               " not received (status " + std::to_string(first.status) +
                               (first.error.empty() ? "" : ", ") + first.error + ")");
    schedule_retry(state_, url, form_body, label, 1);
  }
  return first;
}

void Notifier::schedule_retry(const std::shared_ptr<State>& state, std::string url,
                              std::string body, std::string label, int attempts_made) {
  if (state->stopped.load()) return;
  if (attempts_made >= state->max_attempts) {
    state->host.logger().warn("sandbox_unionpay: giving up the back notification for " + label +
                              " after " + std::to_string(attempts_made) + " attempts");
    return;
  }
  const std::size_t index =
      std::min(static_cast<std::size_t>(attempts_made - 1), state->delays.size() - 1);
  state->host.schedule(state->delays[index], [state, url = std::move(url), body = std::move(body),
                                              label = std::move(label), attempts_made]() mutable {
    if (state->stopped.load()) return;
    try {
      const Delivery d = post(state->host, url, body);
      if (d.accepted()) {
        state->host.logger().info("sandbox_unionpay: back notification for " + label +
                                  " received at attempt " + std::to_string(attempts_made + 1));
        return;
      }
      schedule_retry(state, std::move(url), std::move(body), std::move(label), attempts_made + 1);
    } catch (...) {
      // A task runs on a host thread: nothing may escape into the host.
    }
  });
}

}  // namespace payhost::sandbox_unionpay
