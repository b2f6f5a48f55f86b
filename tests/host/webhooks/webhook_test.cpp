// Webhooks end to end: the real payhostd settles testchannel charges and POSTs their
// events to a receiver outside it (tests/webhooks/receiver.js, Node built-ins only), which
// verifies every X-Pingplusplus-Signature with code of its own and records what it got.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ctime>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "flow_support.hpp"
#include "scratch_sqlite.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"
#include "support/host_database.hpp"
#include "webhooks/delivery_store.hpp"
#include "webhooks/endpoint_text.hpp"

namespace payhost::flow {
namespace {

namespace fs = std::filesystem;
using Rows = std::vector<std::vector<std::string>>;

const std::string kWebhookDir = std::string(PAYHOST_SOURCE_DIR) + "/tests/webhooks";
// Retries a second apart, a short lease: a whole schedule runs in a few seconds.
const std::string kFast =
    "{retry_seconds: [1, 1, 1], timeout_ms: 1000, lease_seconds: 2, poll_ms: 50, workers: 2, "
    "batch: 10}";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Node from PATH: the receiver is not optional, so its absence fails the test.
std::string node_path() {
  std::string out;
  const int code = testing::run_process({"/bin/sh", "-c", "which node"}, &out);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
    out.pop_back();
  if (code != 0 || out.empty()) throw std::runtime_error("node not found on PATH (which node)");
  return out;
}

// The receiver as a child process; killed with the test process if that dies first.
class Receiver {
 public:
  explicit Receiver(int port = 0) { start(port); }
  ~Receiver() { stop(); }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

  void control(const Json& asked) const {
    auto r = testing::http_request("POST", url("/_control"), asked.dump(),
                                   {"Content-Type: application/json"});
    if (r.status != 200) throw std::runtime_error("receiver control failed: " + r.body);
  }

  Json records() const {
    auto r = testing::http_request("GET", url("/_records"));
    if (r.status != 200) throw std::runtime_error("receiver records failed: " + r.body);
    return r.json();
  }

  // Records answered `status`, for `event_id` if given.
  std::size_t count(int status, const std::string& event_id = {}) const {
    std::size_t n = 0;
    for (const auto& r : records()) {
      if (r["status"] == status && (event_id.empty() || r["event_id"] == event_id)) ++n;
    }
    return n;
  }

