// Notifications that are refused cost the host a bounded amount of disk and log, whatever
// their size or number; a verified notification whose trade status cannot be read is
// refused, never acknowledged. Real payhostd, SQLite and PostgreSQL.
#include <gtest/gtest.h>

#include <string>

#include "flow_support.hpp"
#include "storage/database.hpp"
#include "support/host_database.hpp"

namespace payhost::flow {
namespace {

// The Alipay channel against the sandbox: its notifications are forms, and a repeated
// parameter is refused before any signature check, naming the parameter.
const char* kAlipayConfig = R"(livemode: false
app_id: app_5anXP4ezfXvL8m5e
data_dir: "@DATA_DIR@"
plugin_dir: "@PLUGIN_DIR@"
database:
  url: "@DATABASE_URL@"
jobs: {janitor: false}
plugins:
  sandbox:
    options: {}
  sandbox_alipay:
    options: {}
  alipay:
    channels: [alipay_qr]
    options:
      app_id: "9021000000000001"
  testproduct:
    path: "@TEST_PLUGIN_DIR@/testproduct.so"
    options: {}
)";

struct StoredRefusal {
  std::string order_no, reason, detail;
  long long repeats = 0;
};

std::vector<StoredRefusal> refusals(const Payhostd& host) {
  auto db = testing::open_host_database(host);
  std::vector<StoredRefusal> out;
  const sdk::Status read = db->with_session([&](soci::session& sql) -> sdk::Status {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT order_no, reason, detail, repeats FROM notification_refusals "
                        "ORDER BY created");
    for (const soci::row& row : rows) {
      out.push_back({row.get<std::string>(0), row.get<std::string>(1), row.get<std::string>(2),
                     row.get<long long>(3)});
    }
    return {};
  });
  if (!read) throw std::runtime_error(read.error().message);
  return out;
}

class NotificationGuard : public ::testing::TestWithParam<std::string> {
 protected:
  bool postgres() const { return GetParam() == "postgresql"; }
};

TEST_P(NotificationGuard, RepeatedHugeRefusalsShareOneBoundedRowAndFewBoundedLogLines) {
  Payhostd host(kAlipayConfig, postgres());
  // A 400 KB parameter name that also tries to start a log line of its own.
  const std::string name =
      "n%0D%0A2026-01-01T00:00:00.000%2B0000%20info%20FORGED%20" + std::string(400 * 1024, 'p');
  const std::string form = "a=1&" + name + "=1&" + name + "=2";
  const std::size_t log_before = host.output().size();
  for (int i = 0; i < 10; ++i) {
    const auto r = host.post_form("/notify/alipay", form);
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 200);
    EXPECT_EQ(r.body, "failure");
  }
  EXPECT_EQ(metric(host, R"(payhost_notifications_total{plugin="alipay",result="refused"})"), 10);

  const auto stored = refusals(host);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].repeats, 10);
  EXPECT_LE(stored[0].detail.size(), 600u);
  EXPECT_EQ(stored[0].detail.find('\n'), std::string::npos);

  const std::string log = host.output().substr(log_before);
  EXPECT_LT(log.size(), 64u * 1024) << "10 refusals wrote " << log.size() << " bytes of log";
  EXPECT_NE(log.find("[seen 8 times]"), std::string::npos) << log.substr(0, 4000);
  EXPECT_EQ(log.find("[seen 10 times]"), std::string::npos);
}

TEST_P(NotificationGuard, ALineBreakInANotificationCannotForgeALogLine) {
  Payhostd host(config(), postgres());
  const Json c = create(host, 700);
  Notice n{c["order_no"], 700};
  n.app_id = "evil\r\n2026-01-01T00:00:00.000+0000 info [host] FORGED " + std::string(4000, 'a');
  const std::size_t log_before = host.output().size();
  EXPECT_EQ(notify(host, n).status, 400);
  const std::string log = host.output().substr(log_before);
  EXPECT_EQ(log.find("\n2026-01-01T00:00:00.000+0000 info [host] FORGED"), std::string::npos)
      << log;
  EXPECT_NE(log.find("evil\\r\\n2026-01-01T00:00:00.000+0000 info [host] FORGED"),
            std::string::npos)
      << log;
  const auto stored = refusals(host);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].reason, "app_id_mismatch");
  EXPECT_EQ(stored[0].detail.find('\n'), std::string::npos);
  EXPECT_LE(stored[0].detail.size(), 600u);
}

TEST_P(NotificationGuard, VerifiedNotificationWithUnreadableStatusIsRefusedAndRecorded) {
  Payhostd host(config(), postgres());
  const Json c = create(host, 900);
  const std::string order_no = c["order_no"];
  for (const std::string status : {"TRADE_SOMETHING_NEW", ""}) {
    Notice n{order_no, 900};
    n.status = status;
    const auto r = notify(host, n);
    EXPECT_EQ(r.status, 400) << status << ": " << r.body;
    EXPECT_EQ(r.json()["ok"], false);
  }
  EXPECT_EQ(metric(host, R"(payhost_notifications_total{plugin="testchannel",result="refused"})"),
            2);
  const auto stored = refusals(host);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].order_no, order_no);
  EXPECT_EQ(stored[0].reason, "unknown_status");
  EXPECT_EQ(stored[0].repeats, 2);

  // Not paid yet: acknowledged, nothing changes.
  Notice waiting{order_no, 900};
  waiting.status = "pending";
  const auto r = notify(host, waiting);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["ok"], true);
  EXPECT_EQ(charge(host, c["id"])["paid"], false);
  EXPECT_EQ(order(host, c)["succeeded_calls"], 0);

  // The provider's retry with the status it meant settles the charge.
  EXPECT_EQ(notify(host, Notice{order_no, 900}).status, 200);
  EXPECT_EQ(charge(host, c["id"])["paid"], true);
}

INSTANTIATE_TEST_SUITE_P(Engines, NotificationGuard, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& tp) { return tp.param; });

}  // namespace
}  // namespace payhost::flow
