#include "webhooks/webhook_deliverer.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "observability/logging.hpp"
#include "payhost/sdk/encoding.hpp"
#include "text/printable_text.hpp"
#include "webhooks/delivery_store.hpp"
#include "webhooks/endpoint_text.hpp"
#include "webhooks/signing_key.hpp"

namespace payhost::host::webhooks {

namespace {

using Steady = std::chrono::steady_clock;

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool any_endpoint(const Config& config) {
  for (const auto& app : config.apps) {
    if (!app.webhooks.empty()) return true;
  }
  return false;
}

// 1, 2, 4, 8...: the consecutive failures of one endpoint that are logged.
bool worth_logging(long long seen) {
  return seen <= 0 || (seen & (seen - 1)) == 0;
}

}  // namespace

struct Deliverer::State {
  CoreContext& ctx;
  CurlHttpClient& http;
  std::optional<sdk::crypto::PrivateKey> key;

  std::vector<std::thread> threads;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  std::atomic<bool> stop_requested{false};

  std::atomic<std::uint64_t> delivered_attempts{0};
  std::atomic<std::uint64_t> failed_attempts{0};
  std::atomic<std::uint64_t> given_up{0};

  std::mutex log_mutex;
  std::map<std::string, long long> failing_endpoints;  // endpoint for logs -> failures in a row

  State(CoreContext& c, CurlHttpClient& h) : ctx(c), http(h) {}

  bool configured(const std::string& app, const std::string& url) const {
    const AppConfig* a = ctx.config.app(app);
    if (!a) return false;
    for (const auto& e : a->webhooks) {
      if (e.url == url) return true;
    }
    return false;
  }

