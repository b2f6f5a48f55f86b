// The four gateway paths as the unionpay channel meets them: signed raw answers, every
// refusal with its respCode (and nothing stored), replays and duplicates, the query's
// origRespCode through a trade's life, and refunds (idempotent, bounded).
#include <gtest/gtest.h>

#include <functional>
#include <regex>

#include "beijing_time.hpp"
#include "harness.hpp"

namespace payhost::sandbox_unionpay {
namespace {

using testing::Answer;
using testing::Harness;
using testing::kApp;
using testing::kBack;
using testing::kFront;
using testing::kQuery;

bool digits(const std::string& s, std::size_t n) {
  return std::regex_match(s, std::regex("[0-9]{" + std::to_string(n) + "}"));
}

class Gateway : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(h.started.ok()) << h.started.error().message; }

  // Pays the app order `order_id` through the cashier's Simulator (as a buyer would).
  void pay(const std::string& order_id, long long amount, const std::string& tn) {
    sdk::Charge c;
    c.id = "ch_" + order_id;
    c.channel = "upacp";
    c.order_no = order_id;
    c.amount = amount;
    c.credential = sdk::Json{{"tn", tn}, {"mode", "01"}};
    h.host.charge_core.store(c);
    auto paid = h.plugin.simulator()->act(c, sdk::CashierAction::pay);
    ASSERT_TRUE(paid.ok()) << paid.error().message;
  }

  // A consume answered 00, paid; returns its queryId.
  std::string paid_order(const std::string& order_id, long long amount) {
    const Answer consumed = h.send(kApp, h.consume(order_id, amount));
    EXPECT_EQ(consumed.fields.count("tn"), 1u) << consumed.body;
    pay(order_id, amount, consumed.fields.count("tn") ? consumed.fields.at("tn") : "");
    const Answer queried = h.send(kQuery, h.query(order_id, h.txn_time()));
    EXPECT_EQ(queried.fields.count("queryId"), 1u) << queried.body;
    return queried.fields.count("queryId") ? queried.fields.at("queryId") : "";
  }

  Harness h;
};

TEST_F(Gateway, AppConsumeAnswersASignedRaw21DigitTn) {
  const Answer a = h.send(kApp, h.consume("order20241205a1", 101));
  ASSERT_EQ(a.status, 200);
  EXPECT_TRUE(h.signed_by_unionpay(a));
  EXPECT_EQ(a.body.find('%'), std::string::npos) << "raw values, no percent-encoding";
  EXPECT_EQ(a.fields.at("respCode"), "00");
  EXPECT_EQ(a.fields.at("respMsg"), "成功[0000000]");
  EXPECT_TRUE(digits(a.fields.at("tn"), 21)) << a.fields.at("tn");
  EXPECT_EQ(a.fields.at("tn").substr(0, 14), h.txn_time());
  EXPECT_EQ(a.fields.at("orderId"), "order20241205a1");
  EXPECT_EQ(a.fields.at("txnTime"), h.txn_time());
  EXPECT_EQ(a.fields.at("merId"), testing::kMerId);
  EXPECT_EQ(a.fields.at("txnType"), "01");
  EXPECT_EQ(a.fields.at("reqReserved"), "ch_order20241205a1");
  EXPECT_EQ(a.fields.count("certId"), 0u);
  // Encoding is compared without case, as UnionPay does (the yansongda vector sends utf-8).
  Fields lower = h.consume("order20241205a2", 5);
  lower["encoding"] = "utf-8";
  EXPECT_EQ(h.send(kApp, lower).fields.at("respCode"), "00");
  // Apple Pay integrations that still send bizType 000802 are accepted on the app path.
  Fields apple = h.consume("order20241205a3", 5);
  apple["bizType"] = "000802";
  EXPECT_EQ(h.send(kApp, apple).fields.at("respCode"), "00");
}

