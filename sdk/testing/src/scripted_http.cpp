#include "payhost/sdk/testing/scripted_http.hpp"

#include <thread>
#include <utility>

namespace payhost::sdk::testing {
namespace {

Error timed_out(const OutboundRequest& request) {
  return make_error(ErrorKind::unavailable, "timeout",
                    "request to provider failed: Timeout was reached after " +
                        std::to_string(request.timeout.count()) + " ms");
}

}  // namespace

Result<OutboundResponse> ScriptedHttp::send(const OutboundRequest& request) noexcept {
  try {
    Answer answer;
    Handler handler;
    bool scripted = false;
    {
      std::lock_guard lock(mutex_);
      sent_.push_back(request);
      if (!queue_.empty()) {
        answer = std::move(queue_.front());
        queue_.pop_front();
        scripted = true;
      } else {
        handler = handler_;
      }
    }
    if (!scripted) {
      if (handler) return handler(request);
      return timed_out(request);
    }
    if (answer.delay > std::chrono::milliseconds(0)) {
      std::this_thread::sleep_for(std::min(answer.delay, request.timeout));
      if (answer.delay >= request.timeout) return timed_out(request);
    }
    switch (answer.kind) {
      case Kind::reply:
        return std::move(answer.response);
      case Kind::timeout:
        return timed_out(request);
      case Kind::reset:
        return make_error(ErrorKind::unavailable, "network",
                          "request to provider failed: Connection reset by peer");
      case Kind::truncated:
        return make_error(ErrorKind::unavailable, "network",
                          "request to provider failed: Transferred a partial file");
    }
    return timed_out(request);
  } catch (const std::exception& e) {
    return make_error(ErrorKind::internal, "scripted_http", e.what());
  } catch (...) {  // send() is noexcept: a test's handler may throw anything
    return make_error(ErrorKind::internal, "scripted_http", "the answer handler threw");
  }
}

void ScriptedHttp::push(Answer answer) {
  std::lock_guard lock(mutex_);
  queue_.push_back(std::move(answer));
}

void ScriptedHttp::reply(int status, std::string body, Headers headers) {
  reply_after(std::chrono::milliseconds(0), status, std::move(body), std::move(headers));
}

void ScriptedHttp::reply(OutboundResponse response) {
  Answer answer;
  answer.response = std::move(response);
  push(std::move(answer));
}

void ScriptedHttp::reply_after(std::chrono::milliseconds delay, int status, std::string body,
                               Headers headers) {
  Answer answer;
  answer.delay = delay;
  answer.response.status = status;
  answer.response.body = std::move(body);
  answer.response.headers = std::move(headers);
  push(std::move(answer));
}

void ScriptedHttp::server_error(int status, std::string body) {
  reply(status, std::move(body));
}

void ScriptedHttp::timeout() {
  push({Kind::timeout, {}, {}});
}

void ScriptedHttp::reset() {
  push({Kind::reset, {}, {}});
}

void ScriptedHttp::truncated(int status, std::string body_start) {
  Answer answer{Kind::truncated, {}, {}};
  answer.response.status = status;
  answer.response.body = std::move(body_start);
  push(std::move(answer));
}

void ScriptedHttp::answer_with(Handler handler) {
  std::lock_guard lock(mutex_);
  handler_ = std::move(handler);
}

void ScriptedHttp::answer_every(int status, std::string body) {
  OutboundResponse response;
  response.status = status;
  response.body = std::move(body);
  answer_with([response](const OutboundRequest&) -> Result<OutboundResponse> { return response; });
}

const std::vector<OutboundRequest> ScriptedHttp::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

std::size_t ScriptedHttp::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace payhost::sdk::testing
