// The simulated Alipay end to end against a fake host: the gateway methods and their
// state machine, the cashier's simulator (inspect/act) for all four channels,
// notifications with retries, and the tampering hook. No network, in-memory SQLite.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "alipay_wire.hpp"
#include "beijing_time.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/testing/fake_host.hpp"
#include "sandbox_alipay_plugin.hpp"
#include "test_keys.hpp"
#include "trade_store.hpp"

namespace payhost::sandbox_alipay {
namespace {

using alipay::Params;
using alipay::SignScope;
using sdk::Json;
using sdk::testing::FakeHost;
using testing::test_keypair;

constexpr const char* kAppId = "9021000000000001";
constexpr const char* kNotifyUrl = "http://sandbox.test/notify/alipay";

rsa::Key merchant_private() {
  return rsa::Key::private_from_pem(test_keypair(0).private_pem).value();
}
rsa::Key platform_public() {
  return rsa::Key::public_from_pem(test_keypair(1).public_pem).value();
}

Params sign(Params p) {
  p.erase("sign");
  p["sign"] = rsa::sign_base64(merchant_private(), canonical_string(p, SignScope::request)).value();
  return p;
}

std::string form(const Params& p) {
  return sdk::form_encode(std::vector<std::pair<std::string, std::string>>(p.begin(), p.end()));
}

std::string extract_node(const std::string& body, const std::string& node_name) {
  const auto key = body.find("\"" + node_name + "\"");
  if (key == std::string::npos) return {};
  const auto start = body.find('{', key);
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = start; i < body.size(); ++i) {
    const char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return body.substr(start, i - start + 1);
    }
  }
  return {};
}

class SimulatorTest : public ::testing::Test {
 protected:
  void SetUp() override { start(Json::object()); }

  void start(const Json& overrides) {
    host_ = std::make_unique<FakeHost>();
    host_->base_url = "http://sandbox.test";
    host_->time.set(1703141677);                   // 2023-12-21 14:54:37 Beijing
    host_->provider.answer_every(200, "success");  // the merchant accepts notifications
    for (const auto& [name, slot] : {std::pair{"alipay-merchant", 0}, {"alipay-platform", 1}}) {
      host_->use_sandbox_keypair(name,
                                 {test_keypair(slot).private_pem, test_keypair(slot).public_pem});
    }
    plugin_ = std::make_unique<SandboxAlipayPlugin>();
    for (const auto& m : plugin_->migrations()) {
      for (const auto& statement : m.sqlite)
        host_->db.session() << statement;
    }
    Json values = Json::object();
    for (const auto& s : plugin_->option_specs())
      values[s.name] = s.default_value;
    for (const auto& [k, v] : overrides.items())
      values[k] = v;
    const auto started = plugin_->start(sdk::Options(values), *host_);
    ASSERT_TRUE(started.ok()) << started.error().message;
    routes_ = plugin_->routes();
  }

  sdk::HttpResponse call(const std::string& method, const std::string& pattern,
                         const std::string& raw_query, const std::string& body,
                         std::map<std::string, std::string> path_params = {},
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
    sdk::HttpRequest request;
    request.method = method;
    request.path = pattern;
    request.raw_query = raw_query;
    request.body = body;
    request.path_params = std::move(path_params);
    for (auto& [k, v] : headers)
      request.headers.add(k, v);
    for (const auto& route : routes_) {
      if (route.method == method && route.path == pattern) {
        EXPECT_EQ(route.auth, sdk::AuthPolicy::none);
        EXPECT_TRUE(route.service_pool);
        return route.handler(request);
      }
    }
    ADD_FAILURE() << "no route " << method << " " << pattern;
    return {};
  }

  Params request(const std::string& method, const Json& biz) {
    return Params{{"app_id", kAppId},
                  {"method", method},
                  {"charset", "utf-8"},
                  {"sign_type", "RSA2"},
                  {"timestamp", format_beijing(host_->time.now())},
                  {"version", "1.0"},
                  {"format", "JSON"},
                  {"notify_url", kNotifyUrl},
                  {"biz_content", biz.dump()}};
  }

  // POSTs a signed server call and returns the verified response node.
  Json gateway(const std::string& method, const Json& biz, bool expect_signed_ok = true) {
    const auto response = call(
        "POST", "/sandbox/alipay/gateway.do", "charset=utf-8", form(sign(request(method, biz))), {},
        {{"Content-Type", "application/x-www-form-urlencoded;charset=utf-8"}});
    return node_of(response, alipay::response_node_name(method), expect_signed_ok);
  }

  Json node_of(const sdk::HttpResponse& response, const std::string& node_name,
               bool expect_signed_ok = true) {
    EXPECT_EQ(response.status, 200) << response.body;
    const std::string text = extract_node(response.body, node_name);
    EXPECT_FALSE(text.empty()) << response.body;
    const Json envelope = Json::parse(response.body, nullptr, false);
    if (expect_signed_ok) {
      EXPECT_TRUE(rsa::verify_base64(platform_public(), text, envelope.value("sign", "")))
          << response.body;
    }
    return Json::parse(text, nullptr, false);
  }

  Json precreate(const std::string& order, const std::string& amount = "1.00") {
    return gateway("alipay.trade.precreate",
                   Json{{"out_trade_no", order}, {"total_amount", amount}, {"subject", "Tea"}});
  }

