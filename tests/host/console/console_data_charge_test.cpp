// The console's charge detail and timeline, its refund route and its plugin list, on
// SQLite and PostgreSQL: payhostd takes the notifications, queries and webhooks; the
// console handlers run in a host in this process on the same database.
#include <filesystem>
#include <fstream>

#include "console_data_support.hpp"

namespace payhost::flow {
namespace {

namespace console = host::console;

// A webhook endpoint nobody listens on: every attempt is recorded with its error.
std::string config_with_dead_webhook() {
  return config() +
         "apps:\n  app_5anXP4ezfXvL8m5e:\n    webhooks:\n      - url: http://127.0.0.1:9/hook\n"
         "webhooks: {retry_seconds: [1, 1, 1], timeout_ms: 1000, lease_seconds: 2, poll_ms: 50, "
         "workers: 1, batch: 10}\n";
}

class ConsoleCharge : public ConsoleData {
 protected:
  Json detail(const std::string& id) {
    auto s = services();
    const auto r = console::charge_detail(s, caller(), get("/console/api/charges/" + id, {}, id));
    EXPECT_EQ(r.status, 200) << r.body;
    return body_of(r);
  }

  sdk::HttpResponse refund(const std::string& id, const std::string& body,
                           console::ConsoleCaller* who = nullptr) {
    auto s = services();
    sdk::HttpRequest r = get("/console/api/charges/" + id + "/refunds", {}, id);
    r.method = "POST";
    r.body = body;
    console::ConsoleCaller fallback = caller();
    return console::refund_charge(s, who ? *who : fallback, r);
  }

  Json paid_charge(long long amount) {
    const Json c = create(payhostd(), amount);
    Notice n{c["order_no"], amount};
    n.transaction_no = "T" + c["order_no"].get<std::string>();
    const auto r = notify(payhostd(), n);
    if (r.status != 200) throw std::runtime_error("notification refused: " + r.body);
    return c;
  }
};

// "kind/outcome" of each entry, in the timeline's order.
std::vector<std::string> steps(const Json& timeline) {
  std::vector<std::string> out;
  for (const auto& t : timeline)
    out.push_back(t["kind"].get<std::string>() + "/" + t["outcome"].get<std::string>());
  return out;
}

std::size_t position(const std::vector<std::string>& list, const std::string& step,
                     std::size_t from = 0) {
  for (std::size_t i = from; i < list.size(); ++i) {
    if (list[i] == step) return i;
  }
  ADD_FAILURE() << "no " << step << " in the timeline after position " << from;
  return list.size();
}

TEST_P(ConsoleCharge, TimelineTellsWhatHappenedInOrder) {
  start(config_with_dead_webhook());
  const Json c = create(payhostd(), 100);
  const std::string id = c["id"];
  const std::string order_no = c["order_no"];

  EXPECT_EQ(charge(payhostd(), id, /*retrieve=*/true)["paid"], false);  // query: unpaid
  Notice n{order_no, 100};
  n.transaction_no = "TX" + order_no;
  ASSERT_EQ(notify(payhostd(), n).status, 200);  // accepted: settles it
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(notify(payhostd(), n).status, 200);  // repeated: one row counts them all
  }
  Notice wrong = n;
  wrong.amount = 999;
  ASSERT_EQ(notify(payhostd(), wrong).status, 400);  // refused: amount_mismatch

  Json d;
  ASSERT_TRUE(eventually([&] {
    d = detail(id);
    for (const auto& t : d["timeline"])
      if (t["kind"] == "webhook") return true;
    return false;
  })) << d.dump(2);

  console::ConsoleCaller who = caller();
  const auto refunded = refund(id, R"({"amount":40,"reason":"damaged in transit"})", &who);
  ASSERT_EQ(refunded.status, 201) << refunded.body;
  const Json r = body_of(refunded);
  EXPECT_EQ(r["status"], "succeeded");
  EXPECT_EQ(r["amount"], 40);
  EXPECT_EQ(r["requested_by"], "console:alice");
  EXPECT_EQ(who.audit_target, r["id"].get<std::string>());
  EXPECT_EQ(who.audit_detail, "40 fen: damaged in transit");

  d = detail(id);
  const Json& charge = d["charge"];
  EXPECT_EQ(charge["id"], id);
  EXPECT_EQ(charge["state"], "succeeded");
  EXPECT_EQ(charge["transaction_no"], "TX" + order_no);
  EXPECT_EQ(charge["amount_refunded"], 40);
  EXPECT_EQ(charge["refundable"], 60);
  EXPECT_TRUE(charge.contains("body") && charge.contains("extra") && charge.contains("metadata"));
  EXPECT_FALSE(charge.contains("credential"));
  ASSERT_EQ(d["refunds"].size(), 1u);
  EXPECT_EQ(d["refunds"][0]["id"], r["id"]);
  EXPECT_EQ(d["refunds"][0]["description"], "damaged in transit");

