// Refunds in the charge core: through the real payhostd and `payhostd refund`, the test
// channel's scripted provider, and RefundService in this process where many callers or
// several hosts must race (one App = one host). Once per database.
#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "app/app.hpp"
#include "config/config.hpp"
#include "flow_support.hpp"
#include "observability/logging.hpp"
#include "refunds/refund_service.hpp"
#include "storage/database.hpp"
#include "support/host_database.hpp"

namespace payhost::flow {
namespace {

using host::refunds::RefundStatus;

struct StoredRow {
  std::string id, order_no, status, failure_code, failure_msg, transaction_no;
  long long amount = 0;
};

// Reads the host's tables directly, as a second process would.
class Tables {
 public:
  explicit Tables(const Payhostd& host) : db_(testing::open_host_database(host)) {}

  std::vector<StoredRow> refunds(const std::string& charge_id) {
    std::vector<StoredRow> rows;
    run([&](soci::session& sql) {
      StoredRow row;
      soci::indicator i_code = soci::i_null, i_msg = soci::i_null, i_tx = soci::i_null;
      soci::statement st =
          (sql.prepare << "SELECT id, order_no, status, failure_code, failure_msg, "
                          "transaction_no, amount FROM refunds WHERE charge_id = :c ORDER BY id",
           soci::use(charge_id), soci::into(row.id), soci::into(row.order_no),
           soci::into(row.status), soci::into(row.failure_code, i_code),
           soci::into(row.failure_msg, i_msg), soci::into(row.transaction_no, i_tx),
           soci::into(row.amount));
      st.execute();
      while (st.fetch()) {
        StoredRow copy = row;
        if (i_code != soci::i_ok) copy.failure_code.clear();
        if (i_msg != soci::i_ok) copy.failure_msg.clear();
        if (i_tx != soci::i_ok) copy.transaction_no.clear();
        rows.push_back(copy);
      }
    });
    return rows;
  }

  // The payloads of `type` events about `object_id`.
  std::vector<std::string> events(const std::string& object_id, const std::string& type) {
    std::vector<std::string> payloads;
    run([&](soci::session& sql) {
      std::string payload;
      soci::statement st =
          (sql.prepare << "SELECT payload FROM events WHERE object_id = :o AND type = :t",
           soci::use(object_id), soci::use(type), soci::into(payload));
      st.execute();
      while (st.fetch())
        payloads.push_back(payload);
    });
    return payloads;
  }

  long long count(const std::string& query, const std::string& charge_id) {
    long long n = -1;
    run([&](soci::session& sql) { sql << query, soci::use(charge_id), soci::into(n); });
    return n;
  }

 private:
  template <class Work>
  void run(Work&& work) {
    auto st = db_->with_session([&](soci::session& sql) -> sdk::Status {
      work(sql);
      return {};
    });
    if (!st) throw std::runtime_error(st.error().message);
  }
  std::unique_ptr<host::Db> db_;
};

struct CliResult {
  int code = -1;
  std::string out;  // stdout and stderr
  Json refund;      // the refund object printed, or null
};

CliResult cli_refund(const Payhostd& host, const std::string& charge_id,
                     std::optional<long long> amount, const std::string& reason,
                     const std::string& config_path = {}) {
  std::vector<std::string> args = {testing::payhostd_path(), "refund", charge_id, "--reason",
                                   reason};
  if (amount) {
    args.push_back("--amount");
    args.push_back(std::to_string(*amount));
  }
  args.push_back("--config");
  args.push_back(config_path.empty() ? host.config_path() : config_path);
  CliResult r;
  r.code = testing::run_process(args, &r.out);
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("{", 0) == 0) {
      r.refund = Json::parse(line, nullptr, false);
      break;
    }
  }
  return r;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The test channel's call log for a charge: "refund <no> <amount>" / "query <no>" lines.
std::vector<std::string> provider_calls(const Payhostd& host, const Json& charge) {
  std::istringstream in(read_file(host.data_dir() + "/testchannel/" +
                                  charge["order_no"].get<std::string>() + ".refund-calls"));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);)
    lines.push_back(line);
  return lines;
}