  void add_charge(const std::string& id, const std::string& channel, const std::string& order,
                  sdk::Fen amount, Json credential) {
    sdk::Charge c;
    c.id = id;
    c.channel = channel;
    c.order_no = order;
    c.amount = amount;
    c.subject = "Tea";
    c.credential = std::move(credential);
    host_->charge_core.store(c);
  }

  // What the cashier does with a charge: it finds the simulator by channel and asks it.
  sdk::Simulator& simulator(const std::string& channel) {
    sdk::Simulator* sim = plugin_->simulator();
    EXPECT_NE(sim, nullptr);
    const auto served = sim->channels();
    EXPECT_NE(std::find(served.begin(), served.end(), channel), served.end()) << channel;
    return *sim;
  }

  sdk::Result<sdk::CashierView> inspect(const std::string& charge_id) {
    const sdk::Charge c = *host_->charge_core.get(charge_id);
    return simulator(c.channel).inspect(c);
  }

  sdk::Result<sdk::CashierResult> act(const std::string& charge_id, sdk::CashierAction action) {
    const sdk::Charge c = *host_->charge_core.get(charge_id);
    return simulator(c.channel).act(c, action);
  }

  sdk::Result<sdk::CashierResult> pay(const std::string& charge_id) {
    return act(charge_id, sdk::CashierAction::pay);
  }

  static std::string detail(const sdk::CashierView& view, const std::string& label_part) {
    for (const auto& [label, value] : view.details) {
      if (label.find(label_part) != std::string::npos) return value;
    }
    return "<no " + label_part + ">";
  }

  // The last notification sent, decoded once, after checking it verifies (rsaCheckV1).
  Params last_notification() {
    const auto sent = host_->provider.sent();
    EXPECT_FALSE(sent.empty());
    if (sent.empty()) return {};
    const auto& r = sent.back();
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.url, kNotifyUrl);
    EXPECT_EQ(r.headers.get("Content-Type").value_or(""),
              "application/x-www-form-urlencoded; charset=utf-8");
    const auto decoded = sdk::parse_form_map(r.body);
    return Params(decoded.begin(), decoded.end());
  }

  bool verifies(const Params& n) {
    auto it = n.find("sign");
    return it != n.end() &&
           rsa::verify_base64(platform_public(), canonical_string(n, SignScope::notification),
                              it->second);
  }

  std::unique_ptr<FakeHost> host_;
  std::unique_ptr<SandboxAlipayPlugin> plugin_;
  std::vector<sdk::Route> routes_;
};

TEST(SandboxStart, RefusesLiveMode) {
  FakeHost host;
  host.live = true;
  SandboxAlipayPlugin plugin;
  Json values = Json::object();
  for (const auto& s : plugin.option_specs())
    values[s.name] = s.default_value;
  const auto started = plugin.start(sdk::Options(values), host);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().message,
            "the simulated Alipay (sandbox_alipay) must not run in live mode");
  EXPECT_EQ(plugin.simulator(), nullptr) << "no simulator for the cashier either";
}

// The plugin named `sandbox` created these tables before the simulators had folders of
// their own; schema_versions keys steps by owner, so on such a database they run again.
TEST(SandboxAlipayMigrations, RunOnTablesTheOldSandboxPluginCreated) {
  FakeHost host;
  for (int run = 0; run < 2; ++run) {
    for (const auto& m : SandboxAlipayPlugin().migrations()) {
      for (const auto& statement : m.sqlite) {
        EXPECT_NO_THROW(host.db.session() << statement) << "run " << run << ": " << statement;
      }
      for (const auto& statement : m.postgresql) {
        EXPECT_NE(statement.find("IF NOT EXISTS"), std::string::npos) << statement;
      }
    }
  }
}