  void stop() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  void start(int port) {
    log_ = (fs::temp_directory_path() / ("webhook-receiver-" + std::to_string(::getpid()) + "-" +
                                         std::to_string(counter_++) + ".log"))
               .string();
    const std::vector<std::string> argv = {node_path(), kWebhookDir + "/receiver.js", "--port",
                                           std::to_string(port)};
    pid_ = testing::spawn_process(argv, log_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    const std::string marker = "listening on ";
    while (std::chrono::steady_clock::now() < deadline) {
      const std::string text = read_text(log_);
      if (const auto pos = text.find(marker); pos != std::string::npos) {
        port_ = std::atoi(text.c_str() + pos + marker.size());
        if (port_ > 0) return;
      }
      if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("webhook receiver exited: " + text);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    stop();
    throw std::runtime_error("webhook receiver did not start: " + read_text(log_));
  }

  static inline int counter_ = 0;
  std::string log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// The pid of the payhostd serving `config_path` (Payhostd keeps it to itself).
pid_t serving_pid(const std::string& config_path) {
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string cmdline = read_text(entry.path().string() + "/cmdline");
    if (cmdline.find(std::string("serve") + '\0') != std::string::npos &&
        cmdline.find(config_path + '\0') != std::string::npos) {
      return static_cast<pid_t>(std::stoi(name));
    }
  }
  return -1;
}

std::string endpoint(const std::string& url, const std::string& events = "") {
  return "      - url: " + url + "\n" + (events.empty() ? "" : "        events: " + events + "\n");
}

// The flow config plus the host app's endpoints, other apps and the webhooks section.
std::string webhook_config(const std::string& endpoints, const std::string& webhooks = kFast,
                           const std::string& other_apps = "") {
  return config() + "apps:\n  app_5anXP4ezfXvL8m5e:\n    webhooks:\n" + endpoints + other_apps +
         "webhooks: " + webhooks + "\n";
}

// Creates a testchannel charge and settles it with a signed notification: the settlement
// writes the charge.succeeded event and its deliveries.
Json settle(const Payhostd& host, long long amount) {
  const Json c = create(host, amount);
  Notice n{c["order_no"], amount};
  n.transaction_no = "T" + c["order_no"].get<std::string>();
  const auto r = notify(host, n);
  if (r.status != 200) throw std::runtime_error("notification refused: " + r.body);
  return c;
}

std::string public_key(const Payhostd& host) {
  std::string out;
  if (host.cli({"webhook", "public-key"}, &out) != 0) {
    throw std::runtime_error("webhook public-key failed: " + out);
  }
  const auto begin = out.find("-----BEGIN PUBLIC KEY-----");
  const std::string end_marker = "-----END PUBLIC KEY-----";
  const auto end = out.find(end_marker);
  if (begin == std::string::npos || end == std::string::npos) {
    throw std::runtime_error("no PEM in: " + out);
  }
  return out.substr(begin, end + end_marker.size() - begin) + "\n";
}

// The host's database, read directly. Every column a query selects is text or NULL.
class Tables {
 public:
  explicit Tables(const Payhostd& host) : db_(testing::open_host_database(host)) {}

  Rows rows(const std::string& query, const std::string& param) const {
    Rows out;
    const auto st = db_->with_session([&](soci::session& sql) -> sdk::Status {
      soci::rowset<soci::row> rs = (sql.prepare << query, soci::use(param));
      for (const soci::row& row : rs) {
        std::vector<std::string> values;
        for (std::size_t i = 0; i < row.size(); ++i) {
          values.push_back(row.get_indicator(i) == soci::i_null ? "NULL" : row.get<std::string>(i));
        }
        out.push_back(std::move(values));
      }
      return {};
    });
    if (!st) throw std::runtime_error(st.error().message);
    return out;
  }

  // The charge's charge.succeeded event: id, payload.
  std::pair<std::string, std::string> event_of(const std::string& charge_id) const {
    const Rows r =
        rows("SELECT id, payload FROM events WHERE charge_id = :c AND type = 'charge.succeeded'",
             charge_id);
    if (r.size() != 1) throw std::runtime_error("no charge.succeeded event for " + charge_id);
    return {r[0][0], r[0][1]};
  }

  // The event's deliveries: url, status, attempts, last_status, last_error, delivered_at,
  // signature.
  Rows deliveries(const std::string& event_id) const {
    return rows(
        "SELECT url, status, CAST(attempts AS TEXT), CAST(last_status AS TEXT), last_error, "
        "CAST(delivered_at AS TEXT), signature FROM webhook_deliveries WHERE event_id = :e "
        "ORDER BY url",
        event_id);
  }

  // The attempts of the event's only delivery: attempt, http_status, error, duration_ms.
  Rows attempts(const std::string& event_id) const {
    return rows(
        "SELECT CAST(a.attempt AS TEXT), CAST(a.http_status AS TEXT), a.error, "
        "CAST(a.duration_ms AS TEXT) FROM webhook_attempts a JOIN webhook_deliveries d ON "
        "d.id = a.delivery_id WHERE d.event_id = :e ORDER BY a.attempt",
        event_id);
  }

  std::string status_of(const std::string& event_id) const {
    const Rows d = deliveries(event_id);
    return d.size() == 1 ? d[0][1] : "";
  }

 private:
  std::unique_ptr<host::Db> db_;
};

class Webhooks : public ::testing::TestWithParam<std::string> {
 protected:
  bool postgres() const { return GetParam() == "postgresql"; }
  Payhostd start(const std::string& yaml) { return Payhostd(yaml, postgres()); }
};

TEST_P(Webhooks, DeliversTheStoredEventSignedWithTheKeyTheCliPrints) {
  Receiver receiver;
  auto host = start(webhook_config(endpoint(receiver.url("/hook"))));
  const std::string pem = public_key(host);
  EXPECT_EQ(public_key(host), pem);  // generated once, then the same key
  receiver.control({{"public_key", pem}});
  const Json c = settle(host, 500);
  ASSERT_TRUE(eventually([&] { return receiver.count(200) == 1; })) << host.output();

  Tables tables(host);
  const auto [event_id, payload] = tables.event_of(c["id"]);
  const Json records = receiver.records();
  ASSERT_EQ(records.size(), 1u) << records.dump();
  const Json& got = records[0];
  EXPECT_EQ(got["verified"], true);
  EXPECT_EQ(got["path"], "/hook");
  EXPECT_EQ(got["content_type"], "application/json; charset=utf-8");
  EXPECT_EQ(got["event_id"], event_id);
  EXPECT_EQ(got["body"], payload);  // the stored bytes, unchanged
  const Json event = Json::parse(got["body"].get<std::string>());
  EXPECT_EQ(event["type"], "charge.succeeded");
  EXPECT_EQ(event["object"], "event");
  EXPECT_EQ(event["data"]["object"]["id"], c["id"]);
  EXPECT_EQ(event["data"]["object"]["paid"], true);
  EXPECT_EQ(event["pending_webhooks"], 1);

  ASSERT_TRUE(eventually([&] { return tables.status_of(event_id) == "delivered"; }));
  const Rows d = tables.deliveries(event_id);
  EXPECT_EQ(d[0][0], receiver.url("/hook"));
  EXPECT_EQ(d[0][2], "1");
  EXPECT_EQ(d[0][3], "200");
  EXPECT_EQ(d[0][4], "NULL");
  EXPECT_NE(d[0][5], "NULL");
  EXPECT_EQ(d[0][6], got["signature"]);
  const Rows a = tables.attempts(event_id);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0][1], "200");
  EXPECT_EQ(a[0][2], "NULL");
  EXPECT_NE(a[0][3], "NULL");

