// A host killed -9 in the middle of settling: notifications pour in; once a quarter have
// been acknowledged, host A is killed as a crash or the OOM killer would. On PostgreSQL a
// second host B shares the database, takes half the notifications and keeps serving; on
// SQLite B is the host started again on A's files. The provider then repeats every notification to
// B. Every notification A had acknowledged is settled (an acknowledgement is a commit); every
// charge ends paid exactly once, with one settlement in the product and one charge.succeeded event;
// no charge is paid without its event or its product's settlement, nor the reverse.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "fault_support.hpp"
#include "support/testchannel_notification.hpp"

namespace payhost::faults {
namespace {

std::string config() {
  return "livemode: false\n"
         "app_id: app_5anXP4ezfXvL8m5e\n"
         "data_dir: \"@DATA_DIR@\"\n"
         "plugin_dir: \"@PLUGIN_DIR@\"\n"
         "database:\n  url: \"@DATABASE_URL@\"\n"
         "jobs: {janitor: false}\n"
         "plugins:\n"
         "  testchannel:\n    path: \"@TEST_PLUGIN_DIR@/testchannel.so\"\n"
         "    channels: [testpay]\n    options: {}\n"
         "  testproduct:\n    path: \"@TEST_PLUGIN_DIR@/testproduct.so\"\n    options: {}\n";
}

testing::HttpResult notify(const Payhostd& host, const Json& c) {
  testing::TestchannelNotice n{c["order_no"], c["amount"].get<long long>()};
  n.transaction_no = "TK" + c["order_no"].get<std::string>();
  return host.post_json("/notify/testchannel", testing::testchannel_notification(n));
}

class HostKilled : public ::testing::TestWithParam<std::string> {
 protected:
  bool postgres() const { return GetParam() == "postgresql"; }
  void SetUp() override {
    if (postgres() && testing::postgres_url().empty()) {
      FAIL() << "PAYHOST_TEST_PG_URL is not set; CI always sets it, so this is an error";
    }
  }
};

TEST_P(HostKilled, MidSettlementNothingIsLostOrHalfApplied) {
  constexpr int kCharges = 240;
  Payhostd a(config(), postgres());
  std::unique_ptr<Payhostd> b;
  if (postgres()) b = std::make_unique<Payhostd>(Payhostd::second_host(a));

  std::vector<Json> charges;
  for (int i = 0; i < kCharges; ++i) {
    const auto r =
        (b ? *b : a)
            .post_json("/test/charges",
                       Json{{"channel", "testpay"}, {"amount", 100 + i}, {"extra", Json::object()}}
                           .dump());
    ASSERT_EQ(r.status, 201) << r.body;
    charges.push_back(r.json());
  }

  // Eight senders push the notifications; A is killed once a quarter is acknowledged.
  std::atomic<int> next{0};
  std::mutex mutex;
  std::set<std::string> acknowledged;
  std::vector<std::thread> senders;
  struct Join {
    std::vector<std::thread>& threads;
    ~Join() {
      for (auto& t : threads)
        if (t.joinable()) t.join();
    }
  } join_senders{senders};
  for (int t = 0; t < 8; ++t) {
    senders.emplace_back([&] {
      for (int i = next++; i < kCharges; i = next++) {
        // On PostgreSQL B settles half of them meanwhile, racing A to the end.
        const Payhostd& to = b && i % 2 == 1 ? *b : a;
        if (notify(to, charges[i]).status == 200) {
          std::lock_guard lock(mutex);
          acknowledged.insert(charges[i]["id"]);
        }
      }
    });
  }
  const std::string paid_sql = "SELECT count(*) FROM charges WHERE state = 'succeeded'";
  const bool quarter = eventually(
      [&] {
        std::lock_guard lock(mutex);
        return acknowledged.size() >= kCharges / 4;
      },
      60, 1);
  a.kill_hard();
  ASSERT_TRUE(quarter) << a.output();
  for (auto& t : senders)
    t.join();
  const long long paid_at_kill = scalar(b ? *b : a, paid_sql);
  // The kill came mid-stream: some settled, not all (else the test proves nothing).
  EXPECT_LT(paid_at_kill, kCharges);
  EXPECT_GE(static_cast<long long>(acknowledged.size()), kCharges / 4);

  if (!b) b = std::make_unique<Payhostd>(Payhostd::second_host(a));
  // Every acknowledgement was a commit.
  for (const auto& id : acknowledged) {
    EXPECT_EQ(scalar(*b, "SELECT count(*) FROM charges WHERE id = :p AND state = 'succeeded'", id),
              1)
        << id;
  }
  // The provider repeats every notification, to the host that is left.
  for (const auto& c : charges) {
    const auto r = notify(*b, c);
    EXPECT_EQ(r.status, 200) << r.body;
  }
  EXPECT_EQ(scalar(*b, paid_sql), kCharges);
  EXPECT_EQ(scalar(*b, "SELECT count(*) FROM events WHERE type = 'charge.succeeded'"), kCharges);
  EXPECT_EQ(scalar(*b,
                   "SELECT count(DISTINCT object_id) FROM events WHERE type = "
                   "'charge.succeeded'"),
            kCharges);
  EXPECT_EQ(scalar(*b, "SELECT count(*) FROM testproduct_orders WHERE succeeded_calls = 1"),
            kCharges);
  EXPECT_EQ(scalar(*b, "SELECT count(*) FROM testproduct_orders WHERE succeeded_calls <> 1"), 0);
  RecordProperty("paid_when_killed", std::to_string(paid_at_kill));
  std::cout << "killed with " << paid_at_kill << " of " << kCharges << " settled, "
            << acknowledged.size() << " acknowledged\n";
}

INSTANTIATE_TEST_SUITE_P(Engines, HostKilled, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& p) { return p.param; });

}  // namespace
}  // namespace payhost::faults
