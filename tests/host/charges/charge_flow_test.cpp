// The charge core end to end: real payhostd, real test plugins, real SQLite or PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <thread>

#include "flow_support.hpp"
#include "storage/database.hpp"
#include "support/raw_http.hpp"

namespace payhost::flow {
namespace {

class ChargeFlow : public ::testing::TestWithParam<std::string> {
 protected:
  bool postgres() const { return GetParam() == "postgresql"; }
  Payhostd start(const std::string& yaml) { return Payhostd(yaml, postgres()); }
};

TEST_P(ChargeFlow, CreateReturnsAPingppCharge) {
  auto host = start(config());
  const Json c = create(host, 500);
  EXPECT_EQ(c["id"].get<std::string>().size(), 27u);
  EXPECT_EQ(c["id"].get<std::string>().substr(0, 3), "ch_");
  EXPECT_EQ(c["object"], "charge");
  EXPECT_EQ(c["livemode"], false);
  EXPECT_EQ(c["paid"], false);
  EXPECT_EQ(c["app"], "app_5anXP4ezfXvL8m5e");
  EXPECT_EQ(c["amount"], 500);
  EXPECT_EQ(c["currency"], "cny");
  EXPECT_EQ(c["order_no"].get<std::string>().size(), 24u);
  EXPECT_EQ(c["time_expire"].get<long long>() - c["created"].get<long long>(), 86400);
  EXPECT_EQ(c["credential"]["object"], "credential");
  EXPECT_EQ(c["credential"]["testpay"]["order_no"], c["order_no"]);
  EXPECT_EQ(c["credential"]["testpay"]["notify_url"], host.url("/notify/testchannel"));
  EXPECT_TRUE(c["time_paid"].is_null());
  EXPECT_EQ(c["refunds"]["url"], "/v1/charges/" + c["id"].get<std::string>() + "/refunds");
}

TEST_P(ChargeFlow, NotificationSettlesExactlyOnce) {
  // The test product never names itself on its charges: the host stamps it, and settlement
  // reaches its hook through that (succeeded_calls below).
  auto host = start(config());
  const Json c = create(host, 500);
  Notice n{c["order_no"], 500};
  auto r = notify(host, n);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["ok"], true);
  const Json paid = charge(host, c["id"]);
  EXPECT_EQ(paid["paid"], true);
  EXPECT_EQ(paid["transaction_no"], "T1");
  EXPECT_TRUE(paid["time_paid"].is_number());
  EXPECT_EQ(paid["credential"], Json::object());
  // The provider notifies again: still the positive answer, nothing changes.
  r = notify(host, n);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(order(host, c)["succeeded_calls"], 1);
  EXPECT_EQ(metric(host, "payhost_notifications_total{plugin=\"testchannel\",result=\"accepted\"}"),
            2);
}

// The outbox row a settlement writes: one per transition, whose payload is the charge as the
// API shows it, under the row's own id.
TEST_P(ChargeFlow, SettlementWritesOneEventCarryingTheCharge) {
  auto host = start(config());
  const Json c = create(host, 500);
  ASSERT_EQ(notify(host, Notice{c["order_no"], 500}).status, 200);
  ASSERT_EQ(notify(host, Notice{c["order_no"], 500}).status, 200);
  const Json shown = charge(host, c["id"]);
  ASSERT_EQ(shown["paid"], true);

  host::DatabaseConfig database;
  database.url = host.database_url();
  database.pool_size = 1;
  auto db = host::Db::open(database, host.data_dir());
  ASSERT_TRUE(db.ok()) << db.error().message;
  const std::string charge_id = c["id"];
  std::vector<std::string> ids, types, payloads;
  ASSERT_TRUE((*db)->with_session([&](soci::session& sql) -> sdk::Status {
    soci::rowset<soci::row> rows =
        (sql.prepare << "SELECT id, type, payload FROM events WHERE charge_id = :c",
         soci::use(charge_id));
    for (const soci::row& row : rows) {
      ids.push_back(row.get<std::string>(0));
      types.push_back(row.get<std::string>(1));
      payloads.push_back(row.get<std::string>(2));
    }
    return {};
  }));
  ASSERT_EQ(payloads.size(), 1u);
  EXPECT_EQ(types[0], "charge.succeeded");
  const Json event = Json::parse(payloads[0]);
  EXPECT_EQ(event["id"], ids[0]);
  // Ping++'s event ids: "evt_" + 24 letters/digits.
  EXPECT_TRUE(std::regex_match(ids[0], std::regex("evt_[A-Za-z0-9]{24}"))) << ids[0];
  EXPECT_EQ(event["object"], "event");
  EXPECT_EQ(event["type"], "charge.succeeded");
  EXPECT_EQ(event["livemode"], false);
  EXPECT_TRUE(event["created"].is_number_integer());
  EXPECT_EQ(event["data"]["object"], shown);
  EXPECT_EQ(event["pending_webhooks"], 0);
  EXPECT_TRUE(event["request"].is_null());
}

TEST_P(ChargeFlow, ConcurrentNotificationsAndRetrievesSettleOnce) {
  auto host = start(config());
  const Json c = create(host, 1234);
  provider_says(host, c["order_no"],
                {{"status", "paid"}, {"amount", 1234}, {"transaction_no", "T1"}});
  std::atomic<int> not_ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        if (t % 3 == 0) {
          if (host.get("/test/charges/" + c["id"].get<std::string>() + "?mode=retrieve").status !=
              200)
            ++not_ok;
        } else if (notify(host, Notice{c["order_no"], 1234}).status != 200) {
          ++not_ok;
        }
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(not_ok.load(), 0);
  EXPECT_EQ(charge(host, c["id"])["paid"], true);
  EXPECT_EQ(order(host, c)["succeeded_calls"], 1);
}

TEST_P(ChargeFlow, SuspiciousNotificationsChangeNothing) {
  auto host = start(config());
  const Json c = create(host, 800);
  const std::string order_no = c["order_no"];
  Notice wrong_amount{order_no, 801};
  Notice wrong_app{order_no, 800};
  wrong_app.app_id = "someone-else";
  Notice bad_signature{order_no, 800};
  bad_signature.break_signature = true;
  Notice unknown{"20260101000000UNKNOWN001", 800};
  Notice wrong_key{order_no, 800};
  wrong_key.secret = "not-the-secret";
  for (const auto& n : {wrong_amount, wrong_app, bad_signature, unknown, wrong_key}) {
    auto r = notify(host, n);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json()["ok"], false);
  }
  EXPECT_EQ(charge(host, c["id"])["paid"], false);
  EXPECT_EQ(order(host, c)["succeeded_calls"], 0);
  EXPECT_EQ(metric(host, "payhost_notifications_total{plugin=\"testchannel\",result=\"refused\"}"),
            5);
  EXPECT_NE(host.output().find("refused notification for testchannel order " + order_no +
                               ": amount_mismatch"),
            std::string::npos);
  // The genuine one still works afterwards.
  EXPECT_EQ(notify(host, Notice{order_no, 800}).status, 200);
  EXPECT_EQ(charge(host, c["id"])["paid"], true);
}