void refund_script(const Payhostd& host, const Json& charge, const Json& script) {
  std::ofstream(host.data_dir() + "/testchannel/" + charge["order_no"].get<std::string>() +
                ".refund.json")
      << script.dump();
}

const char* kJanitor = "{janitor: true, interval_seconds: 1, query_after_seconds: 1}";

class Refunds : public ::testing::TestWithParam<std::string> {
 protected:
  bool postgres() const { return GetParam() == "postgresql"; }
  void SetUp() override {
    if (postgres() && testing::postgres_url().empty()) {
      FAIL() << "PAYHOST_TEST_PG_URL is not set; CI always sets it, so this is an error";
    }
  }
  Payhostd start(const std::string& yaml) { return Payhostd(yaml, postgres()); }

  // A testpay charge of `amount`, paid by a signed notification.
  static Json paid_charge(const Payhostd& host, long long amount) {
    const Json c = create(host, amount);
    Notice n{c["order_no"], amount};
    n.transaction_no = "T" + c["order_no"].get<std::string>();
    const auto r = notify(host, n);
    if (r.status != 200) throw std::runtime_error("notification refused: " + r.body);
    return c;
  }
};

TEST_P(Refunds, FullRefundThroughTheCli) {
  auto host = start(config());
  const Json c = paid_charge(host, 500);
  const std::string id = c["id"];

  const CliResult r = cli_refund(host, id, std::nullopt, "客户退货");
  ASSERT_EQ(r.code, 0) << r.out;
  const Json& refund = r.refund;
  ASSERT_TRUE(refund.is_object()) << r.out;
  EXPECT_TRUE(std::regex_match(refund["id"].get<std::string>(), std::regex("re_[A-Za-z0-9]{24}")))
      << refund.dump();
  EXPECT_TRUE(std::regex_match(refund["order_no"].get<std::string>(),
                               std::regex("[0-9]{14}[A-Za-z0-9]{10}")))
      << refund.dump();
  EXPECT_EQ(refund["object"], "refund");
  EXPECT_EQ(refund["amount"], 500);
  EXPECT_EQ(refund["succeed"], true);
  EXPECT_EQ(refund["status"], "succeeded");
  EXPECT_TRUE(refund["time_succeed"].is_number_integer());
  EXPECT_EQ(refund["description"], "客户退货");
  EXPECT_EQ(refund["charge"], id);
  EXPECT_EQ(refund["charge_order_no"], c["order_no"]);
  EXPECT_EQ(refund["transaction_no"], "TR" + refund["order_no"].get<std::string>());
  EXPECT_TRUE(refund["failure_code"].is_null());
  EXPECT_FALSE(refund.contains("funding_source"));

  const Json after = charge(host, id);
  EXPECT_EQ(after["amount_refunded"], 500);
  EXPECT_EQ(after["refunded"], true);
  // One provider call, under the refund's own number.
  EXPECT_EQ(provider_calls(host, c),
            std::vector<std::string>{"refund " + refund["order_no"].get<std::string>() + " 500"});

  // Exactly one refund.succeeded event, carrying the refund as shown.
  Tables tables(host);
  const auto events = tables.events(refund["id"], "refund.succeeded");
  ASSERT_EQ(events.size(), 1u);
  const Json event = Json::parse(events[0]);
  EXPECT_EQ(event["type"], "refund.succeeded");
  EXPECT_EQ(event["data"]["object"], refund);

  // Nothing left: refused with Ping++'s message, nothing recorded, no provider call.
  const CliResult again = cli_refund(host, id, std::nullopt, "again");
  EXPECT_EQ(again.code, 1) << again.out;
  EXPECT_NE(again.out.find("不能对订单号 " + c["order_no"].get<std::string>() +
                           " 发起退款，因为已经全额退款了。Charge id: " + id + "。"),
            std::string::npos)
      << again.out;
  EXPECT_EQ(tables.refunds(id).size(), 1u);
  EXPECT_EQ(provider_calls(host, c).size(), 1u);
}