TEST_F(SimulatorTest, PrecreateIsSignedEscapedAndIdempotent) {
  const auto response =
      call("POST", "/sandbox/alipay/gateway.do", "",
           form(sign(request(
               "alipay.trade.precreate",
               Json{{"out_trade_no", "QR_1"}, {"total_amount", "1.00"}, {"subject", "Tea"}}))));
  EXPECT_NE(response.body.find(R"("qr_code":"https:\/\/qr.alipay.com\/bax)"), std::string::npos)
      << response.body;
  const Json first = node_of(response, "alipay_trade_precreate_response");
  EXPECT_EQ(first["code"], "10000");
  EXPECT_EQ(first["msg"], "Success");
  EXPECT_EQ(first["out_trade_no"], "QR_1");
  const Json again = precreate("QR_1");
  EXPECT_EQ(again["code"], "10000");
  EXPECT_EQ(again["qr_code"], first["qr_code"]) << "a replay returns the same QR";
  const Json other = precreate("QR_1", "2.00");
  EXPECT_EQ(other["code"], "40004");
  EXPECT_EQ(other["sub_code"], "ACQ.CONTEXT_INCONSISTENT");
}

TEST_F(SimulatorTest, SystemParametersInQueryBizContentInBody) {
  Params p =
      sign(request("alipay.trade.precreate",
                   Json{{"out_trade_no", "QR_2"}, {"total_amount", "0.01"}, {"subject", "T"}}));
  Params body{{"biz_content", p["biz_content"]}};
  p.erase("biz_content");
  const Json node = node_of(call("POST", "/sandbox/alipay/gateway.do", form(p), form(body)),
                            "alipay_trade_precreate_response");
  EXPECT_EQ(node["code"], "10000") << node.dump();

  // The same key with two values is refused rather than guessed.
  Params conflicting{{"app_id", "9021000000000002"}};
  const auto refused =
      call("POST", "/sandbox/alipay/gateway.do", form(conflicting),
           form(sign(request("alipay.trade.query", Json{{"out_trade_no", "QR_2"}}))));
  const Json error = node_of(refused, "error_response");
  EXPECT_EQ(error["code"], "40002");
  EXPECT_EQ(error["sub_code"], "isv.invalid-parameter");
}

TEST_F(SimulatorTest, GatewayRefusals) {
  Params p = request("alipay.trade.query", Json{{"out_trade_no", "X"}});
  p = sign(p);
  p["biz_content"] = R"({"out_trade_no":"Y"})";
  Json node = node_of(call("POST", "/sandbox/alipay/gateway.do", "", form(p)),
                      "alipay_trade_query_response");
  EXPECT_EQ(node["code"], "40002");
  EXPECT_EQ(node["sub_code"], "isv.invalid-signature");

  node = node_of(call("POST", "/sandbox/alipay/gateway.do", "",
                      form(sign(request("alipay.trade.nothing", Json::object())))),
                 "error_response");
  EXPECT_EQ(node["sub_code"], "isv.invalid-method");

  node = node_of(call("GET", "/sandbox/alipay/gateway.do",
                      form(sign(request("alipay.trade.app.pay", Json::object()))), ""),
                 "error_response");
  EXPECT_EQ(node["sub_code"], "isv.invalid-method") << "app.pay never reaches the gateway";

  Params stale = request("alipay.trade.query", Json{{"out_trade_no", "X"}});
  stale["timestamp"] = format_beijing(host_->time.now() - 3600);
  node = node_of(call("POST", "/sandbox/alipay/gateway.do", "", form(sign(stale))),
                 "alipay_trade_query_response");
  EXPECT_EQ(node["sub_code"], "isv.invalid-timestamp");

  node = gateway("alipay.trade.precreate",
                 Json{{"out_trade_no", "Q"}, {"total_amount", "1.001"}, {"subject", "T"}});
  EXPECT_EQ(node["code"], "40002");
  EXPECT_EQ(node["sub_code"], "isv.invalid-parameter");
  node = gateway("alipay.trade.precreate", Json{{"out_trade_no", "Q"}, {"subject", "T"}});
  EXPECT_EQ(node["code"], "40001");
}

TEST_F(SimulatorTest, QueryAndCloseStateMachine) {
  Json node = gateway("alipay.trade.query", Json{{"out_trade_no", "NOPE"}});
  EXPECT_EQ(node["code"], "40004");
  EXPECT_EQ(node["sub_code"], "ACQ.TRADE_NOT_EXIST");
  EXPECT_EQ(node["out_trade_no"], "NOPE");

  ASSERT_EQ(precreate("C_1")["code"], "10000");
  node = gateway("alipay.trade.query", Json{{"out_trade_no", "C_1"}});
  EXPECT_EQ(node["code"], "10000");
  EXPECT_EQ(node["trade_status"], "WAIT_BUYER_PAY");
  EXPECT_EQ(node["total_amount"], "1.00");
  EXPECT_EQ(node["trade_no"].get<std::string>().size(), 28u);
  const std::string trade_no = node["trade_no"];
  EXPECT_EQ(gateway("alipay.trade.query", Json{{"trade_no", trade_no}})["out_trade_no"], "C_1");

  EXPECT_EQ(gateway("alipay.trade.close", Json{{"out_trade_no", "NOPE"}})["sub_code"],
            "ACQ.TRADE_NOT_EXIST");
  node = gateway("alipay.trade.close", Json{{"out_trade_no", "C_1"}});
  EXPECT_EQ(node["code"], "10000");
  EXPECT_EQ(node["trade_no"], trade_no);
  EXPECT_EQ(gateway("alipay.trade.query", Json{{"out_trade_no", "C_1"}})["trade_status"],
            "TRADE_CLOSED");
  EXPECT_EQ(gateway("alipay.trade.close", Json{{"out_trade_no", "C_1"}})["sub_code"],
            "ACQ.TRADE_STATUS_ERROR");
  EXPECT_EQ(precreate("C_1")["sub_code"], "ACQ.TRADE_HAS_CLOSE");
}

TEST_F(SimulatorTest, QrCashierPayNotifiesAndRefundsFollowTheRules) {
  const Json pre = precreate("QR_PAY", "1.00");
  add_charge("ch_qr", "alipay_qr", "QR_PAY", 100, pre["qr_code"]);

  const auto view = inspect("ch_qr");
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(view->trade_status, "WAIT_BUYER_PAY");
  EXPECT_EQ(view->actions,
            (std::vector<sdk::CashierAction>{sdk::CashierAction::pay, sdk::CashierAction::close,
                                             sdk::CashierAction::expire}));
  EXPECT_EQ(detail(*view, "Signed amount"), "¥1.00");
  EXPECT_EQ(view->qr_text, pre["qr_code"]);

  // Refunding an unpaid trade or closing a paid one is refused.
  EXPECT_EQ(gateway("alipay.trade.refund",
                    Json{{"out_trade_no", "QR_PAY"}, {"refund_amount", "0.10"}})["sub_code"],
            "ACQ.TRADE_STATUS_ERROR");

  auto paid = pay("ch_qr");
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  EXPECT_EQ(paid->trade_status, "TRADE_SUCCESS");
  EXPECT_EQ(paid->out_trade_no, "QR_PAY");
  EXPECT_FALSE(paid->repeated);
  EXPECT_TRUE(paid->notified);
  EXPECT_EQ(paid->notify_status, 200);
  EXPECT_EQ(paid->notify_answer, "success");
  EXPECT_EQ(paid->return_url, "") << "a QR trade has no browser to send back";
  const std::string trade_no = paid->trade_no;

  Params n = last_notification();
  EXPECT_TRUE(verifies(n));
  EXPECT_EQ(n["trade_no"], trade_no);
  EXPECT_EQ(n["out_trade_no"], "QR_PAY");
  EXPECT_EQ(n["trade_status"], "TRADE_SUCCESS");
  EXPECT_EQ(n["total_amount"], "1.00");
  EXPECT_EQ(n["app_id"], kAppId);
  EXPECT_EQ(n["seller_id"], "2088000000000001");
  EXPECT_EQ(n["buyer_logon_id"], "buyer***@sandbox.example");
  EXPECT_EQ(n["notify_type"], "trade_status_sync");
  EXPECT_TRUE(host_->scheduled() == 0u) << "accepted: no retry";

  Json q = gateway("alipay.trade.query", Json{{"out_trade_no", "QR_PAY"}});
  EXPECT_EQ(q["trade_status"], "TRADE_SUCCESS");
  EXPECT_EQ(q["trade_no"], trade_no);
  EXPECT_EQ(q["buyer_pay_amount"], "1.00");
  EXPECT_TRUE(q.contains("send_pay_date"));

  // Once paid, the buyer has nothing left to do on the page.
  const auto after = inspect("ch_qr");
  ASSERT_TRUE(after.ok()) << after.error().message;
  EXPECT_EQ(after->trade_status, "TRADE_SUCCESS");
  EXPECT_TRUE(after->actions.empty());
  EXPECT_EQ(detail(*after, "trade_no"), trade_no);
  EXPECT_EQ(detail(*after, "Buyer"), "buyer***@sandbox.example");

  // Paying again pays nothing twice but sends the notification again.
  paid = pay("ch_qr");
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  EXPECT_TRUE(paid->repeated);
  EXPECT_EQ(paid->trade_no, trade_no);
  EXPECT_EQ(host_->provider.sent().size(), 2u);
  // Neither closing nor failing a paid trade is possible.
  const auto close = act("ch_qr", sdk::CashierAction::close);
  ASSERT_FALSE(close.ok());
  EXPECT_EQ(close.error().kind, sdk::ErrorKind::conflict);
  EXPECT_EQ(act("ch_qr", sdk::CashierAction::fail).error().kind, sdk::ErrorKind::conflict);
  EXPECT_EQ(gateway("alipay.trade.close", Json{{"out_trade_no", "QR_PAY"}})["sub_code"],
            "ACQ.TRADE_STATUS_ERROR");
  EXPECT_EQ(precreate("QR_PAY")["sub_code"], "ACQ.TRADE_HAS_SUCCESS");

  // Refunds: partial, replay, too much, the rest (closes), then nothing left.
  const auto refund = [&](const char* amount, const char* request_no) {
    return gateway("alipay.trade.refund", Json{{"out_trade_no", "QR_PAY"},
                                               {"refund_amount", amount},
                                               {"out_request_no", request_no}});
  };
  Json r = refund("0.40", "R1");
  EXPECT_EQ(r["code"], "10000");
  EXPECT_EQ(r["fund_change"], "Y");
  EXPECT_EQ(r["refund_fee"], "0.40");
  r = refund("0.40", "R1");
  EXPECT_EQ(r["fund_change"], "N");
  EXPECT_EQ(r["refund_fee"], "0.40");
  EXPECT_EQ(refund("0.50", "R1")["sub_code"], "ACQ.CONTEXT_INCONSISTENT");
  EXPECT_EQ(refund("0.61", "R2")["sub_code"], "ACQ.REFUND_AMT_NOT_EQUAL_TOTAL");
  r = refund("0.60", "R2");
  EXPECT_EQ(r["fund_change"], "Y");
  EXPECT_EQ(r["refund_fee"], "1.00");
  EXPECT_EQ(gateway("alipay.trade.query", Json{{"out_trade_no", "QR_PAY"}})["trade_status"],
            "TRADE_CLOSED");
  EXPECT_EQ(refund("0.01", "R3")["sub_code"], "ACQ.TRADE_HAS_CLOSE");
  EXPECT_EQ(refund("0.60", "R2")["fund_change"], "N") << "replays still answer after closing";
}

// Driver and SQL text from a storage failure reach the log, not the page or the envelope.
TEST_F(SimulatorTest, StorageFailuresShowNoDriverText) {
  const Json pre = precreate("QR_BROKEN", "1.00");
  add_charge("ch_broken", "alipay_qr", "QR_BROKEN", 100, pre["qr_code"]);
  host_->db.session() << "DROP TABLE sandbox_alipay_trades";

  const auto paid = pay("ch_broken");
  ASSERT_FALSE(paid.ok());
  EXPECT_EQ(paid.error().kind, sdk::ErrorKind::unavailable);
  const auto viewed = inspect("ch_broken");
  ASSERT_FALSE(viewed.ok());
  EXPECT_EQ(viewed.error().kind, sdk::ErrorKind::unavailable);
  const auto envelope =
      call("POST", "/sandbox/alipay/gateway.do", "charset=utf-8",
           form(sign(request("alipay.trade.query", Json{{"out_trade_no", "QR_BROKEN"}}))), {},
           {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_NE(envelope.body.find("ACQ.SYSTEM_ERROR"), std::string::npos) << envelope.body;
  for (const std::string& answer : {paid.error().message, viewed.error().message, envelope.body}) {
    EXPECT_EQ(answer.find("sandbox_alipay_trades"), std::string::npos) << answer;
    EXPECT_EQ(answer.find("no such table"), std::string::npos) << answer;
  }
  EXPECT_TRUE(host_->log.contains("no such table")) << host_->log.dump();
}

TEST_F(SimulatorTest, QrCashierNeedsThePrecreatedTrade) {
  add_charge("ch_qr2", "alipay_qr", "QR_NONE", 100, "https://qr.alipay.com/baxmadeup");
  auto view = inspect("ch_qr2");
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.error().kind, sdk::ErrorKind::invalid_request);
  EXPECT_NE(view.error().message.find("precreate"), std::string::npos);
  precreate("QR_NONE");
  view = inspect("ch_qr2");
  ASSERT_FALSE(view.ok()) << "the QR string must be the one precreate returned";
  EXPECT_EQ(view.error().kind, sdk::ErrorKind::invalid_request);
  EXPECT_FALSE(pay("ch_qr2").ok());
}

TEST_F(SimulatorTest, AppCashierVerifiesTheOrderString) {
  Params p = request("alipay.trade.app.pay", Json{{"out_trade_no", "APP_1"},
                                                  {"total_amount", "0.05"},
                                                  {"subject", "<b>Tea<'x'\"\"\">"},
                                                  {"product_code", "QUICK_MSECURITY_PAY"}});
  p["subject"] = "";  // empty: dropped from the string, harmless
  p = sign(p);
  // Ordered like the Node SDK would: not sorted.
  std::vector<std::pair<std::string, std::string>> pairs(p.rbegin(), p.rend());
  add_charge("ch_app", "alipay", "APP_1", 5, Json{{"orderInfo", sdk::form_encode(pairs)}});

  // The signed subject, decoded once, as plain text (the cashier escapes it).
  auto view = inspect("ch_app");
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(detail(*view, "Signed subject"), "<b>Tea<'x'\"\"\">");
  EXPECT_EQ(detail(*view, "Signed amount"), "¥0.05");

  auto paid = pay("ch_app");
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  Params n = last_notification();
  EXPECT_TRUE(verifies(n));
  EXPECT_EQ(n["total_amount"], "0.05");
  EXPECT_EQ(n["subject"], "<b>Tea<'x'\"\"\">");
  EXPECT_EQ(n["trade_no"], paid->trade_no);

  // The same order string with the amount changed after signing.
  std::string tampered = sdk::form_encode(pairs);
  const auto at = tampered.find("0.05");
  ASSERT_NE(at, std::string::npos);
  tampered.replace(at, 4, "0.06");
  add_charge("ch_app_bad", "alipay", "APP_2", 6, Json{{"orderInfo", tampered}});
  view = inspect("ch_app_bad");
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.error().kind, sdk::ErrorKind::invalid_request);
  EXPECT_NE(view.error().message.find("isv.invalid-signature"), std::string::npos);
  for (auto action :
       {sdk::CashierAction::pay, sdk::CashierAction::close, sdk::CashierAction::fail}) {
    const auto acted = act("ch_app_bad", action);
    ASSERT_FALSE(acted.ok());
    EXPECT_EQ(acted.error().kind, sdk::ErrorKind::invalid_request) << sdk::to_string(action);
  }
}

TEST_F(SimulatorTest, CashierChecksTheCredentialAgainstTheCharge) {
  Params p =
      sign(request("alipay.trade.app.pay",
                   Json{{"out_trade_no", "APP_3"}, {"total_amount", "0.05"}, {"subject", "T"}}));
  add_charge("ch_amount", "alipay", "APP_3", 6, Json{{"orderInfo", form(p)}});
  auto view = inspect("ch_amount");
  ASSERT_FALSE(view.ok());
  EXPECT_EQ(view.error().kind, sdk::ErrorKind::invalid_request);
  EXPECT_NE(view.error().message.find("not the charge amount"), std::string::npos);
  add_charge("ch_order", "alipay", "OTHER", 5, Json{{"orderInfo", form(p)}});
  view = inspect("ch_order");
  ASSERT_FALSE(view.ok());
  EXPECT_NE(view.error().message.find("is not the charge's order_no OTHER"), std::string::npos);

  // Other providers' channels are not Alipay's to judge.
  const auto served = plugin_->simulator()->channels();
  EXPECT_EQ(served,
            (std::vector<std::string>{"alipay", "alipay_wap", "alipay_pc_direct", "alipay_qr"}));
  add_charge("ch_wx", "wx", "WX_1", 5, Json::object());
  const auto wx = plugin_->simulator()->inspect(*host_->charge_core.get("ch_wx"));
  ASSERT_FALSE(wx.ok());
  EXPECT_EQ(wx.error().kind, sdk::ErrorKind::invalid_request);
}

TEST_F(SimulatorTest, WapBrowserIsRedirectedToTheCashier) {
  Params p = request("alipay.trade.wap.pay", Json{{"out_trade_no", "WAP_1"},
                                                  {"total_amount", "2.50"},
                                                  {"subject", "Tea"},
                                                  {"product_code", "QUICK_WAP_WAY"}});
  p["return_url"] = "http://shop.example/return?x=1";
  p = sign(p);
  Json credential = Json::object();
  credential["channel_url"] = "http://sandbox.test/sandbox/alipay/gateway.do";
  for (const auto& [k, v] : p)
    credential[k] = v;
  add_charge("ch_wap", "alipay_wap", "WAP_1", 250, credential);

  auto redirect = call("GET", "/sandbox/alipay/gateway.do", form(p), "");
  ASSERT_EQ(redirect.status, 302) << redirect.body;
  EXPECT_EQ(redirect.headers.get("Location").value_or(""), "/sandbox/cashier/ch_wap");
  EXPECT_NE(redirect.body.find("href=\"/sandbox/cashier/ch_wap\""), std::string::npos);
  // Reloading the page is a replay of the same content.
  EXPECT_EQ(call("GET", "/sandbox/alipay/gateway.do", form(p), "").status, 302);

  auto view = inspect("ch_wap");
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(view->trade_status, "WAIT_BUYER_PAY");
  EXPECT_TRUE(view->browser) << "a wap page: the cashier offers a code to open it on a phone";

  // The browser goes back with Alipay's signed return parameters appended.
  auto paid = pay("ch_wap");
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  const std::string prefix = "http://shop.example/return?x=1&";
  ASSERT_EQ(paid->return_url.rfind(prefix, 0), 0u) << paid->return_url;
  const auto returned_map = sdk::parse_form_map(paid->return_url.substr(prefix.size()));
  const Params returned(returned_map.begin(), returned_map.end());
  EXPECT_TRUE(verifies(returned)) << paid->return_url;
  EXPECT_EQ(returned.at("out_trade_no"), "WAP_1");
  EXPECT_EQ(returned.at("trade_no"), paid->trade_no);
  Params n = last_notification();
  EXPECT_TRUE(verifies(n));
  EXPECT_EQ(n["total_amount"], "2.50");

  // A wap request whose signature does not verify gets an error page, no redirect.
  Params bad = p;
  bad["return_url"] = "http://evil.example/";
  auto refused = call("GET", "/sandbox/alipay/gateway.do", form(bad), "");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("isv.invalid-signature"), std::string::npos);
}