  void loop();
  int run_batch();
  AttemptOutcome send(const ClaimedDelivery& d, const std::string& signature);
  void note_outcome(const ClaimedDelivery& d, const AttemptOutcome& o, const NextState& next);
};

Deliverer::Deliverer(CoreContext& ctx, CurlHttpClient& http)
    : state_(std::make_unique<State>(ctx, http)) {}

Deliverer::~Deliverer() {
  stop();
}

sdk::Status Deliverer::prepare() {
  // A host with nothing to send needs no key (and spends no key generation on start-up);
  // `payhostd webhook public-key` makes one whenever an operator asks.
  if (!any_endpoint(state_->ctx.config)) return {};
  auto key = load_or_create_signing_key(state_->ctx.db, state_->ctx.clock.now());
  if (!key) return key.error();
  state_->key = std::move(*key);
  return {};
}

void Deliverer::start() {
  State& s = *state_;
  if (!s.threads.empty() || !s.key || !any_endpoint(s.ctx.config)) return;
  for (int i = 0; i < s.ctx.config.webhooks.workers; ++i) {
    s.threads.emplace_back([&s] { s.loop(); });
  }
  host_log().info("webhook delivery: " + std::to_string(s.threads.size()) + " threads");
}

void Deliverer::stop() {
  State& s = *state_;
  {
    std::lock_guard lock(s.mutex);
    s.stopping = true;
  }
  s.stop_requested = true;
  s.wake.notify_all();
  for (auto& t : s.threads) {
    if (t.joinable()) t.join();
  }
  s.threads.clear();
}

void Deliverer::State::loop() {
  RequestIdScope scope("webhooks");
  const auto& config = ctx.config.webhooks;
  std::unique_lock lock(mutex);
  while (!stopping) {
    lock.unlock();
    int claimed = 0;
    try {
      claimed = run_batch();
    } catch (const std::exception& e) {
      host_log().error(std::string("webhook delivery pass failed: ") + e.what());
    }
    lock.lock();
    // A full batch means more are due: go on at once.
    if (claimed >= config.batch) continue;
    wake.wait_for(lock, std::chrono::milliseconds(config.poll_ms), [this] { return stopping; });
  }
}

int Deliverer::State::run_batch() {
  const auto& config = ctx.config.webhooks;
  if (!key) return 0;
  // The lease is counted from before `now` is read: this host's view of it ends before the
  // stored one, which the clock's whole seconds make one second longer (at least
  // lease_seconds from here).
  const auto lease_start = Steady::now();
  const std::int64_t now = ctx.clock.now();
  bool due = false;
  auto read = ctx.db.with_session([&](soci::session& sql) -> sdk::Status {
    due = DeliveryStore::any_due(sql, now);
    return {};
  });
  if (!read || !due) return 0;

  ClaimedBatch batch;
  auto claimed = ctx.db.transact([&](soci::session& sql) -> sdk::Status {
    batch = DeliveryStore::claim_due(
        sql, now, now + config.lease_seconds + 1, config.batch,
        [this](const std::string& app, const std::string& url) { return configured(app, url); });
    return {};
  });
  if (!claimed) {
    host_log().warn("webhook deliveries not claimed: " + claimed.error().message);
    return 0;
  }
  given_up += static_cast<std::uint64_t>(batch.given_up);

  // A send may start only if it ends (timeout) with time left to record it before the
  // lease runs out; otherwise another host could send the same delivery meanwhile.
  const auto timeout = std::chrono::milliseconds(config.timeout_ms);
  const auto lease = std::chrono::milliseconds(config.lease_seconds * 1000LL);
  const auto last_start = lease_start + lease - (lease - timeout) / 2 - timeout;

  std::vector<AttemptOutcome> outcomes;
  std::vector<const ClaimedDelivery*> attempted;  // by outcome
  std::vector<const ClaimedDelivery*> released;
  std::unordered_map<std::string, std::string> signatures;  // event id -> signature
  for (const auto& d : batch.deliveries) {
    if (stop_requested || Steady::now() > last_start) {
      released.push_back(&d);
      continue;
    }
    std::string signature = d.signature;
    if (signature.empty()) {
      auto known = signatures.find(d.event_id);
      if (known != signatures.end()) {
        signature = known->second;
      } else if (auto raw = sdk::crypto::rsa_sha256_sign(*key, d.payload)) {
        signature = sdk::base64_encode(*raw);
        signatures.emplace(d.event_id, signature);
      }
    }
    if (signature.empty()) {
      AttemptOutcome o;
      o.delivery_id = d.id;
      o.attempt = d.attempt;
      o.started_ms = wall_ms();
      o.error = "not sent: the event could not be signed";
      outcomes.push_back(std::move(o));
      attempted.push_back(&d);
      continue;
    }
    outcomes.push_back(send(d, signature));
    attempted.push_back(&d);
  }

  const std::int64_t recorded_at = ctx.clock.now();
  std::vector<NextState> next(outcomes.size());
  std::vector<bool> taken(outcomes.size());
  auto recorded = ctx.db.transact([&](soci::session& sql) -> sdk::Status {
    for (std::size_t i = 0; i < outcomes.size(); ++i) {
      const AttemptOutcome& o = outcomes[i];
      next[i] = after_attempt(o.error.empty(), o.attempt, config.retry_seconds, recorded_at);
      taken[i] = DeliveryStore::record(sql, o, next[i], recorded_at);
    }
    for (const ClaimedDelivery* d : released)
      DeliveryStore::release(sql, d->id, d->attempt, recorded_at);
    return {};
  });
  if (!recorded) {
    // Sent but not recorded: the leases run out and the deliveries are sent again.
    host_log().warn("webhook attempts not recorded (" + std::to_string(outcomes.size()) +
                    "): " + recorded.error().message);
  }
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    (outcomes[i].error.empty() ? delivered_attempts : failed_attempts)++;
    if (!recorded) continue;
    if (taken[i] && next[i].status == "failed") ++given_up;
    note_outcome(*attempted[i], outcomes[i], next[i]);
  }
  return static_cast<int>(batch.deliveries.size()) + batch.given_up;
}

