// The provider's side of the wire, scripted: each request a plugin sends takes the next
// queued answer (or, with none queued, the fallback handler's). Faults come out the way the
// host's real client reports them, so a plugin meets in tests what it meets in production:
// a timeout, a reset and a cut-off answer are `unavailable` (outcome unknown), a 5xx is an
// answer with that status.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "payhost/sdk/host.hpp"

namespace payhost::sdk::testing {

class ScriptedHttp final : public HttpClient {
 public:
  using Handler = std::function<Result<OutboundResponse>(const OutboundRequest&)>;

  Result<OutboundResponse> send(const OutboundRequest& request) noexcept override;

  // Queue the answer to the next request that finds the queue non-empty.
  void reply(int status, std::string body, Headers headers = {});
  void reply(OutboundResponse response);
  // An answer that arrives after `delay`; one later than the request's own timeout is a
  // timeout (after waiting that timeout, as the real client would).
  void reply_after(std::chrono::milliseconds delay, int status, std::string body,
                   Headers headers = {});
  void server_error(int status = 502, std::string body = "Bad Gateway");
  void timeout();                                      // no answer within the request's timeout
  void reset();                                        // the connection is reset before an answer
  void truncated(int status, std::string body_start);  // the answer stops part-way
  // Answers requests when nothing is queued; without one they time out.
  void answer_with(Handler handler);
  // The same answer to every request when nothing is queued.
  void answer_every(int status, std::string body);

  // A copy (const, so that clearing it cannot look like clearing the record).
  const std::vector<OutboundRequest> sent() const;  // every request, in order
  std::size_t queued() const;

 private:
  enum class Kind { reply, timeout, reset, truncated };
  struct Answer {
    Kind kind = Kind::reply;
    std::chrono::milliseconds delay{0};
    OutboundResponse response;
  };
  void push(Answer answer);

  mutable std::mutex mutex_;
  std::deque<Answer> queue_;
  std::vector<OutboundRequest> sent_;
  Handler handler_;
};

}  // namespace payhost::sdk::testing