TEST_F(SimulatorTest, PagePayCredentialWithoutGatewayVisit) {
  Params p =
      sign(request("alipay.trade.page.pay", Json{{"out_trade_no", "PC_1"},
                                                 {"total_amount", "3.00"},
                                                 {"subject", "Tea"},
                                                 {"product_code", "FAST_INSTANT_TRADE_PAY"}}));
  Json credential = Json::object();
  for (const auto& [k, v] : p)
    credential[k] = v;
  credential["channel_url"] = "http://sandbox.test/sandbox/alipay/gateway.do";
  add_charge("ch_pc", "alipay_pc_direct", "PC_1", 300, credential);
  auto paid = pay("ch_pc");
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  EXPECT_EQ(paid->trade_status, "TRADE_SUCCESS");
  EXPECT_EQ(paid->return_url, "") << "the signed request carried no return_url";
  EXPECT_EQ(gateway("alipay.trade.query", Json{{"out_trade_no", "PC_1"}})["trade_status"],
            "TRADE_SUCCESS");

  // A wap credential presented for a pc charge names the wrong method.
  Params wap = sign(request("alipay.trade.wap.pay", Json{{"out_trade_no", "PC_2"},
                                                         {"total_amount", "3.00"},
                                                         {"subject", "Tea"},
                                                         {"product_code", "QUICK_WAP_WAY"}}));
  Json wrong = Json::object();
  for (const auto& [k, v] : wap)
    wrong[k] = v;
  add_charge("ch_pc2", "alipay_pc_direct", "PC_2", 300, wrong);
  const auto refused = pay("ch_pc2");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().kind, sdk::ErrorKind::invalid_request);
  EXPECT_NE(refused.error().message.find("method must be alipay.trade.page.pay"), std::string::npos)
      << refused.error().message;
}