  EXPECT_EQ(metric(host, "payhost_webhook_attempts_total{result=\"delivered\"}"), 1);
  EXPECT_EQ(metric(host, "payhost_webhook_attempts_total{result=\"failed\"}"), 0);
  EXPECT_EQ(metric(host, "payhost_webhook_pending"), 0);
  EXPECT_EQ(metric(host, "payhost_webhook_oldest_pending_seconds"), 0);
  // Neither the signature nor the body is ever logged.
  EXPECT_EQ(host.output().find(got["signature"].get<std::string>()), std::string::npos);
  EXPECT_EQ(host.output().find(event_id), std::string::npos);
}

TEST_P(Webhooks, ReceiverDownThenUpGetsTheEventOnce) {
  int port = 0;
  {
    Receiver probe;  // a port that was free a moment ago; nothing listens there now
    port = probe.port();
  }
  auto host = start(webhook_config(endpoint("http://127.0.0.1:" + std::to_string(port) + "/hook"),
                                   "{retry_seconds: [1, 1, 2, 2, 2, 2], timeout_ms: 1000, "
                                   "lease_seconds: 2, poll_ms: 50}"));
  const std::string pem = public_key(host);
  const Json c = settle(host, 600);
  Tables tables(host);
  const std::string event_id = tables.event_of(c["id"]).first;
  ASSERT_TRUE(eventually([&] { return tables.attempts(event_id).size() >= 2; })) << host.output();
  EXPECT_EQ(tables.status_of(event_id), "pending");
  EXPECT_EQ(metric(host, "payhost_webhook_pending"), 1);
  EXPECT_GE(metric(host, "payhost_webhook_attempts_total{result=\"failed\"}"), 2);

  Receiver receiver(port);
  receiver.control({{"public_key", pem}});
  ASSERT_TRUE(eventually([&] { return tables.status_of(event_id) == "delivered"; }))
      << host.output();
  const Json records = receiver.records();
  ASSERT_EQ(records.size(), 1u) << records.dump();
  EXPECT_EQ(records[0]["verified"], true);
  EXPECT_EQ(records[0]["event_id"], event_id);
  const Rows a = tables.attempts(event_id);
  ASSERT_GE(a.size(), 3u);
  for (std::size_t i = 0; i + 1 < a.size(); ++i) {
    EXPECT_EQ(a[i][1], "NULL") << "attempt " << a[i][0];  // no answer: nothing listened
    EXPECT_NE(a[i][2], "NULL") << "attempt " << a[i][0];
  }
  EXPECT_EQ(a.back()[1], "200");
  EXPECT_EQ(metric(host, "payhost_webhook_pending"), 0);
  EXPECT_EQ(metric(host, "payhost_webhook_attempts_total{result=\"delivered\"}"), 1);
  // One line per failing endpoint at 1, 2, 4... failures in a row; never the URL's query.
  EXPECT_NE(
      host.output().find("webhook to http://127.0.0.1:" + std::to_string(port) + "/hook failed"),
      std::string::npos)
      << host.output();
}

TEST_P(Webhooks, AnswersOf500AreRetriedWithTheSameBodyAndSignature) {
  Receiver receiver;
  auto host = start(webhook_config(endpoint(receiver.url("/hook"))));
  receiver.control({{"public_key", public_key(host)}, {"fail", 3}, {"fail_status", 500}});
  const Json c = settle(host, 700);
  Tables tables(host);
  const std::string event_id = tables.event_of(c["id"]).first;
  ASSERT_TRUE(eventually([&] { return tables.status_of(event_id) == "delivered"; }))
      << host.output();

  const Json records = receiver.records();
  ASSERT_EQ(records.size(), 4u) << records.dump();
  const std::vector<int> statuses = {500, 500, 500, 200};
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i]["status"], statuses[i]) << i;
    EXPECT_EQ(records[i]["verified"], true) << i;
    EXPECT_EQ(records[i]["event_id"], event_id) << i;
    EXPECT_EQ(records[i]["body"], records[0]["body"]) << i;
    EXPECT_EQ(records[i]["signature"], records[0]["signature"]) << i;
    EXPECT_EQ(records[i]["overlapped"], false) << i;
    // The next attempt comes after the answer to the previous one.
    if (i > 0) {
      EXPECT_GE(records[i]["received_ms"].get<long long>(),
                records[i - 1]["answered_ms"].get<long long>());
    }
  }
  const Rows a = tables.attempts(event_id);
  ASSERT_EQ(a.size(), 4u);
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i][0], std::to_string(i + 1));
    EXPECT_EQ(a[i][1], std::to_string(statuses[i]));
    EXPECT_EQ(a[i][2], i < 3 ? "HTTP 500" : "NULL");
    EXPECT_NE(a[i][3], "NULL");
  }
  const Rows d = tables.deliveries(event_id);
  EXPECT_EQ(d[0][2], "4");
  EXPECT_EQ(metric(host, "payhost_webhook_attempts_total{result=\"failed\"}"), 3);
  EXPECT_EQ(metric(host, "payhost_webhook_attempts_total{result=\"delivered\"}"), 1);
  EXPECT_EQ(metric(host, "payhost_webhook_failures_total"), 0);
}