TEST_P(ChargeFlow, RetrieveAsksTheProvider) {
  auto host = start(config());
  const Json c = create(host, 300);
  EXPECT_EQ(charge(host, c["id"], true)["paid"], false);  // provider: nothing yet
  provider_says(host, c["order_no"], {{"status", "timeout"}});
  EXPECT_EQ(charge(host, c["id"], true)["paid"], false);  // unknown is not failure
  EXPECT_EQ(order(host, c)["failed_calls"], 0);
  provider_says(host, c["order_no"],
                {{"status", "paid"}, {"amount", 301}, {"transaction_no", "T9"}});
  EXPECT_EQ(charge(host, c["id"], true)["paid"], false);  // amount mismatch is not settled
  provider_says(host, c["order_no"],
                {{"status", "paid"}, {"amount", 300}, {"transaction_no", "T9"}});
  const Json paid = charge(host, c["id"], true);
  EXPECT_EQ(paid["paid"], true);
  EXPECT_EQ(paid["transaction_no"], "T9");
  EXPECT_EQ(charge(host, c["id"], true)["paid"], true);
  EXPECT_EQ(order(host, c)["succeeded_calls"], 1);
}

TEST_P(ChargeFlow, JanitorClosesExpiredChargesAndLatePaymentsAreKept) {
  auto host = start(config("{expiry_seconds: 1}", "{}",
                           "{janitor: true, interval_seconds: 1, query_after_seconds: 1}"));
  const Json c = create(host, 700);
  ASSERT_TRUE(eventually([&] { return order(host, c)["failed_calls"] == 1; })) << host.output();
  const Json closed = charge(host, c["id"]);
  EXPECT_EQ(closed["paid"], false);
  EXPECT_EQ(closed["failure_code"], "expired");
  // Closed at the provider first: its state file says so.
  std::ifstream state(host.data_dir() + "/testchannel/" + c["order_no"].get<std::string>() +
                      ".json");
  EXPECT_TRUE(state.good());
  // The buyer paid anyway: money received is never dropped.
  EXPECT_EQ(notify(host, Notice{c["order_no"], 700}).status, 200);
  EXPECT_EQ(charge(host, c["id"])["paid"], true);
  const Json o = order(host, c);
  EXPECT_EQ(o["succeeded_calls"], 1);
  EXPECT_EQ(o["late"], true);
}