TEST_F(SimulatorTest, UnansweredNotificationsAreRetriedThenGivenUp) {
  start(Json{{"notify_retry_ms", {1000, 2000}}, {"notify_max_attempts", 4}});
  precreate("RETRY_1");
  const Json pre =
      gateway("alipay.trade.precreate",
              Json{{"out_trade_no", "RETRY_1"}, {"total_amount", "1.00"}, {"subject", "Tea"}});
  add_charge("ch_retry", "alipay_qr", "RETRY_1", 100, pre["qr_code"]);
  host_->provider.answer_every(200, "fail");
  host_->provider.timeout();

  const auto result = pay("ch_retry");
  ASSERT_TRUE(result.ok()) << "the trade is paid whatever the merchant answers";
  EXPECT_EQ(result->trade_status, "TRADE_SUCCESS");
  EXPECT_FALSE(result->notified);
  EXPECT_NE(result->notify_error.find("Timeout was reached"), std::string::npos)
      << result->notify_error;
  ASSERT_EQ(host_->scheduled(), 1u);
  EXPECT_EQ(host_->scheduled_delays().front().count(), 1000);
  ASSERT_TRUE(host_->run_next_scheduled());  // attempt 2: "fail"
  ASSERT_EQ(host_->scheduled(), 1u);
  EXPECT_EQ(host_->scheduled_delays().front().count(), 2000);
  ASSERT_TRUE(host_->run_next_scheduled());  // attempt 3: "fail"
  ASSERT_EQ(host_->scheduled(), 1u);
  EXPECT_EQ(host_->scheduled_delays().front().count(), 2000) << "the last delay repeats";
  host_->provider.answer_every(200, "success ");  // not exactly success
  ASSERT_TRUE(host_->run_next_scheduled());       // attempt 4: the last
  EXPECT_TRUE(host_->scheduled() == 0u);
  EXPECT_EQ(host_->provider.sent().size(), 4u);
  // Every attempt carries the same signed notification.
  EXPECT_EQ(host_->provider.sent()[0].body, host_->provider.sent()[3].body);

  // A later answer of exactly "success" stops the retries.
  host_->provider.answer_every(500, "oops");
  ASSERT_TRUE(pay("ch_retry").ok());
  ASSERT_EQ(host_->scheduled(), 1u);
  host_->provider.answer_every(200, "success");
  ASSERT_TRUE(host_->run_next_scheduled());
  EXPECT_TRUE(host_->scheduled() == 0u);

  // After stop, queued retries do nothing.
  host_->provider.answer_every(200, "fail");
  ASSERT_TRUE(pay("ch_retry").ok());
  ASSERT_EQ(host_->scheduled(), 1u);
  const auto sent = host_->provider.sent().size();
  plugin_->stop();
  ASSERT_TRUE(host_->run_next_scheduled());
  EXPECT_EQ(host_->provider.sent().size(), sent);
}