TEST_P(Webhooks, ExhaustedScheduleFailsThenTheCliListsAndRedelivers) {
  Receiver receiver;
  auto host = start(webhook_config(endpoint(receiver.url("/hook?token=s3cr3t-in-url"))));
  receiver.control({{"public_key", public_key(host)}, {"fail", 100}});
  const Json c = settle(host, 800);
  Tables tables(host);
  const std::string event_id = tables.event_of(c["id"]).first;
  ASSERT_TRUE(eventually([&] { return tables.status_of(event_id) == "failed"; })) << host.output();
  EXPECT_EQ(receiver.records().size(), 4u);  // 1 + retry_seconds.size()
  EXPECT_EQ(tables.attempts(event_id).size(), 4u);
  EXPECT_EQ(metric(host, "payhost_webhook_failures_total"), 1);
  EXPECT_EQ(metric(host, "payhost_webhook_attempts_total{result=\"failed\"}"), 4);
  EXPECT_EQ(metric(host, "payhost_webhook_pending"), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(receiver.records().size(), 4u);  // given up: nothing more is sent

  std::string out;
  ASSERT_EQ(host.cli({"webhook", "list", "--status", "failed"}, &out), 0) << out;
  EXPECT_NE(out.find(event_id + "  charge.succeeded  " + receiver.url("/hook") +
                     "  failed  attempts=4  last=500 HTTP 500  next=-"),
            std::string::npos)
      << out;
  EXPECT_EQ(out.find("s3cr3t"), std::string::npos) << out;
  ASSERT_EQ(host.cli({"webhook", "list", "--status", "delivered"}, &out), 0) << out;
  EXPECT_EQ(out.find(event_id), std::string::npos) << out;
  EXPECT_EQ(host.output().find("s3cr3t"), std::string::npos);

  receiver.control({{"fail", 0}});
  ASSERT_EQ(host.cli({"webhook", "redeliver", event_id}, &out), 0) << out;
  EXPECT_NE(out.find(event_id + "  charge.succeeded"), std::string::npos) << out;
  ASSERT_TRUE(eventually([&] { return tables.status_of(event_id) == "delivered"; }))
      << host.output();
  const Json records = receiver.records();
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[4]["status"], 200);
  EXPECT_EQ(records[4]["verified"], true);
  EXPECT_EQ(records[4]["body"], records[0]["body"]);
  EXPECT_EQ(tables.deliveries(event_id)[0][2], "5");
  ASSERT_EQ(host.cli({"webhook", "list"}, &out), 0) << out;
  EXPECT_NE(out.find(event_id + "  charge.succeeded  " + receiver.url("/hook") +
                     "  delivered  attempts=5  last=200  next=-"),
            std::string::npos)
      << out;

  // A delivered event is sent again when an operator asks.
  ASSERT_EQ(host.cli({"webhook", "redeliver", event_id}, &out), 0) << out;
  ASSERT_TRUE(eventually([&] { return receiver.count(200, event_id) == 2; })) << host.output();

  const std::string unknown = "evt_000000000000000000000000";
  EXPECT_EQ(host.cli({"webhook", "redeliver", unknown}, &out), 1);
  EXPECT_NE(out.find("no event " + unknown), std::string::npos) << out;
}