TEST_P(Refunds, PartialRefundsAddUpToThePaidAmount) {
  auto host = start(config());
  const Json c = paid_charge(host, 1000);
  const std::string id = c["id"];
  EXPECT_EQ(cli_refund(host, id, 300, "part one").refund["amount"], 300);
  Json after = charge(host, id);
  EXPECT_EQ(after["amount_refunded"], 300);
  EXPECT_EQ(after["refunded"], false);
  EXPECT_EQ(cli_refund(host, id, 200, "part two").refund["amount"], 200);
  // Without --amount: whatever is left.
  const CliResult rest = cli_refund(host, id, std::nullopt, "the rest");
  ASSERT_EQ(rest.code, 0) << rest.out;
  EXPECT_EQ(rest.refund["amount"], 500);
  after = charge(host, id);
  EXPECT_EQ(after["amount_refunded"], 1000);
  EXPECT_EQ(after["refunded"], true);

  Tables tables(host);
  const auto rows = tables.refunds(id);
  ASSERT_EQ(rows.size(), 3u);
  std::set<std::string> numbers;
  for (const auto& row : rows) {
    EXPECT_EQ(row.status, "succeeded");
    numbers.insert(row.order_no);
    EXPECT_EQ(tables.events(row.id, "refund.succeeded").size(), 1u) << row.id;
  }
  EXPECT_EQ(numbers.size(), 3u);  // every refund has a number of its own
}

TEST_P(Refunds, OverRefundIsRefusedAndRecordsNothing) {
  auto host = start(config());
  const Json c = paid_charge(host, 1000);
  const std::string id = c["id"];
  CliResult r = cli_refund(host, id, 1001, "too much");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("refund_exceeds"), std::string::npos) << r.out;
  EXPECT_TRUE(r.refund.is_null());
  ASSERT_EQ(cli_refund(host, id, 600, "most").code, 0);
  r = cli_refund(host, id, 401, "one fen too many");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("refund_exceeds"), std::string::npos) << r.out;
  r = cli_refund(host, id, 0, "nothing");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("amount_invalid"), std::string::npos) << r.out;
  r = cli_refund(host, id, 10, "a&b=c");  // would break the provider's signed string
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("description_invalid"), std::string::npos) << r.out;
  r = cli_refund(host, id, 10, std::string(256, 'x'));
  EXPECT_NE(r.out.find("description_invalid"), std::string::npos) << r.out;
  EXPECT_EQ(cli_refund(host, id, 10, std::string(255, 'x')).code, 0);

  Tables tables(host);
  EXPECT_EQ(tables.refunds(id).size(), 2u);
  EXPECT_EQ(charge(host, id)["amount_refunded"], 610);
  EXPECT_EQ(provider_calls(host, c).size(), 2u);
}

TEST_P(Refunds, UnpaidOrUnknownChargesAreRefused) {
  auto host = start(config());
  const Json c = create(host, 700);
  CliResult r = cli_refund(host, c["id"], std::nullopt, "not paid");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("charge_not_paid"), std::string::npos) << r.out;
  r = cli_refund(host, "ch_000000000000000000000000", std::nullopt, "nobody");
  EXPECT_EQ(r.code, 1) << r.out;
  EXPECT_NE(r.out.find("charge_not_found"), std::string::npos) << r.out;
  Tables tables(host);
  EXPECT_EQ(tables.refunds(c["id"]).size(), 0u);
  EXPECT_EQ(charge(host, c["id"])["amount_refunded"], 0);
  // A broken config is exit code 2.
  const std::string bad = host.data_dir() + "/broken.yaml";
  std::ofstream(bad) << "livemode: [\n";
  EXPECT_EQ(cli_refund(host, c["id"], std::nullopt, "x", bad).code, 2);
}