TEST_F(SimulatorTest, TamperedNotificationsAreSentOnceAndChangeNothing) {
  const Json pre = precreate("TAMPER_1", "1.00");
  add_charge("ch_t", "alipay_qr", "TAMPER_1", 100, pre["qr_code"]);
  host_->provider.answer_every(200, "failure");
  for (const char* kind : {"amount", "app_id", "signature", "unknown_order"}) {
    const auto before = host_->provider.sent().size();
    const auto response = call("POST", "/sandbox/alipay/notify-tampered", "",
                               Json{{"charge_id", "ch_t"}, {"tamper", kind}}.dump());
    ASSERT_EQ(response.status, 200) << response.body;
    EXPECT_EQ(Json::parse(response.body), (Json{{"status", 200}, {"answer", "failure"}}));
    EXPECT_EQ(host_->provider.sent().size(), before + 1) << "exactly one attempt";
    Params n = last_notification();
    EXPECT_EQ(n["trade_status"], "TRADE_SUCCESS");
    const std::string k = kind;
    EXPECT_EQ(verifies(n), k != "signature") << kind;
    if (k == "amount") {
      EXPECT_EQ(n["total_amount"], "1.01");
    } else if (k == "app_id") {
      EXPECT_EQ(n["app_id"], alipay::kForeignAppId);
    } else if (k == "unknown_order") {
      EXPECT_NE(n["out_trade_no"], "TAMPER_1");
    } else {
      EXPECT_EQ(n["total_amount"], "1.00");
    }
  }
  EXPECT_TRUE(host_->scheduled() == 0u) << "tampered notifications are never retried";
  EXPECT_EQ(gateway("alipay.trade.query", Json{{"out_trade_no", "TAMPER_1"}})["trade_status"],
            "WAIT_BUYER_PAY");

  EXPECT_EQ(call("POST", "/sandbox/alipay/notify-tampered", "",
                 Json{{"charge_id", "ch_t"}, {"tamper", "all"}}.dump())
                .status,
            400);
  EXPECT_EQ(call("POST", "/sandbox/alipay/notify-tampered", "", "not json").status, 400);
  EXPECT_EQ(call("POST", "/sandbox/alipay/notify-tampered", "",
                 Json{{"charge_id", "ch_none"}, {"tamper", "amount"}}.dump())
                .status,
            404);
}