struct Refusal {
  const char* what;
  std::function<void(Fields&)> change;
  const char* resp_code;
  bool sign = true;
  int key_slot = testing::kMerchantSlot;
};

TEST_F(Gateway, EveryRefusalHasItsRespCodeIsSignedAndStoresNothing) {
  const std::int64_t now = h.host.time.now();
  const std::vector<Refusal> refusals = {
      {"version", [](Fields& f) { f["version"] = "5.0.0"; }, "10"},
      {"signMethod", [](Fields& f) { f["signMethod"] = "11"; }, "10"},
      {"encoding", [](Fields& f) { f["encoding"] = "GBK"; }, "10"},
      {"merId unknown", [](Fields& f) { f["merId"] = "777290058100000"; }, "31"},
      {"certId", [](Fields& f) { f["certId"] = "69903319369"; }, "11"},
      {"stranger's key", [](Fields&) {}, "11", true, testing::kStrangerSlot},
      {"signature missing", [](Fields& f) { f["certId"] = "x"; }, "13", false},
      {"orderId short", [](Fields& f) { f["orderId"] = "abc1234"; }, "10"},
      {"orderId dash", [](Fields& f) { f["orderId"] = "order-20241205"; }, "10"},
      {"orderId long", [](Fields& f) { f["orderId"] = std::string(41, 'a'); }, "10"},
      {"txnTime shape", [](Fields& f) { f["txnTime"] = "2024120515345"; }, "10"},
      {"txnTime date", [](Fields& f) { f["txnTime"] = "20241232153456"; }, "10"},
      {"txnTime old", [now](Fields& f) { f["txnTime"] = beijing_digits(now - 300); }, "39"},
      {"txnTime future", [now](Fields& f) { f["txnTime"] = beijing_digits(now + 301); }, "39"},
      {"txnAmt zero", [](Fields& f) { f["txnAmt"] = "0"; }, "10"},
      {"txnAmt leading 0", [](Fields& f) { f["txnAmt"] = "0101"; }, "10"},
      {"txnAmt yuan", [](Fields& f) { f["txnAmt"] = "1.01"; }, "10"},
      {"txnAmt huge", [](Fields& f) { f["txnAmt"] = "1234567890123"; }, "10"},
      {"currencyCode", [](Fields& f) { f["currencyCode"] = "840"; }, "10"},
      {"backUrl missing", [](Fields& f) { f.erase("backUrl"); }, "13"},
      {"backUrl scheme", [](Fields& f) { f["backUrl"] = "ftp://sandbox.test/n"; }, "10"},
      {"txnAmt missing", [](Fields& f) { f.erase("txnAmt"); }, "13"},
      {"txnType", [](Fields& f) { f["txnType"] = "02"; }, "10"},
      {"txnSubType", [](Fields& f) { f["txnSubType"] = "02"; }, "10"},
      {"bizType", [](Fields& f) { f["bizType"] = "000000"; }, "10"},
      {"channelType pc on app", [](Fields& f) { f["channelType"] = "07"; }, "10"},
      {"accessType", [](Fields& f) { f["accessType"] = "1"; }, "10"},
      {"payTimeout before txnTime", [now](Fields& f) { f["payTimeout"] = beijing_digits(now - 1); },
       "10"},
  };
  int n = 0;
  for (const auto& r : refusals) {
    SCOPED_TRACE(r.what);
    Fields fields = h.consume("refused2024120" + std::to_string(++n), 100);
    r.change(fields);
    Answer a = h.send(kApp, fields, r.sign, r.key_slot);
    EXPECT_TRUE(h.signed_by_unionpay(a));
    EXPECT_EQ(a.fields["respCode"], r.resp_code) << a.body;
    EXPECT_NE(a.fields["respMsg"].find('['), std::string::npos);
    EXPECT_EQ(a.fields.count("tn"), 0u);
  }
  // A field changed after signing.
  Fields signed_fields = h.consume("tampered20241205", 100);
  signed_fields["certId"] = h.cert_id();
  signed_fields["signature"] = testing::merchant_signature(signed_fields);
  signed_fields["txnAmt"] = "1";
  EXPECT_EQ(h.send(kApp, signed_fields, false).fields["respCode"], "11");

  // Bodies that do not decode one way: refused before anything is checked.
  const std::string body_refusals[] = {"version=5.1.0&version=5.1.0", "orderDesc=%FF%FE",
                                       "a=" + std::string(64 * 1024, 'x'), "a=1&&b=2"};
  for (const auto& body : body_refusals) {
    Answer a = h.post(kApp, body);
    EXPECT_TRUE(h.signed_by_unionpay(a));
    EXPECT_EQ(a.fields["respCode"], "10") << body.substr(0, 30);
  }
  // Nothing refused was stored.
  for (int i = 1; i <= n; ++i) {
    Answer q = h.send(kQuery, h.query("refused2024120" + std::to_string(i), h.txn_time()));
    EXPECT_EQ(q.fields["respCode"], "34") << i;
  }
}