AttemptOutcome Deliverer::State::send(const ClaimedDelivery& d, const std::string& signature) {
  const auto& config = ctx.config.webhooks;
  sdk::OutboundRequest request;
  request.method = "POST";
  request.url = d.url;
  request.headers.set("Content-Type", "application/json; charset=utf-8");
  request.headers.set("X-Pingplusplus-Signature", signature);
  request.body = d.payload;
  request.timeout = std::chrono::milliseconds(config.timeout_ms);
  request.connect_timeout = std::min(request.timeout, std::chrono::milliseconds(5000));

  AttemptOutcome o;
  o.delivery_id = d.id;
  o.attempt = d.attempt;
  o.signature = d.signature.empty() ? signature : std::string();
  o.started_ms = wall_ms();
  const auto t0 = Steady::now();
  auto response = http.send(request);
  o.duration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - t0).count();
  if (response) {
    o.http_status = response->status;
    if (!is_delivered_status(response->status)) o.error = "HTTP " + std::to_string(o.http_status);
  } else if (response.error().code == "timeout") {
    o.error = "timeout after " + std::to_string(config.timeout_ms) + " ms";
  } else {
    o.error = printable_line(response.error().message, 300);
  }
  return o;
}

void Deliverer::State::note_outcome(const ClaimedDelivery& d, const AttemptOutcome& o,
                                    const NextState& next) {
  const std::string endpoint = endpoint_for_log(d.url);
  long long failures = 0;
  {
    std::lock_guard lock(log_mutex);
    if (o.error.empty()) {
      failing_endpoints.erase(endpoint);
      return;
    }
    // Bounded: endpoints come from the config, but stay safe if it names many.
    if (failing_endpoints.size() >= 1000 && !failing_endpoints.count(endpoint)) {
      failing_endpoints.clear();
    }
    failures = ++failing_endpoints[endpoint];
  }
  if (!worth_logging(failures)) return;
  std::string line = "webhook to " + endpoint + " failed: " + o.error + " (" + d.event_id +
                     ", attempt " + std::to_string(o.attempt) + "; ";
  if (next.status == "failed") {
    line += "given up)";
  } else {
    line += "next in " + std::to_string(next.next_attempt_at - ctx.clock.now()) + " s)";
  }
  if (failures > 1) line += " [" + std::to_string(failures) + " failures in a row]";
  host_log().warn(line);
}

std::string Deliverer::scrape_metrics() {
  State& s = *state_;
  std::string out =
      "# HELP payhost_webhook_attempts_total Webhook delivery attempts by result.\n"
      "# TYPE payhost_webhook_attempts_total counter\n"
      "payhost_webhook_attempts_total{result=\"delivered\"} " +
      std::to_string(s.delivered_attempts.load()) +
      "\npayhost_webhook_attempts_total{result=\"failed\"} " +
      std::to_string(s.failed_attempts.load()) +
      "\n# HELP payhost_webhook_failures_total Webhook deliveries given up (retries exhausted or "
      "endpoint removed).\n# TYPE payhost_webhook_failures_total counter\n"
      "payhost_webhook_failures_total " +
      std::to_string(s.given_up.load()) + "\n";
  PendingStats stats;
  auto read = s.ctx.db.with_session([&](soci::session& sql) -> sdk::Status {
    stats = DeliveryStore::pending_stats(sql);
    return {};
  });
  if (!read) return out;
  const std::int64_t age =
      stats.pending > 0 ? std::max<std::int64_t>(0, s.ctx.clock.now() - stats.oldest_created) : 0;
  out +=
      "# HELP payhost_webhook_pending Webhook deliveries waiting to be delivered.\n"
      "# TYPE payhost_webhook_pending gauge\npayhost_webhook_pending " +
      std::to_string(stats.pending) +
      "\n# HELP payhost_webhook_oldest_pending_seconds Age of the oldest pending webhook "
      "delivery (0 when none).\n# TYPE payhost_webhook_oldest_pending_seconds gauge\n"
      "payhost_webhook_oldest_pending_seconds " +
      std::to_string(age) + "\n";
  return out;
}

}  // namespace payhost::host::webhooks