TEST_F(SimulatorTest, CloseEndsAnUnpaidTradeAndQueryReportsIt) {
  const Json pre = precreate("CLOSE_QR", "1.00");
  add_charge("ch_close", "alipay_qr", "CLOSE_QR", 100, pre["qr_code"]);

  // Alipay shows merchants no failed payment: not offered, refused, nothing changes.
  const auto failed = act("ch_close", sdk::CashierAction::fail);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.error().kind, sdk::ErrorKind::conflict);
  EXPECT_EQ(failed.error().code, "not_offered");
  EXPECT_EQ(gateway("alipay.trade.query", Json{{"out_trade_no", "CLOSE_QR"}})["trade_status"],
            "WAIT_BUYER_PAY");

  const auto closed = act("ch_close", sdk::CashierAction::close);
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_EQ(closed->trade_status, "TRADE_CLOSED");
  EXPECT_EQ(closed->out_trade_no, "CLOSE_QR");
  EXPECT_FALSE(closed->repeated);
  EXPECT_FALSE(closed->notified);
  EXPECT_TRUE(host_->provider.sent().empty()) << "closing notifies nobody";
  EXPECT_EQ(gateway("alipay.trade.query", Json{{"out_trade_no", "CLOSE_QR"}})["trade_status"],
            "TRADE_CLOSED");

  const auto view = inspect("ch_close");
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_EQ(view->trade_status, "TRADE_CLOSED");
  EXPECT_TRUE(view->actions.empty());

  const auto again = act("ch_close", sdk::CashierAction::close);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->repeated);
  const auto paid = pay("ch_close");
  ASSERT_FALSE(paid.ok());
  EXPECT_EQ(paid.error().kind, sdk::ErrorKind::conflict);
  EXPECT_NE(paid.error().message.find("TRADE_CLOSED"), std::string::npos);
  EXPECT_TRUE(host_->provider.sent().empty());

  // An app charge whose buyer never reached Alipay: the trade is recorded from the
  // verified order string, then closed.
  Params p = sign(
      request("alipay.trade.app.pay",
              Json{{"out_trade_no", "CLOSE_APP"}, {"total_amount", "0.07"}, {"subject", "Tea"}}));
  add_charge("ch_close_app", "alipay", "CLOSE_APP", 7, Json{{"orderInfo", form(p)}});
  const auto view_app = inspect("ch_close_app");
  ASSERT_TRUE(view_app.ok()) << view_app.error().message;
  EXPECT_EQ(view_app->actions,
            (std::vector<sdk::CashierAction>{sdk::CashierAction::pay, sdk::CashierAction::close,
                                             sdk::CashierAction::expire}));
  const auto closed_app = act("ch_close_app", sdk::CashierAction::close);
  ASSERT_TRUE(closed_app.ok()) << closed_app.error().message;
  EXPECT_EQ(closed_app->trade_status, "TRADE_CLOSED");
  EXPECT_EQ(closed_app->trade_no.size(), 28u);
  EXPECT_EQ(gateway("alipay.trade.query", Json{{"out_trade_no", "CLOSE_APP"}})["trade_status"],
            "TRADE_CLOSED");
}