TEST_P(Webhooks, EventTypesAnEndpointDoesNotTakeAreNotSent) {
  Receiver receiver;
  auto host = start(webhook_config(
      endpoint(receiver.url("/a"), "[charge.succeeded]") +
          endpoint(receiver.url("/b"), "[refund.succeeded]") + endpoint(receiver.url("/c")),
      kFast, "  app_0therApp00000001:\n    webhooks:\n" + endpoint(receiver.url("/d"))));
  receiver.control({{"public_key", public_key(host)}});
  const Json first = settle(host, 901);
  const Json second = settle(host, 902);
  ASSERT_TRUE(eventually([&] { return receiver.count(200) == 4; })) << host.output();
  std::this_thread::sleep_for(std::chrono::milliseconds(500));

  Tables tables(host);
  std::map<std::string, std::multiset<std::string>> events_by_path;
  for (const auto& r : receiver.records()) {
    EXPECT_EQ(r["verified"], true);
    EXPECT_EQ(Json::parse(r["body"].get<std::string>())["pending_webhooks"], 2);
    events_by_path[r["path"]].insert(r["event_id"].get<std::string>());
  }
  const std::multiset<std::string> both = {tables.event_of(first["id"]).first,
                                           tables.event_of(second["id"]).first};
  EXPECT_EQ(events_by_path["/a"], both);
  EXPECT_EQ(events_by_path["/c"], both);
  EXPECT_EQ(events_by_path.count("/b"), 0u);
  EXPECT_EQ(events_by_path.count("/d"), 0u);
  for (const auto& e : both) {
    const Rows d = tables.deliveries(e);
    ASSERT_EQ(d.size(), 2u);
    EXPECT_EQ(d[0][0], receiver.url("/a"));
    EXPECT_EQ(d[1][0], receiver.url("/c"));
    EXPECT_EQ(d[0][1], "delivered");
    EXPECT_EQ(d[1][1], "delivered");
    EXPECT_EQ(d[0][6], d[1][6]);  // one signature per event
  }
}

TEST_P(Webhooks, AnEventNoEndpointTakesHasNoDeliveryToRedeliver) {
  Receiver receiver;
  auto host = start(webhook_config(endpoint(receiver.url("/refunds"), "[refund.succeeded]")));
  const Json c = settle(host, 950);
  Tables tables(host);
  const std::string event_id = tables.event_of(c["id"]).first;
  EXPECT_TRUE(tables.deliveries(event_id).empty());
  std::string out;
  EXPECT_EQ(host.cli({"webhook", "redeliver", event_id}, &out), 1);
  EXPECT_NE(out.find("event " + event_id + " has no webhook deliveries"), std::string::npos) << out;
  EXPECT_TRUE(receiver.records().empty());
}

// payhostd dies (SIGKILL) after sending, before it learns the answer: the lease runs out
// and the restarted host sends the same event again, the same bytes.
TEST_P(Webhooks, KilledWhileTheReceiverHoldsTheRequestIsSentAgainAfterRestart) {
  Receiver receiver;
  auto host = start(webhook_config(endpoint(receiver.url("/hook")),
                                   "{retry_seconds: [1, 1, 1], timeout_ms: 3000, "
                                   "lease_seconds: 4, poll_ms: 50}"));
  receiver.control({{"public_key", public_key(host)}, {"hold", 1}});
  const Json c = settle(host, 1000);
  ASSERT_TRUE(eventually([&] { return receiver.records().size() == 1; })) << host.output();
  const pid_t pid = serving_pid(host.config_path());
  ASSERT_GT(pid, 0);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  ASSERT_TRUE(eventually([&] { return receiver.records()[0]["closed_unanswered"] == true; }));

  auto restarted = Payhostd::second_host(host);
  Tables tables(restarted);
  const std::string event_id = tables.event_of(c["id"]).first;
  ASSERT_TRUE(eventually([&] { return tables.status_of(event_id) == "delivered"; }))
      << restarted.output();
  const Json records = receiver.records();
  ASSERT_EQ(records.size(), 2u) << records.dump();
  EXPECT_TRUE(records[0]["status"].is_null());
  EXPECT_EQ(records[1]["status"], 200);
  for (const auto& r : records) {
    EXPECT_EQ(r["event_id"], event_id);
    EXPECT_EQ(r["verified"], true);
    EXPECT_EQ(r["overlapped"], false);
  }
  EXPECT_EQ(records[1]["body_sha256"], records[0]["body_sha256"]);
  EXPECT_EQ(records[1]["signature"], records[0]["signature"]);
  const Rows a = tables.attempts(event_id);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0][1], "NULL");  // the killed host never learnt the answer
  EXPECT_EQ(a[0][3], "NULL");
  EXPECT_EQ(a[1][1], "200");
}