TEST_P(Refunds, ProviderRefusalFailsWithTheProvidersReason) {
  auto host = start(config());
  const Json c = paid_charge(host, 800);
  const std::string id = c["id"];
  refund_script(
      host, c,
      {{"status", "refused"}, {"code", "TRADE_HAS_FINISHED"}, {"message", "交易已完结，不能退款"}});
  const CliResult r = cli_refund(host, id, 300, "try");
  EXPECT_EQ(r.code, 1) << r.out;
  ASSERT_TRUE(r.refund.is_object()) << r.out;
  EXPECT_EQ(r.refund["status"], "failed");
  EXPECT_EQ(r.refund["succeed"], false);
  EXPECT_EQ(r.refund["failure_code"], "TRADE_HAS_FINISHED");
  EXPECT_EQ(r.refund["failure_msg"], "交易已完结，不能退款");
  EXPECT_TRUE(r.refund["time_succeed"].is_null());
  EXPECT_EQ(charge(host, id)["amount_refunded"], 0);

  // An error answer is a refusal too.
  refund_script(host, c, {{"status", "error"}, {"code", "SYSTEM_REFUSED"}, {"message", "no"}});
  const CliResult errored = cli_refund(host, id, 300, "try again");
  EXPECT_EQ(errored.refund["status"], "failed") << errored.out;
  EXPECT_EQ(errored.refund["failure_code"], "SYSTEM_REFUSED");

  // Failed refunds hold nothing back: the whole amount can still be refunded.
  std::remove(
      (host.data_dir() + "/testchannel/" + c["order_no"].get<std::string>() + ".refund.json")
          .c_str());
  const CliResult ok = cli_refund(host, id, std::nullopt, "now");
  ASSERT_EQ(ok.code, 0) << ok.out;
  EXPECT_EQ(ok.refund["amount"], 800);
  Tables tables(host);
  EXPECT_EQ(tables.events(r.refund["id"], "refund.succeeded").size(), 0u);
  EXPECT_EQ(tables.events(ok.refund["id"], "refund.succeeded").size(), 1u);
}

// The provider's answer is lost; it did refund. The refund stays pending (and reserved)
// until the janitor's query finds out.
TEST_P(Refunds, ProviderTimeoutStaysPendingUntilTheJanitorSettlesIt) {
  auto host = start(config("{}", "{}", kJanitor));
  const Json c = paid_charge(host, 900);
  const std::string id = c["id"];
  refund_script(host, c, {{"status", "timeout"}});
  const CliResult r = cli_refund(host, id, 400, "lost answer");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.refund["status"], "pending");
  EXPECT_EQ(r.refund["succeed"], false);
  EXPECT_NE(r.out.find("pending"), std::string::npos);
  // Reserved while pending: 501 more would pass the paid amount.
  EXPECT_NE(cli_refund(host, id, 501, "over").out.find("refund_exceeds"), std::string::npos);

  Tables tables(host);
  const std::string refund_id = r.refund["id"];
  ASSERT_TRUE(eventually([&] { return tables.refunds(id).at(0).status == "succeeded"; }))
      << host.output();
  const auto row = tables.refunds(id).at(0);
  EXPECT_EQ(row.transaction_no, "TR" + row.order_no);
  EXPECT_EQ(charge(host, id)["amount_refunded"], 400);
  EXPECT_EQ(tables.events(refund_id, "refund.succeeded").size(), 1u);
  const auto calls = provider_calls(host, c);
  ASSERT_GE(calls.size(), 2u);
  EXPECT_EQ(calls[0], "refund " + row.order_no + " 400");
  EXPECT_EQ(calls[1], "query " + row.order_no);
  // /metrics counts refunds by status; none is left waiting.
  const std::string metrics = host.get("/metrics").body;
  EXPECT_NE(metrics.find("payhost_refunds{status=\"succeeded\"} 1\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("payhost_refunds{status=\"pending\"} 0\n"), std::string::npos);
  EXPECT_NE(metrics.find("payhost_refund_oldest_pending_seconds 0\n"), std::string::npos);
  // Settled: the janitor asks no more.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(provider_calls(host, c).size(), calls.size());
  EXPECT_EQ(tables.events(refund_id, "refund.succeeded").size(), 1u);
}