TEST_P(ChargeFlow, JanitorSettlesWhatTheProviderReports) {
  auto host =
      start(config("{}", "{}", "{janitor: true, interval_seconds: 1, query_after_seconds: 1}"));
  const Json c = create(host, 900);
  provider_says(host, c["order_no"],
                {{"status", "paid"}, {"amount", 900}, {"transaction_no", "TJ"}});
  ASSERT_TRUE(eventually([&] { return charge(host, c["id"])["paid"] == true; })) << host.output();
  EXPECT_EQ(order(host, c)["succeeded_calls"], 1);
}

TEST_P(ChargeFlow, IdempotencyKeyReplaysTheFirstResponse) {
  auto host = start(config());
  const std::string body = Json{{"channel", "testpay"}, {"amount", 100}}.dump();
  auto first = host.post_json("/test/charges", body, "", {"Idempotency-Key: k-1"});
  auto second = host.post_json("/test/charges", body, "", {"Idempotency-Key: k-1"});
  ASSERT_EQ(first.status, 201);
  ASSERT_EQ(second.status, 201);
  EXPECT_EQ(first.json()["id"], second.json()["id"]);
  EXPECT_EQ(second.headers["idempotent-replayed"], "true");
  auto other = host.post_json("/test/charges", Json{{"channel", "testpay"}, {"amount", 101}}.dump(),
                              "", {"Idempotency-Key: k-1"});
  EXPECT_EQ(other.status, 422) << other.body;
  auto fresh = host.post_json("/test/charges", body, "", {"Idempotency-Key: k-2"});
  EXPECT_NE(fresh.json()["id"], first.json()["id"]);
}

TEST_P(ChargeFlow, FailingProductHookRollsSettlementBack) {
  auto host = start(config("{}", "{fail_hook_for_amount: 666}"));
  const Json c = create(host, 666);
  auto r = notify(host, Notice{c["order_no"], 666});
  EXPECT_EQ(r.status, 400);  // not recorded: the provider must notify again
  EXPECT_EQ(charge(host, c["id"])["paid"], false);
  EXPECT_EQ(metric(host, "payhost_notifications_total{plugin=\"testchannel\",result=\"error\"}"),
            1);
}

TEST_P(ChargeFlow, BadCreateRequestsAreRefusedClearly) {
  auto host = start(config());
  auto r = host.post_json("/test/charges", Json{{"channel", "wx"}, {"amount", 1}}.dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json()["error"]["code"], "channel_not_enabled");
  EXPECT_EQ(r.json()["error"]["param"], "channel");
  r = host.post_json("/test/charges", Json{{"channel", "testpay_wap"}, {"amount", 1}}.dump());
  EXPECT_EQ(r.json()["error"]["code"], "extra_missing");
  EXPECT_EQ(r.json()["error"]["param"], "extra.success_url");
  r = host.post_json("/test/charges", Json{{"channel", "testpay"}, {"amount", 0}}.dump());
  EXPECT_EQ(r.json()["error"]["code"], "amount_invalid");
  r = host.post_json(
      "/test/charges",
      Json{{"channel", "testpay"}, {"amount", 1}, {"subject", std::string(33, 'x')}}.dump());
  EXPECT_EQ(r.json()["error"]["param"], "subject");
  r = host.post_json(
      "/test/charges",
      Json{{"channel", "testpay_wap"}, {"amount", 1}, {"extra", {{"success_url", "https://x"}}}}
          .dump());
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.json()["extra"]["success_url"], "https://x");
}