// Two hosts on one database, slow answers and many failures: every event's attempts reach
// the receiver one after another, and each event is delivered once.
TEST_P(Webhooks, TwoHostsNeverSendOneEventAtTheSameTime) {
  Receiver receiver;
  auto a = start(webhook_config(endpoint(receiver.url("/hook")),
                                "{retry_seconds: [1, 1, 1, 1, 1, 1], timeout_ms: 1000, "
                                "lease_seconds: 2, poll_ms: 20, workers: 2, batch: 2}"));
  auto b = Payhostd::second_host(a);
  receiver.control({{"public_key", public_key(a)}, {"fail", 12}, {"delay_ms", 60}});
  constexpr int kEvents = 12;
  std::vector<std::string> charges;
  for (int i = 0; i < kEvents; ++i)
    charges.push_back(settle(i % 2 ? b : a, 1100 + i)["id"]);
  ASSERT_TRUE(eventually([&] { return receiver.count(200) >= kEvents; }, 60))
      << a.output() << b.output();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));

  Tables tables(a);
  const Json records = receiver.records();
  EXPECT_EQ(records.size(), static_cast<std::size_t>(kEvents + 12));
  std::map<std::string, std::vector<const Json*>> by_event;
  for (const auto& r : records) {
    EXPECT_EQ(r["verified"], true);
    EXPECT_EQ(r["overlapped"], false) << r.dump();
    by_event[r["event_id"]].push_back(&r);
  }
  for (const auto& id : charges) {
    const std::string event_id = tables.event_of(id).first;
    const auto& seen = by_event[event_id];
    ASSERT_FALSE(seen.empty()) << event_id;
    EXPECT_EQ(seen.back()->at("status"), 200) << event_id;
    for (std::size_t i = 1; i < seen.size(); ++i) {
      EXPECT_NE(seen[i - 1]->at("status"), 200) << event_id;  // delivered once, last
      EXPECT_GE(seen[i]->at("received_ms").get<long long>(),
                seen[i - 1]->at("answered_ms").get<long long>())
          << event_id;
    }
    EXPECT_EQ(tables.status_of(event_id), "delivered");
    EXPECT_EQ(tables.attempts(event_id).size(), seen.size()) << event_id;
  }
  const auto sent_by = [](const Payhostd& host) {
    return metric(host, "payhost_webhook_attempts_total{result=\"delivered\"}") +
           metric(host, "payhost_webhook_attempts_total{result=\"failed\"}");
  };
  EXPECT_GT(sent_by(a), 0);
  EXPECT_GT(sent_by(b), 0);
  EXPECT_EQ(sent_by(a) + sent_by(b), kEvents + 12);
}

// An endpoint taken out of the config: what was still pending for it is marked failed, not
// sent, by the host that runs the new config.
TEST_P(Webhooks, PendingDeliveriesOfARemovedEndpointAreFailed) {
  Receiver receiver;
  auto old_host = start(webhook_config(endpoint(receiver.url("/old")),
                                       "{retry_seconds: [3600], timeout_ms: 1000, "
                                       "lease_seconds: 2, poll_ms: 50}"));
  receiver.control({{"public_key", public_key(old_host)}, {"fail", 1}});
  const Json c = settle(old_host, 1200);
  ASSERT_TRUE(eventually([&] { return receiver.records().size() == 1; }));
  Tables tables(old_host);
  const std::string event_id = tables.event_of(c["id"]).first;
  ASSERT_TRUE(eventually([&] { return tables.deliveries(event_id)[0][4] == "HTTP 500"; }));
  old_host.stop();

  std::string yaml = webhook_config(endpoint(receiver.url("/new")));
  const std::string placeholder = "\"@DATABASE_URL@\"";
  yaml.replace(yaml.find(placeholder), placeholder.size(), "\"" + old_host.database_url() + "\"");
  Payhostd new_host(yaml);
  ASSERT_EQ(new_host.cli({"webhook", "redeliver", event_id}), 0);
  ASSERT_TRUE(eventually([&] { return tables.status_of(event_id) == "failed"; }))
      << new_host.output();
  EXPECT_EQ(tables.deliveries(event_id)[0][4],
            "endpoint no longer configured for app_5anXP4ezfXvL8m5e");
  EXPECT_EQ(receiver.records().size(), 1u);
  EXPECT_EQ(metric(new_host, "payhost_webhook_failures_total"), 1);
}

// The first to need the key makes it; racing hosts (here: CLI runs) all end up with the one
// row that won. A host with no endpoint makes none.
TEST_P(Webhooks, HostsRacingForTheFirstSigningKeyAgreeOnOne) {
  auto host = start(config());
  Tables tables(host);
  const std::string count_keys = "SELECT CAST(COUNT(*) AS TEXT) FROM host_secrets WHERE name = :n";
  EXPECT_EQ(tables.rows(count_keys, "webhook_signing_key")[0][0], "0");
  EXPECT_EQ(host.output().find("webhook delivery:"), std::string::npos);  // no threads

  std::vector<std::string> pems(4);
  std::vector<std::thread> racers;
  for (auto& pem : pems)
    racers.emplace_back([&host, &pem] { pem = public_key(host); });
  for (auto& t : racers)
    t.join();
  for (const auto& pem : pems)
    EXPECT_EQ(pem, pems[0]);
  EXPECT_EQ(tables.rows(count_keys, "webhook_signing_key")[0][0], "1");
  EXPECT_EQ(public_key(host), pems[0]);
}