// The provider never got it: the janitor's query says so and the same refund goes again,
// under the same number.
TEST_P(Refunds, RefundTheProviderNeverGotIsSentAgainUnderTheSameNumber) {
  auto host = start(config("{}", "{}", kJanitor));
  const Json c = paid_charge(host, 600);
  refund_script(host, c, {{"status", "timeout"}, {"then", "none"}, {"query", "not_found"}});
  const CliResult r = cli_refund(host, c["id"], std::nullopt, "lost request");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.refund["status"], "pending");
  const std::string number = r.refund["order_no"];
  ASSERT_TRUE(eventually([&] { return provider_calls(host, c).size() >= 3; })) << host.output();
  refund_script(host, c, {{"status", "ok"}, {"query", "not_found"}});
  Tables tables(host);
  ASSERT_TRUE(eventually([&] { return tables.refunds(c["id"]).at(0).status == "succeeded"; }))
      << host.output();
  std::set<std::string> sent;
  for (const auto& call : provider_calls(host, c)) {
    EXPECT_TRUE(call == "refund " + number + " 600" || call == "query " + number) << call;
    sent.insert(call);
  }
  EXPECT_EQ(sent.size(), 2u);
  EXPECT_EQ(charge(host, c["id"])["amount_refunded"], 600);
  EXPECT_EQ(tables.events(r.refund["id"], "refund.succeeded").size(), 1u);
}

// A channel without refund_query (like Alipay, whose refund number dedupes) is asked by
// sending the same refund again; a provider still processing it says pending meanwhile.
TEST_P(Refunds, WithoutRefundQueryTheSameRefundIsSentAgain) {
  auto host = start(config("{refund_query: false}", "{}", kJanitor));
  const Json c = paid_charge(host, 300);
  refund_script(host, c, {{"status", "pending"}});
  const CliResult r = cli_refund(host, c["id"], 100, "slow provider");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.refund["status"], "pending");
  const std::string number = r.refund["order_no"];
  ASSERT_TRUE(eventually([&] { return provider_calls(host, c).size() >= 2; })) << host.output();
  refund_script(host, c, {{"status", "refused"}, {"code", "NOT_ENOUGH"}, {"message", "余额不足"}});
  Tables tables(host);
  ASSERT_TRUE(eventually([&] { return tables.refunds(c["id"]).at(0).status == "failed"; }))
      << host.output();
  const auto row = tables.refunds(c["id"]).at(0);
  EXPECT_EQ(row.failure_code, "NOT_ENOUGH");
  EXPECT_EQ(row.failure_msg, "余额不足");
  for (const auto& call : provider_calls(host, c))
    EXPECT_EQ(call, "refund " + number + " 100");
  EXPECT_EQ(charge(host, c["id"])["amount_refunded"], 0);
  EXPECT_EQ(tables.events(row.id, "refund.succeeded").size(), 0u);
}

// Two serving hosts on one database, both with janitors: each pending refund is claimed
// by one of them at a time and settles once.
TEST_P(Refunds, TwoHostsJanitorsSettleEachPendingRefundOnce) {
  auto a = start(config("{}", "{}", kJanitor));
  auto b = Payhostd::second_host(a);
  std::vector<Json> charges;
  std::vector<std::string> refund_ids;
  for (int i = 0; i < 6; ++i) {
    charges.push_back(paid_charge(i % 2 ? a : b, 200 + i));
    refund_script(a, charges.back(), {{"status", "timeout"}});
    const CliResult r = cli_refund(a, charges.back()["id"], std::nullopt, "answer lost");
    ASSERT_EQ(r.code, 0) << r.out;
    ASSERT_EQ(r.refund["status"], "pending") << r.out;
    refund_ids.push_back(r.refund["id"]);
  }
  Tables tables(a);
  for (int i = 0; i < 6; ++i) {
    const Json& c = charges[static_cast<std::size_t>(i)];
    ASSERT_TRUE(eventually([&] { return tables.refunds(c["id"]).at(0).status == "succeeded"; }))
        << a.output() << b.output();
    EXPECT_EQ(charge(b, c["id"])["amount_refunded"], 200 + i);
    EXPECT_EQ(charge(b, c["id"])["refunded"], true);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // any late second answer
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(tables.events(refund_ids[i], "refund.succeeded").size(), 1u) << refund_ids[i];
    EXPECT_EQ(charge(a, charges[i]["id"])["amount_refunded"], charges[i]["amount"]);
  }
}