TEST_F(Gateway, AReplayGetsTheSameTnAndOtherContentIsADuplicate) {
  Fields fields = h.consume("replay20241205", 300);
  fields["certId"] = h.cert_id();
  fields["signature"] = testing::merchant_signature(fields);
  const Answer first = h.send(kApp, fields, false);
  const Answer again = h.send(kApp, fields, false);
  ASSERT_EQ(first.fields.at("respCode"), "00");
  ASSERT_EQ(again.fields.at("respCode"), "00");
  EXPECT_EQ(again.fields.at("tn"), first.fields.at("tn"));

  Fields other = h.consume("replay20241205", 301);
  const Answer duplicate = h.send(kApp, other);
  EXPECT_TRUE(h.signed_by_unionpay(duplicate));
  EXPECT_EQ(duplicate.fields.at("respCode"), "12");
  EXPECT_EQ(duplicate.fields.count("tn"), 0u);
  // A consume may not take a refund's orderId either.
  const std::string query_id = paid_order("replaypaid2024", 500);
  ASSERT_EQ(h.send(kBack, h.refund("refund2024120501", query_id, 100)).fields.at("respCode"), "00");
  EXPECT_EQ(h.send(kApp, h.consume("refund2024120501", 100)).fields.at("respCode"), "12");
}

TEST_F(Gateway, FrontFormRedirectsToTheCashierOrShowsTheRespCode) {
  sdk::Charge charge;
  charge.id = "ch_front20241205";
  charge.channel = "upacp_pc";
  charge.order_no = "front20241205";
  charge.amount = 250;
  h.host.charge_core.store(charge);
  const Answer a = h.send(kFront, h.front("front20241205", 250));
  EXPECT_EQ(a.status, 302) << a.body;
  EXPECT_EQ(a.headers.get("Location"), "/sandbox/cashier/ch_front20241205");
  EXPECT_NE(a.body.find("href=\"/sandbox/cashier/ch_front20241205\""), std::string::npos);
  // The browser posting the same form again lands on the same page.
  EXPECT_EQ(h.send(kFront, h.front("front20241205", 250)).status, 302);
  const Answer q = h.send(kQuery, h.query("front20241205", h.txn_time()));
  EXPECT_EQ(q.fields.at("origRespCode"), "05");

  const Answer refused = h.send(kFront, [&] {
    Fields f = h.front("front20241206", 250);
    f["version"] = "5.0.0";
    return f;
  }());
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("<code id=\"respCode\">10</code>"), std::string::npos)
      << refused.body;
  Fields no_front_url = h.front("front20241207", 250);
  no_front_url.erase("frontUrl");
  EXPECT_NE(h.send(kFront, no_front_url).body.find("<code id=\"respCode\">13</code>"),
            std::string::npos);
  // No charge has that order: the trade is recorded but there is no cashier to show.
  const Answer orphan = h.send(kFront, h.front("orphan20241205", 250));
  EXPECT_EQ(orphan.status, 404);
  EXPECT_NE(orphan.body.find("<code id=\"respCode\">34</code>"), std::string::npos);

  // A buyer who posts the form later than the window is still served while payTimeout is
  // ahead; without payTimeout the txnTime window holds.
  Fields late = h.front("late20241205x", 250);
  h.host.time.advance(std::chrono::seconds(1200));
  sdk::Charge late_charge = charge;
  late_charge.id = "ch_late";
  late_charge.order_no = "late20241205x";
  h.host.charge_core.store(late_charge);
  EXPECT_EQ(h.send(kFront, late).status, 302);
  Fields stale = h.front("stale20241205", 250);
  stale["txnTime"] = beijing_digits(h.host.time.now() - 1200);
  stale.erase("payTimeout");
  EXPECT_NE(h.send(kFront, stale).body.find("<code id=\"respCode\">39</code>"), std::string::npos);
}