TEST_P(ChargeFlow, ProviderFailuresAtCreate) {
  auto refused = start(config("{create_result: refused}"));
  auto r = refused.post_json("/test/charges", Json{{"channel", "testpay"}, {"amount", 10}}.dump());
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.json()["error"]["type"], "channel");
  auto timeout = start(config("{create_result: unavailable}"));
  r = timeout.post_json("/test/charges", Json{{"channel", "testpay"}, {"amount", 10}}.dump());
  EXPECT_EQ(r.status, 502);
  EXPECT_EQ(r.json()["error"]["type"], "unavailable");
  EXPECT_EQ(metric(timeout, "payhost_charges{channel=\"testpay\",state=\"pending\"}"), 1);
}

TEST_P(ChargeFlow, QuickRoutesMayReadButNotWrite) {
  auto host = start(config());
  auto created =
      host.post_json("/test/charges", Json{{"channel", "testpay"}, {"amount", 5}}.dump());
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string ref = created.json()["metadata"]["order_ref"];
  // Many reads at once: a reactor thread answers when a connection is free, a worker
  // otherwise; every answer is the same.
  std::vector<std::thread> readers;
  std::atomic<int> good{0};
  for (int t = 0; t < 8; ++t) {
    readers.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        if (host.get("/test/orders/" + ref).json().value("succeeded_calls", -1) == 0) ++good;
      }
    });
  }
  for (auto& t : readers)
    t.join();
  EXPECT_EQ(good.load(), 200);
  const auto wrote = host.get("/test/quick/write");
  if (postgres()) {  // quick routes run on the pool there: nothing to refuse
    EXPECT_EQ(wrote.status, 200) << wrote.body;
  } else {
    EXPECT_EQ(wrote.status, 500) << wrote.body;
    EXPECT_EQ(wrote.json()["code"], "transaction_in_quick_route") << wrote.body;
  }
}