// In-process hosts on the serving host's config and database: RefundService callers race.
class InProcessHost {
 public:
  explicit InProcessHost(const Payhostd& on) {
    static const bool quiet = (host::init_logging("warn"), true);  // once per process
    (void)quiet;
    auto config = host::load_config(on.config_path());
    if (!config) throw std::runtime_error(config.error().message);
    app_ = std::make_unique<host::App>(std::move(*config));
    check(app_->load_plugins());
    check(app_->open_database());
    check(app_->start_plugins());
  }
  host::refunds::RefundService& refunds() { return app_->refunds(); }

 private:
  static void check(const sdk::Status& st) {
    if (!st) throw std::runtime_error(st.error().message);
  }
  std::unique_ptr<host::App> app_;
};

// 50 refunds of 30 fen at once on a charge of 1000: exactly 33 fit, never more, whether
// one host takes them all or two hosts share them (PostgreSQL).
TEST_P(Refunds, FiftyConcurrentRefundsNeverExceedThePaidAmount) {
  auto host = start(config());
  const Json c = paid_charge(host, 1000);
  const std::string id = c["id"];
  std::vector<std::unique_ptr<InProcessHost>> hosts;
  hosts.push_back(std::make_unique<InProcessHost>(host));
  if (postgres()) hosts.push_back(std::make_unique<InProcessHost>(host));

  std::atomic<int> succeeded{0}, exceeded{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 50; ++t) {
    threads.emplace_back([&, t] {
      host::refunds::NewRefund request;
      request.charge_id = id;
      request.amount = 30;
      request.description = "concurrent " + std::to_string(t);
      request.requested_by = "test";
      auto r = hosts[static_cast<std::size_t>(t) % hosts.size()]->refunds().create(request);
      if (r && r->status == RefundStatus::succeeded) {
        ++succeeded;
      } else if (!r && r.error().code == "refund_exceeds") {
        ++exceeded;
      } else {
        ++other;
        ADD_FAILURE() << (r ? to_pingpp_json_text(*r) : r.error().code + ": " + r.error().message);
      }
    });
  }
  for (auto& t : threads)
    t.join();
  EXPECT_EQ(succeeded.load(), 33);
  EXPECT_EQ(exceeded.load(), 17);
  EXPECT_EQ(other.load(), 0);

  Tables tables(host);
  long long total = 0;
  const auto rows = tables.refunds(id);
  for (const auto& row : rows) {
    EXPECT_EQ(row.status, "succeeded");
    total += row.amount;
    EXPECT_EQ(tables.events(row.id, "refund.succeeded").size(), 1u);
  }
  EXPECT_EQ(rows.size(), 33u);
  EXPECT_EQ(total, 990);
  EXPECT_EQ(charge(host, id)["amount_refunded"], 990);
  EXPECT_EQ(provider_calls(host, c).size(), 33u);
  EXPECT_EQ(tables.count("SELECT CAST(COUNT(*) AS BIGINT) FROM events WHERE charge_id = :c AND "
                         "type = 'refund.succeeded'",
                         id),
            33);
}