TEST_F(Gateway, QueryReportsEachStateAsOrigRespCode) {
  const Answer unknown = h.send(kQuery, h.query("nosuchorder2024", h.txn_time()));
  EXPECT_TRUE(h.signed_by_unionpay(unknown));
  EXPECT_EQ(unknown.fields.at("respCode"), "34");
  EXPECT_EQ(unknown.fields.at("respMsg").rfind("查无此交易[", 0), 0u);

  const std::string txn_time = h.txn_time();
  const Answer consumed = h.send(kApp, h.consume("query20241205", 700));
  const Answer unpaid = h.send(kQuery, h.query("query20241205", txn_time));
  EXPECT_TRUE(h.signed_by_unionpay(unpaid));
  EXPECT_EQ(unpaid.fields.at("respCode"), "00");
  EXPECT_EQ(unpaid.fields.at("origRespCode"), "05");
  EXPECT_EQ(unpaid.fields.count("queryId"), 0u);
  // The original txnTime names the order: another one finds nothing.
  EXPECT_EQ(h.send(kQuery, h.query("query20241205", beijing_digits(h.host.time.now() - 1)))
                .fields.at("respCode"),
            "34");

  h.host.time.advance(std::chrono::seconds(60));
  pay("query20241205", 700, consumed.fields.at("tn"));
  const Answer paid = h.send(kQuery, h.query("query20241205", txn_time));
  EXPECT_TRUE(h.signed_by_unionpay(paid));
  EXPECT_EQ(paid.fields.at("origRespCode"), "00");
  EXPECT_EQ(paid.fields.at("txnAmt"), "700");
  EXPECT_EQ(paid.fields.at("settleAmt"), "700");
  EXPECT_EQ(paid.fields.at("txnTime"), txn_time);
  EXPECT_EQ(paid.fields.at("txnType"), "01");
  EXPECT_TRUE(digits(paid.fields.at("queryId"), 21));
  EXPECT_TRUE(digits(paid.fields.at("traceNo"), 6));
  EXPECT_EQ(paid.fields.at("traceTime"), beijing_digits(h.host.time.now()).substr(4, 10));
  EXPECT_EQ(paid.fields.at("settleDate"), "1205");
  // queryId = 2 digits, Beijing YYMMDDhhmmss, traceNo, 1 digit.
  EXPECT_EQ(paid.fields.at("queryId").substr(14, 6), paid.fields.at("traceNo"));

  // An order left unpaid past its payTimeout is closed: a failure as origRespCode.
  const std::string late_time = h.txn_time();
  h.send(kApp, h.consume("expire20241205", 100));
  h.host.time.advance(std::chrono::seconds(3601));
  const Answer expired = h.send(kQuery, h.query("expire20241205", late_time));
  EXPECT_EQ(expired.fields.at("origRespCode"), "01");
  EXPECT_NE(expired.fields.at("origRespMsg").find("timed out"), std::string::npos);
}