INSTANTIATE_TEST_SUITE_P(Databases, Webhooks, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& param_info) { return param_info.param; });

// The claim, lease and token rules of DeliveryStore, on a scratch SQLite database with the
// host's migrations, at chosen times.
class WebhookStore : public host::ScratchSqlite {
 protected:
  WebhookStore() : ScratchSqlite("webhook-store", 2) {}
  using Store = host::webhooks::DeliveryStore;

  void SetUp() override {
    ScratchSqlite::SetUp();
    ASSERT_TRUE(host::run_migrations(*db_, {{"host", host::host_migrations()}}, nullptr).ok());
    ASSERT_TRUE(db_->transact([](soci::session& sql) -> sdk::Status {
      sql << "INSERT INTO events (id, type, object_id, charge_id, app, livemode, created, "
             "payload) VALUES ('evt_1', 'charge.succeeded', 'ch_1', 'ch_1', 'app_1', 0, 50, "
             "'{\"id\":\"evt_1\"}')";
      sql << "INSERT INTO webhook_deliveries (id, event_id, app, url, status, attempts, "
             "next_attempt_at, created, updated) VALUES ('whd_1', 'evt_1', 'app_1', "
             "'http://r/h', 'pending', 0, 50, 50, 50)";
      return {};
    }));
  }

  host::webhooks::ClaimedBatch claim(std::int64_t now, std::int64_t lease_until,
                                     bool configured = true) {
    host::webhooks::ClaimedBatch batch;
    EXPECT_TRUE(db_->transact([&](soci::session& sql) -> sdk::Status {
      batch = Store::claim_due(sql, now, lease_until, 10,
                               [&](const std::string&, const std::string&) { return configured; });
      return {};
    }));
    return batch;
  }

  bool record(int attempt, int http_status, std::int64_t now) {
    host::webhooks::AttemptOutcome o;
    o.delivery_id = "whd_1";
    o.attempt = attempt;
    o.http_status = http_status;
    o.error = host::webhooks::is_delivered_status(http_status) ? "" : "HTTP 500";
    bool taken = false;
    EXPECT_TRUE(db_->transact([&](soci::session& sql) -> sdk::Status {
      taken = Store::record(
          sql, o, host::webhooks::after_attempt(o.error.empty(), attempt, {5, 5}, now), now);
      return {};
    }));
    return taken;
  }

  // status, attempts, next_attempt_at, attempt rows
  std::tuple<std::string, int, long long, int> row() {
    std::tuple<std::string, int, long long, int> out;
    EXPECT_TRUE(db_->with_session([&](soci::session& sql) -> sdk::Status {
      sql << "SELECT status, attempts, next_attempt_at FROM webhook_deliveries WHERE id = 'whd_1'",
          soci::into(std::get<0>(out)), soci::into(std::get<1>(out)), soci::into(std::get<2>(out));
      sql << "SELECT COUNT(*) FROM webhook_attempts WHERE delivery_id = 'whd_1'",
          soci::into(std::get<3>(out));
      return {};
    }));
    return out;
  }
};

TEST_F(WebhookStore, AClaimHoldsTheDeliveryUntilItsLeaseRunsOut) {
  auto batch = claim(100, 110);
  ASSERT_EQ(batch.deliveries.size(), 1u);
  EXPECT_EQ(batch.deliveries[0].attempt, 1);
  EXPECT_EQ(batch.deliveries[0].payload, "{\"id\":\"evt_1\"}");
  EXPECT_EQ(row(), std::make_tuple(std::string("pending"), 1, 110LL, 1));
  EXPECT_TRUE(claim(109, 119).deliveries.empty());  // leased
  // Its host died: the lease runs out and another host claims attempt 2.
  batch = claim(110, 120);
  ASSERT_EQ(batch.deliveries.size(), 1u);
  EXPECT_EQ(batch.deliveries[0].attempt, 2);
  // The first claim's late outcome no longer moves the delivery; the second's does.
  EXPECT_FALSE(record(1, 200, 111));
  EXPECT_EQ(std::get<0>(row()), "pending");
  EXPECT_TRUE(record(2, 500, 112));
  EXPECT_EQ(row(), std::make_tuple(std::string("pending"), 2, 117LL, 2));  // retry after 5 s
  batch = claim(117, 127);
  ASSERT_EQ(batch.deliveries.size(), 1u);
  EXPECT_TRUE(record(3, 500, 118));
  EXPECT_EQ(std::get<0>(row()), "failed");  // two retries in the schedule: 3 attempts
  EXPECT_TRUE(claim(1000, 1010).deliveries.empty());
}