TEST_P(Refunds, GetAndListPageNewestFirst) {
  auto host = start(config());
  const Json c = paid_charge(host, 1000);
  const Json other = paid_charge(host, 100);
  InProcessHost in(host);
  std::vector<std::string> ids;  // oldest first
  for (int i = 0; i < 5; ++i) {
    host::refunds::NewRefund request;
    request.charge_id = c["id"];
    request.amount = 10 + i;
    request.description = "refund " + std::to_string(i);
    request.metadata = {{"n", i}};
    request.funding_source = "unsettled_funds";
    request.requested_by = "test";
    auto r = in.refunds().create(request);
    ASSERT_TRUE(r) << r.error().message;
    ids.push_back(r->id);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // ids are time-ordered
  }
  auto& service = in.refunds();
  auto one = service.get(c["id"], ids[2]);
  ASSERT_TRUE(one) << one.error().message;
  EXPECT_EQ(one->amount, 12);
  EXPECT_EQ(one->metadata, (Json{{"n", 2}}));
  EXPECT_EQ(one->funding_source, "unsettled_funds");
  EXPECT_EQ(one->charge_order_no, c["order_no"]);
  EXPECT_EQ(Json::parse(to_pingpp_json_text(*one))["funding_source"], "unsettled_funds");
  auto elsewhere = service.get(other["id"], ids[2]);
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, "refund_not_found");

  auto first = service.list(c["id"], 2, "", "");
  ASSERT_TRUE(first) << first.error().message;
  ASSERT_EQ(first->data.size(), 2u);
  EXPECT_EQ(first->data[0].id, ids[4]);
  EXPECT_EQ(first->data[1].id, ids[3]);
  EXPECT_TRUE(first->has_more);
  auto next = service.list(c["id"], 2, ids[3], "");
  ASSERT_TRUE(next);
  ASSERT_EQ(next->data.size(), 2u);
  EXPECT_EQ(next->data[0].id, ids[2]);
  EXPECT_EQ(next->data[1].id, ids[1]);
  EXPECT_TRUE(next->has_more);
  auto last = service.list(c["id"], 2, ids[1], "");
  ASSERT_TRUE(last);
  ASSERT_EQ(last->data.size(), 1u);
  EXPECT_EQ(last->data[0].id, ids[0]);
  EXPECT_FALSE(last->has_more);
  auto back = service.list(c["id"], 2, "", ids[1]);  // the page just above ids[1]
  ASSERT_TRUE(back);
  ASSERT_EQ(back->data.size(), 2u);
  EXPECT_EQ(back->data[0].id, ids[3]);
  EXPECT_EQ(back->data[1].id, ids[2]);
  EXPECT_TRUE(back->has_more);
  auto top = service.list(c["id"], 10, "", ids[3]);
  ASSERT_TRUE(top);
  ASSERT_EQ(top->data.size(), 1u);
  EXPECT_EQ(top->data[0].id, ids[4]);
  EXPECT_FALSE(top->has_more);
  EXPECT_TRUE(service.list(other["id"], 10, "", "")->data.empty());

  auto foreign = service.list(other["id"], 10, ids[0], "");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().code, "cursor_invalid");
  EXPECT_EQ(foreign.error().param, "starting_after");
  foreign = service.list(c["id"], 10, "", "re_nosuchrefund000000000000");
  ASSERT_FALSE(foreign);
  EXPECT_EQ(foreign.error().param, "ending_before");
  EXPECT_FALSE(service.list(c["id"], 0, "", ""));
  EXPECT_FALSE(service.list(c["id"], 101, "", ""));
  EXPECT_EQ(service.list("ch_nosuchcharge0000000000000", 10, "", "").error().code,
            "charge_not_found");
}

// What the API passes: a charge of another app or mode is not found, never "not yours".
TEST_P(Refunds, OtherAppsAndModesSeeNoCharge) {
  auto host = start(config());
  const Json c = paid_charge(host, 500);
  InProcessHost in(host);
  host::refunds::NewRefund request;
  request.charge_id = c["id"];
  request.description = "scoped";
  request.requested_by = "api:key_test";
  request.app = "app_someoneelse0000";
  request.livemode = false;
  auto r = in.refunds().create(request);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "charge_not_found");
  request.app = c["app"].get<std::string>();
  request.livemode = true;
  r = in.refunds().create(request);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "charge_not_found");
  request.metadata = Json::array();
  request.livemode = false;
  r = in.refunds().create(request);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "metadata_invalid");
  request.metadata = Json::object();
  request.funding_source = "somebody_elses_funds";
  r = in.refunds().create(request);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "funding_source_invalid");
  request.funding_source.reset();
  r = in.refunds().create(request);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->status, RefundStatus::succeeded);
  EXPECT_EQ(r->requested_by, "api:key_test");
}