TEST_F(Gateway, RefundsAreIdempotentBoundedAndQueryable) {
  const std::string txn_time = h.txn_time();
  // Refunding an unpaid order or an unknown queryId: 35.
  h.send(kApp, h.consume("unpaid20241205", 1000));
  EXPECT_EQ(
      h.send(kBack, h.refund("refundx20241205", std::string(21, '1'), 10)).fields.at("respCode"),
      "35");
  const std::string query_id = paid_order("refund20241205", 1000);
  ASSERT_TRUE(digits(query_id, 21));

  const Answer first = h.send(kBack, h.refund("refunda20241205", query_id, 300));
  EXPECT_TRUE(h.signed_by_unionpay(first));
  EXPECT_EQ(first.fields.at("respCode"), "00");
  EXPECT_EQ(first.fields.at("origQryId"), query_id);
  EXPECT_EQ(first.fields.at("txnType"), "04");
  EXPECT_TRUE(digits(first.fields.at("queryId"), 21));
  EXPECT_NE(first.fields.at("queryId"), query_id);
  // The same refund orderId again (a retry, even with a later txnTime) refunds nothing more.
  h.host.time.advance(std::chrono::seconds(5));
  const Answer retry = h.send(kBack, h.refund("refunda20241205", query_id, 300));
  EXPECT_EQ(retry.fields.at("respCode"), "00");
  EXPECT_EQ(retry.fields.at("queryId"), first.fields.at("queryId"));
  // Reused for another amount: a duplicate.
  EXPECT_EQ(h.send(kBack, h.refund("refunda20241205", query_id, 200)).fields.at("respCode"), "12");
  // More than the 700 left: 33; exactly what is left: accepted; then nothing is left.
  EXPECT_EQ(h.send(kBack, h.refund("refundb20241205", query_id, 701)).fields.at("respCode"), "33");
  EXPECT_EQ(h.send(kBack, h.refund("refundc20241205", query_id, 700)).fields.at("respCode"), "00");
  EXPECT_EQ(h.send(kBack, h.refund("refundd20241205", query_id, 1)).fields.at("respCode"), "33");
  // A refund may not take a consume's orderId.
  EXPECT_EQ(h.send(kBack, h.refund("unpaid20241205", query_id, 1)).fields.at("respCode"), "12");

  // The refund itself is queryable by its orderId and txnTime.
  const Answer q = h.send(kQuery, h.query("refunda20241205", txn_time));
  EXPECT_TRUE(h.signed_by_unionpay(q));
  EXPECT_EQ(q.fields.at("respCode"), "00");
  EXPECT_EQ(q.fields.at("txnType"), "04");
  EXPECT_EQ(q.fields.at("origRespCode"), "00");
  EXPECT_EQ(q.fields.at("origQryId"), query_id);
  EXPECT_EQ(q.fields.at("txnAmt"), "300");
  // The payment stays paid.
  EXPECT_EQ(h.send(kQuery, h.query("refund20241205", txn_time)).fields.at("origRespCode"), "00");

  // Refund checks: a stale txnTime (39), a malformed origQryId (10), no origQryId (13).
  Fields stale = h.refund("refunde20241205", query_id, 1);
  stale["txnTime"] = beijing_digits(h.host.time.now() - 600);
  EXPECT_EQ(h.send(kBack, stale).fields.at("respCode"), "39");
  EXPECT_EQ(h.send(kBack, h.refund("refundf20241205", "12345", 1)).fields.at("respCode"), "10");
  Fields missing = h.refund("refundg20241205", query_id, 1);
  missing.erase("origQryId");
  EXPECT_EQ(h.send(kBack, missing).fields.at("respCode"), "13");
  Fields revoke = h.refund("refundh20241205", query_id, 1);
  revoke["txnType"] = "31";
  EXPECT_EQ(h.send(kBack, revoke).fields.at("respCode"), "10");
}

}  // namespace
}  // namespace payhost::sandbox_unionpay