TEST_F(WebhookStore, AReleasedClaimIsUndoneAndDueAgain) {
  auto batch = claim(100, 110);
  ASSERT_EQ(batch.deliveries.size(), 1u);
  ASSERT_TRUE(db_->transact([](soci::session& sql) -> sdk::Status {
    Store::release(sql, "whd_1", 1, 101);
    return {};
  }));
  EXPECT_EQ(row(), std::make_tuple(std::string("pending"), 0, 101LL, 0));
  batch = claim(101, 111);
  ASSERT_EQ(batch.deliveries.size(), 1u);
  EXPECT_EQ(batch.deliveries[0].attempt, 1);
  EXPECT_TRUE(record(1, 204, 102));
  EXPECT_EQ(std::get<0>(row()), "delivered");
}

TEST_F(WebhookStore, RedeliverLeavesAnAttemptInFlightAlone) {
  ASSERT_EQ(claim(100, 110).deliveries.size(), 1u);
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  // Leased until 110 and unanswered: not shortened (redeliver uses the wall clock, far later).
  ASSERT_TRUE(db_->transact([&](soci::session& sql) -> sdk::Status {
    sql << "UPDATE webhook_deliveries SET next_attempt_at = :t WHERE id = 'whd_1'",
        soci::use(static_cast<long long>(now + 100));
    EXPECT_EQ(Store::redeliver(sql, "evt_1", now), host::webhooks::RedeliverResult::reset);
    EXPECT_EQ(Store::redeliver(sql, "evt_2", now), host::webhooks::RedeliverResult::no_event);
    return {};
  }));
  EXPECT_EQ(std::get<2>(row()), now + 100);
  EXPECT_TRUE(record(1, 200, now));
  ASSERT_TRUE(db_->transact([&](soci::session& sql) -> sdk::Status {
    EXPECT_EQ(Store::redeliver(sql, "evt_1", now + 1), host::webhooks::RedeliverResult::reset);
    return {};
  }));
  EXPECT_EQ(row(), std::make_tuple(std::string("pending"), 1, now + 1, 1));
}

TEST_F(WebhookStore, ADeliveryToAnEndpointNoLongerConfiguredIsFailedUnsent) {
  const auto batch = claim(100, 110, false);
  EXPECT_TRUE(batch.deliveries.empty());
  EXPECT_EQ(batch.given_up, 1);
  EXPECT_EQ(row(), std::make_tuple(std::string("failed"), 0, 50LL, 0));
}

TEST(WebhookReceiver, VerifiesPingppPublishedEventsAndRefusesTamperedOnes) {
  std::string out;
  const int code = testing::run_process({node_path(), kWebhookDir + "/selfcheck.js"}, &out);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("selfcheck passed"), std::string::npos) << out;
  EXPECT_EQ(out.find("FAIL"), std::string::npos) << out;
}

TEST(WebhookSchedule, RetriesAfterEachDelayThenGivesUp) {
  using host::webhooks::after_attempt;
  const std::vector<std::int64_t> retry = {120, 600, 600, 3600, 7200, 21600, 54000};
  EXPECT_EQ(after_attempt(true, 1, retry, 1000).status, "delivered");
  EXPECT_EQ(after_attempt(true, 8, retry, 1000).status, "delivered");
  std::int64_t at = 1000;
  for (int attempt = 1; attempt <= 7; ++attempt) {
    const auto next = after_attempt(false, attempt, retry, at);
    EXPECT_EQ(next.status, "pending") << attempt;
    EXPECT_EQ(next.next_attempt_at - at, retry[static_cast<std::size_t>(attempt - 1)]) << attempt;
    at = next.next_attempt_at;
  }
  // Ping++'s eight deliveries span a little over 25 hours.
  EXPECT_EQ(at - 1000, 120 + 600 + 600 + 3600 + 7200 + 21600 + 54000);
  EXPECT_EQ(after_attempt(false, 8, retry, at).status, "failed");
  EXPECT_EQ(after_attempt(false, 9, retry, at).status, "failed");  // a redelivery's one try
  EXPECT_EQ(after_attempt(false, 1, {}, at).status, "failed");
}

TEST(WebhookEndpointText, ShowsNeitherUserInfoNorQuery) {
  using host::webhooks::endpoint_for_log;
  EXPECT_EQ(endpoint_for_log("https://user:pw@hooks.example.com:8443/pingpp?key=secret#x"),
            "https://hooks.example.com:8443/pingpp");
  EXPECT_EQ(endpoint_for_log("http://127.0.0.1:9/a@b/c?k=v"), "http://127.0.0.1:9/a@b/c");
  EXPECT_EQ(endpoint_for_log("http://h@x.example?t=1"), "http://x.example");
  EXPECT_EQ(endpoint_for_log("http://example.com/p\nq"), "http://example.com/p\\nq");
}

}  // namespace
}  // namespace payhost::flow