// A real channel: an Alipay charge paid in the simulated Alipay, refunded in two parts by
// the operator's CLI (a second process, pointed at the serving host's sandbox).
TEST_P(Refunds, AlipayChargePaidInTheSandboxIsRefundedThroughTheCli) {
  auto host = start(R"(livemode: false
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
)");
  const Json c = create(host, 450, "alipay_qr");
  const std::string id = c["id"];
  const auto paid = host.request("POST", "/sandbox/cashier/" + id + "/pay?format=json", "",
                                 {"Accept: application/json"});
  ASSERT_EQ(paid.status, 200) << paid.body;
  ASSERT_EQ(charge(host, id)["paid"], true);
  const std::string trade_no = charge(host, id)["transaction_no"];

  // The CLI's own host has no listener: it reaches the sandbox through the serving one.
  const std::string cli_config = host.data_dir() + "/cli.yaml";
  std::ofstream(cli_config) << read_file(host.config_path()) << "\nserver:\n  public_url: \""
                            << host.url("") << "\"\n";
  CliResult part = cli_refund(host, id, 150, "部分退款", cli_config);
  ASSERT_EQ(part.code, 0) << part.out << host.output();
  EXPECT_EQ(part.refund["status"], "succeeded") << part.out;
  EXPECT_EQ(part.refund["amount"], 150);
  EXPECT_EQ(part.refund["transaction_no"], trade_no);
  Json after = charge(host, id);
  EXPECT_EQ(after["amount_refunded"], 150);
  EXPECT_EQ(after["refunded"], false);

  CliResult rest = cli_refund(host, id, std::nullopt, "the rest", cli_config);
  ASSERT_EQ(rest.code, 0) << rest.out;
  EXPECT_EQ(rest.refund["amount"], 300);
  EXPECT_NE(rest.refund["order_no"], part.refund["order_no"]);
  after = charge(host, id);
  EXPECT_EQ(after["amount_refunded"], 450);
  EXPECT_EQ(after["refunded"], true);
  Tables tables(host);
  EXPECT_EQ(tables.events(part.refund["id"], "refund.succeeded").size(), 1u);
  EXPECT_EQ(tables.events(rest.refund["id"], "refund.succeeded").size(), 1u);
  EXPECT_EQ(cli_refund(host, id, 1, "none left", cli_config).code, 1);
}

INSTANTIATE_TEST_SUITE_P(Engines, Refunds, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& tp) { return tp.param; });

// Ping++'s refund object: its fields in its order, nulls where nothing is known yet.
TEST(RefundJson, FieldsInPingppOrder) {
  host::refunds::Refund r;
  r.id = "re_0000000000000000000000r1";
  r.order_no = "20261205093000abcdefghij";
  r.charge_id = "ch_0000000000000000000000c1";
  r.charge_order_no = "order-1";
  r.amount = 12;
  r.created = 1764927000;
  r.description = "退\"款\"";
  const Json pending = Json::parse(to_pingpp_json_text(r));
  std::vector<std::string> keys;
  for (const auto& item : pending.items())
    keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "object", "order_no", "amount", "created",
                                            "succeed", "status", "time_succeed", "description",
                                            "failure_code", "failure_msg", "metadata", "charge",
                                            "charge_order_no", "transaction_no", "extra"}));
  EXPECT_EQ(pending["status"], "pending");
  EXPECT_EQ(pending["succeed"], false);
  EXPECT_TRUE(pending["time_succeed"].is_null());
  EXPECT_TRUE(pending["transaction_no"].is_null());
  EXPECT_EQ(pending["description"], "退\"款\"");
  EXPECT_EQ(pending["metadata"], Json::object());
  EXPECT_EQ(pending["charge"], r.charge_id);

  r.status = RefundStatus::succeeded;
  r.time_succeed = 1764927005;
  r.transaction_no = "2026120522001";
  r.funding_source = "recharge_funds";
  r.metadata = {{"k", "v"}};
  const Json done = Json::parse(to_pingpp_json_text(r));
  keys.clear();
  for (const auto& item : done.items())
    keys.push_back(item.key());
  EXPECT_EQ(keys.at(keys.size() - 2), "funding_source");
  EXPECT_EQ(done["succeed"], true);
  EXPECT_EQ(done["time_succeed"], 1764927005);
  EXPECT_EQ(done["transaction_no"], "2026120522001");
  EXPECT_EQ(done["metadata"]["k"], "v");
  // The same text nlohmann would write for the same tree.
  EXPECT_EQ(to_pingpp_json_text(r), done.dump());
}

}  // namespace
}  // namespace payhost::flow