  const auto list = steps(d["timeline"]);
  SCOPED_TRACE(d["timeline"].dump(1));
  EXPECT_EQ(list.front(), "created/");
  // The query came first, but the notification may have arrived in the same millisecond,
  // where the timeline has no order to tell.
  const auto query = position(list, "query/unpaid");
  const auto accepted = position(list, "notification/accepted");
  if (d["timeline"][query]["at_ms"] != d["timeline"][accepted]["at_ms"]) {
    EXPECT_LT(query, accepted);
  }
  // `settled` is at time_paid, the provider's payment time, which may be seconds before the
  // notification that reported it arrived; the event is written when it did.
  position(list, "settled/succeeded");
  const auto succeeded_event = position(list, "event/", accepted);
  EXPECT_EQ(d["timeline"][succeeded_event]["detail"], "charge.succeeded");
  position(list, "webhook/error", succeeded_event);
  const auto repeated = position(list, "notification/repeated", accepted);
  EXPECT_NE(d["timeline"][repeated]["detail"].get<std::string>().find("[seen 5 times, last "),
            std::string::npos);
  const auto refused = position(list, "notification/refused");
  EXPECT_NE(d["timeline"][refused]["detail"].get<std::string>().find("amount_mismatch"),
            std::string::npos);
  const auto refund_entry = position(list, "refund/succeeded", accepted);
  position(list, "event/", refund_entry);
  EXPECT_EQ(std::count(list.begin(), list.end(), "notification/accepted"), 1);
  EXPECT_EQ(std::count(list.begin(), list.end(), "notification/repeated"), 1);
  long long previous = 0;
  for (const auto& t : d["timeline"]) {
    EXPECT_GE(t["at_ms"].get<long long>() / 1000, previous / 1000);  // whole seconds ascend
    previous = t["at_ms"];
    EXPECT_LE(t["detail"].get<std::string>().size(), 512u);
  }
  for (const auto& t : d["timeline"]) {
    if (t["kind"] == "webhook") {
      EXPECT_EQ(t["detail"].get<std::string>().rfind("http://127.0.0.1:9/hook", 0), 0u);
    }
  }
}

TEST_P(ConsoleCharge, QueriesAndClosesAreRecorded) {
  start(config("{expiry_seconds: 2}", "{}",
               "{janitor: true, interval_seconds: 1, query_after_seconds: 1}"));
  const Json c = create(payhostd(), 100);
  const std::string id = c["id"];
  provider_says(payhostd(), c["order_no"], Json{{"status", "timeout"}});
  EXPECT_EQ(charge(payhostd(), id, true)["paid"], false);  // a query that learns nothing
  // Expired: the janitor closes it at the provider, then here.
  ASSERT_TRUE(eventually([&] { return detail(id)["charge"]["state"] == "closed"; }));

  const Json timeline = detail(id)["timeline"];
  const auto list = steps(timeline);
  SCOPED_TRACE(timeline.dump(1));
  const auto unknown = position(list, "query/unknown");
  EXPECT_NE(timeline[unknown]["detail"].get<std::string>().find("unavailable"), std::string::npos);
  const auto closed = position(list, "close/closed", unknown);
  EXPECT_EQ(timeline[position(list, "event/", closed)]["detail"], "charge.closed");
}

TEST_P(ConsoleCharge, UnknownOrMalformedIdsAreNotFound) {
  start();
  auto s = services();
  for (const std::string& id :
       std::vector<std::string>{"ch_nope", "bad id", std::string(65, 'a'), "../x", ""}) {
    const auto r = console::charge_detail(s, caller(), get("/x", {}, id));
    EXPECT_EQ(r.status, 404) << id;
    EXPECT_EQ(body_of(r)["error"]["code"], "not_found");
  }
}

TEST_P(ConsoleCharge, RefusedRefundRequestsChangeNothing) {
  start();
  const Json c = paid_charge(100);
  const std::string id = c["id"];
  const Json unpaid = create(payhostd(), 100);

  struct Case {
    std::string body;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {R"({"amount":0,"reason":"x"})", 400, "invalid_amount"},
      {R"({"amount":-5,"reason":"x"})", 400, "invalid_amount"},
      {R"({"amount":1.5,"reason":"x"})", 400, "invalid_amount"},
      {R"({"amount":50.0,"reason":"x"})", 400, "invalid_amount"},
      {R"({"amount":"50","reason":"x"})", 400, "invalid_amount"},
      {R"({"amount":18446744073709551615,"reason":"x"})", 400, "invalid_amount"},
      {R"({"amount":101,"reason":"x"})", 409, "refund_exceeds"},
      {R"({"amount":50})", 400, "invalid_reason"},
      {R"({"amount":50,"reason":""})", 400, "invalid_reason"},
      {R"({"amount":50,"reason":7})", 400, "invalid_reason"},
      {R"({"amount":50,"reason":"two\nlines"})", 400, "invalid_reason"},
      {R"({"amount":50,"reason":")" + std::string(256, 'x') + "\"}", 400, "invalid_reason"},
      {R"({"amount":50,"reason":"a=b&c"})", 400, "description_invalid"},
      {R"({"amount":50,"reason":"x","extra":1})", 400, "unknown_parameter"},
      {"not json", 400, "invalid_body"},
      {"[1]", 400, "invalid_body"},
      {R"({"reason":")" + std::string(17000, 'x') + "\"}", 400, "body_too_large"},
  };
  for (const auto& k : cases) {
    console::ConsoleCaller who = caller();
    const auto r = refund(id, k.body, &who);
    EXPECT_EQ(r.status, k.status) << k.body.substr(0, 80) << " -> " << r.body;
    EXPECT_EQ(body_of(r)["error"]["code"], k.code) << k.body.substr(0, 80);
    EXPECT_EQ(who.audit_target, id);
  }
  const auto not_paid = refund(unpaid["id"], R"({"reason":"x"})");
  EXPECT_EQ(not_paid.status, 409);
  EXPECT_EQ(body_of(not_paid)["error"]["code"], "charge_not_paid");
  const auto missing = refund("ch_000000000000000000000000", R"({"reason":"x"})");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(body_of(missing)["error"]["code"], "charge_not_found");
  EXPECT_EQ(refund("bad id", R"({"reason":"x"})").status, 404);

  const Json d = detail(id);
  EXPECT_TRUE(d["refunds"].empty());
  EXPECT_EQ(d["charge"]["amount_refunded"], 0);
  EXPECT_EQ(d["charge"]["refundable"], 100);

  // Without an amount: all that is left.
  ASSERT_EQ(refund(id, R"({"amount":30,"reason":"part"})").status, 201);
  const auto rest = refund(id, R"({"reason":"the rest, 退款"})");
  ASSERT_EQ(rest.status, 201) << rest.body;
  EXPECT_EQ(body_of(rest)["amount"], 70);
  EXPECT_EQ(detail(id)["charge"]["refundable"], 0);
  const auto again = refund(id, R"({"reason":"more"})");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(body_of(again)["error"]["code"], "charge_refunded");
}