TEST_F(SimulatorTest, ExpireClosesTheTradeAndNotifiesTradeClosedOnce) {
  const Json pre = precreate("EXPIRE_QR", "1.00");
  add_charge("ch_expire", "alipay_qr", "EXPIRE_QR", 100, pre["qr_code"]);
  const auto view = inspect("ch_expire");
  ASSERT_TRUE(view.ok()) << view.error().message;
  EXPECT_FALSE(view->browser) << "a code to scan, not a page to open";

  const auto expired = act("ch_expire", sdk::CashierAction::expire);
  ASSERT_TRUE(expired.ok()) << expired.error().message;
  EXPECT_EQ(expired->trade_status, "TRADE_CLOSED");
  EXPECT_FALSE(expired->repeated);
  EXPECT_TRUE(expired->notified) << expired->notify_error;
  EXPECT_EQ(expired->notify_answer, "success");
  EXPECT_EQ(gateway("alipay.trade.query", Json{{"out_trade_no", "EXPIRE_QR"}})["trade_status"],
            "TRADE_CLOSED");

  // Alipay's timeout notification: signed, TRADE_CLOSED, no payment fields, a close time.
  const Params n = last_notification();
  EXPECT_TRUE(verifies(n));
  EXPECT_EQ(n.at("trade_status"), "TRADE_CLOSED");
  EXPECT_EQ(n.at("out_trade_no"), "EXPIRE_QR");
  EXPECT_EQ(n.at("total_amount"), "1.00");
  EXPECT_EQ(n.at("gmt_close"), format_beijing(host_->time.now()));
  for (const char* absent : {"gmt_payment", "fund_bill_list", "buyer_pay_amount", "receipt_amount"})
    EXPECT_EQ(n.count(absent), 0u) << absent;

  // Expired once: again changes nothing and notifies nobody; paying is refused.
  const std::size_t sent = host_->provider.sent().size();
  const auto again = act("ch_expire", sdk::CashierAction::expire);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_TRUE(again->repeated);
  EXPECT_FALSE(again->notified);
  EXPECT_EQ(host_->provider.sent().size(), sent);
  EXPECT_FALSE(pay("ch_expire").ok());

  // A paid trade cannot expire.
  const Json paid_pre = precreate("EXPIRE_PAID", "1.00");
  add_charge("ch_expire_paid", "alipay_qr", "EXPIRE_PAID", 100, paid_pre["qr_code"]);
  ASSERT_TRUE(pay("ch_expire_paid").ok());
  const auto late = act("ch_expire_paid", sdk::CashierAction::expire);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().kind, sdk::ErrorKind::conflict);
}

}  // namespace
}  // namespace payhost::sandbox_alipay