TEST_P(ChargeFlow, AuthAndMetricsAndHealth) {
  auto host = start(config());
  auto r =
      host.post_json("/test/user/charges", Json{{"channel", "testpay"}, {"amount", 10}}.dump());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json()["message"], "Unauthenticated.");
  r = host.post_json("/test/user/charges", Json{{"channel", "testpay"}, {"amount", 10}}.dump(),
                     "not.a.token");
  EXPECT_EQ(r.status, 401);
  r = host.post_json("/test/user/charges", Json{{"channel", "testpay"}, {"amount", 10}}.dump(),
                     host.token("5"));
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(host.get("/v1/me", host.token("1")).json()["admin"], true);
  EXPECT_EQ(host.get("/healthz").status, 200);
  EXPECT_EQ(host.get("/readyz").json()["status"], "ready");
  EXPECT_EQ(host.get("/nowhere").status, 404);
  EXPECT_EQ(host.get("/notify/testchannel").status, 405);
  EXPECT_NE(
      host.get("/metrics").body.find("payhost_charges{channel=\"testpay\",state=\"pending\"} 1"),
      std::string::npos);
  // Writes and the transactions that carried them (fewer on SQLite when grouped).
  const long long writes = metric(host, "payhost_db_writes_total");
  const long long transactions = metric(host, "payhost_db_transactions_total");
  EXPECT_GE(writes, 1);
  EXPECT_GE(transactions, 1);
  EXPECT_LE(transactions, writes);
  // Over the limit by its declared length: refused before the body is sent. (Sending 2 MiB
  // and then reading would race the server's close: the client may see only the reset.)
  testing::RawConnection big(host.port());
  ASSERT_TRUE(
      big.send_all("POST /test/charges HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                   "Content-Length: 2097152\r\n\r\n"));
  const auto refused = big.read_response(std::chrono::seconds(5));
  ASSERT_TRUE(refused) << "no answer to a 2 MiB declared body";
  EXPECT_EQ(refused->status, 413);
  EXPECT_FALSE(host.get("/healthz").headers["x-request-id"].empty());
}

TEST_P(ChargeFlow, ThrowingPluginCannotTakeTheHostDown) {
  std::string yaml = config();
  yaml += "  thrower:\n    path: \"" + std::string(FIXTURE_DIR) +
          "/thrower.so\"\n    channels: [throwpay]\n";
  auto host = start(yaml);
  auto r = host.post_json("/test/charges", Json{{"channel", "throwpay"}, {"amount", 10}}.dump());
  EXPECT_EQ(r.status, 502);
  // The exception's text goes to the log, never to the client or the stored charge.
  EXPECT_EQ(r.json()["error"]["message"], "internal error") << r.body;
  EXPECT_NE(host.output().find("channel create failed: plugin_exception: create threw"),
            std::string::npos);
  EXPECT_EQ(host.post_json("/notify/thrower", "{}").status, 500);
  EXPECT_EQ(host.get("/healthz").status, 200);
}

// Two payhostd processes on one database: every settlement path still runs once.
TEST_P(ChargeFlow, TwoHostsOneDatabaseSettleOnce) {
  auto a =
      start(config("{}", "{}", "{janitor: true, interval_seconds: 1, query_after_seconds: 1}"));
  auto b = Payhostd::second_host(a);
  std::vector<Json> charges;
  for (int i = 0; i < 10; ++i)
    charges.push_back(create(i % 2 ? a : b, 100 + i));
  // Half are reported paid only through the provider (the janitors race for them), half
  // are notified to both hosts at once.
  for (int i = 0; i < 5; ++i) {
    provider_says(
        a, charges[i]["order_no"],
        {{"status", "paid"}, {"amount", 100 + i}, {"transaction_no", "TQ" + std::to_string(i)}});
  }
  std::vector<std::thread> threads;
  std::atomic<int> not_ok{0};
  for (int i = 5; i < 10; ++i) {
    for (const Payhostd* h : {&a, &b, &a, &b}) {
      threads.emplace_back([&, i, h] {
        Notice n{charges[i]["order_no"], 100 + i};
        n.transaction_no = "TN" + std::to_string(i);  // one provider payment per charge
        if (notify(*h, n).status != 200) ++not_ok;
      });
    }
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(not_ok.load(), 0);
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(eventually([&] { return charge(a, charges[i]["id"])["paid"] == true; }))
        << "charge " << i << "\n"
        << a.output() << b.output();
    EXPECT_EQ(order(b, charges[i])["succeeded_calls"], 1) << "charge " << i;
  }
}

// A provider payment settles one charge: a notification or a query answer naming a
// transaction number another charge already holds is refused and recorded, every time.
TEST_P(ChargeFlow, OneProviderTransactionSettlesOneCharge) {
  auto host = start(config());
  const Json a = create(host, 700);
  const Json b = create(host, 700);
  Notice paid_a{a["order_no"], 700};
  paid_a.transaction_no = "T-SHARED";
  ASSERT_EQ(notify(host, paid_a).status, 200);
  Notice reused{b["order_no"], 700};
  reused.transaction_no = "T-SHARED";
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = notify(host, reused);
    EXPECT_EQ(r.status, 400) << r.body;
  }
  provider_says(host, b["order_no"],
                {{"status", "paid"}, {"amount", 700}, {"transaction_no", "T-SHARED"}});
  EXPECT_EQ(charge(host, b["id"], true)["paid"], false);
  EXPECT_EQ(order(host, b)["succeeded_calls"], 0);
  EXPECT_EQ(metric(host, "payhost_notifications_total{plugin=\"testchannel\",result=\"refused\"}"),
            2);
  EXPECT_EQ(metric(host, "payhost_notifications_total{plugin=\"testchannel\",result=\"error\"}"),
            0);
  EXPECT_NE(host.output().find("transaction_reused"), std::string::npos) << host.output();
  // A's own repeat is still a duplicate, and B settles with a transaction of its own.
  EXPECT_EQ(notify(host, paid_a).status, 200);
  reused.transaction_no = "T-B";
  EXPECT_EQ(notify(host, reused).status, 200);
  EXPECT_EQ(charge(host, b["id"])["transaction_no"], "T-B");
  EXPECT_EQ(charge(host, a["id"])["transaction_no"], "T-SHARED");
}

INSTANTIATE_TEST_SUITE_P(Engines, ChargeFlow, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& tp) { return tp.param; });

}  // namespace
}  // namespace payhost::flow