TEST_P(ConsoleCharge, PluginsShowOptionsButNeverSecrets) {
  const std::string inline_secret = "s3cr3t-Inline-for-console-test";
  start(config("{merchant_id: m-console, secret: \"" + inline_secret + "\"}"));
  auto s = services();
  const auto r = console::plugins(s, caller(), get("/console/api/plugins"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(inline_secret), std::string::npos);
  const Json body = body_of(r);
  EXPECT_EQ(body["livemode"], false);
  ASSERT_EQ(body["plugins"].size(), 2u);
  const Json& channel = body["plugins"][0];
  EXPECT_EQ(channel["name"], "testchannel");
  EXPECT_EQ(channel["kind"], "channel");
  EXPECT_TRUE(channel["file"].get<std::string>().ends_with("/testchannel.so"));
  EXPECT_EQ(channel["channels"], Json::array({"testpay", "testpay_wap"}));
  EXPECT_EQ(channel["options"]["secret"], "••••");
  EXPECT_EQ(channel["options"]["merchant_id"], "m-console");
  const Json& product = body["plugins"][1];
  EXPECT_EQ(product["name"], "testproduct");
  EXPECT_EQ(product["kind"], "product");
  EXPECT_TRUE(product["channels"].empty());
}

TEST_P(ConsoleCharge, SecretFilesShowTheirPathNotTheirContents) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("payhost-console-secret-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "secret.txt").string();
  const std::string content = "file-Secret-contents-for-console";
  std::ofstream(path) << content << "\n";
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  start(config("{secret_file: \"" + path + "\"}"));
  auto s = services();
  const auto r = console::plugins(s, caller(), get("/console/api/plugins"));
  std::filesystem::remove_all(dir);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(content), std::string::npos);
  const Json options = body_of(r)["plugins"][0]["options"];
  EXPECT_EQ(options["secret"], "••••");
  EXPECT_EQ(options["secret_file"], path);
}

INSTANTIATE_TEST_SUITE_P(Databases, ConsoleCharge, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& tp) { return tp.param; });

}  // namespace
}  // namespace payhost::flow
