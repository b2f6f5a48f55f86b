// The cashier's routes against a fake host and a fake simulator: what the page shows and
// escapes, how it refuses (unknown charge, no simulator, inspect failure, live mode), each
// action reaching the simulator, and JSON against HTML answers.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "cashier_plugin.hpp"
#include "payhost/sdk/testing/fake_host.hpp"
#include "qr_svg.hpp"
#include "scripted_simulator.hpp"
#include "web_url.hpp"

namespace payhost::cashier {
namespace {

using sdk::CashierAction;
using sdk::Json;
using sdk::testing::FakeHost;
using testing::ScriptedSimulator;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size()))
    ++n;
  return n;
}

class CashierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    host_.base_url = "http://cashier.test";
    host_.add_simulator(simulator_);
    const auto started = plugin_.start(sdk::Options(Json::object()), host_);
    ASSERT_TRUE(started.ok()) << started.error().message;
    routes_ = plugin_.routes();
    add_charge("ch_fake00000000000000000001", "fakepay", 123);

    sdk::CashierView view;
    view.provider = "FakePay";
    view.trade_status = "WAITING";
    view.details = {{"Provider order", "F-1"}};
    view.actions = {CashierAction::pay, CashierAction::close};
    simulator_.view = view;
    sdk::CashierResult result;
    result.trade_no = "T123";
    result.out_trade_no = "ORDER_1";
    result.trade_status = "PAID";
    result.notified = true;
    result.notify_status = 200;
    result.notify_answer = "success";
    simulator_.result = result;
  }

  sdk::Charge add_charge(const std::string& id, const std::string& channel, sdk::Fen amount) {
    sdk::Charge c;
    c.id = id;
    c.channel = channel;
    c.order_no = "ORDER_1";
    c.amount = amount;
    c.subject = "Tea";
    host_.charge_core.store(c);
    return c;
  }

  void set_state(sdk::ChargeState state) {
    sdk::Charge c = *host_.charge_core.get(id_);
    c.state = state;
    host_.charge_core.store(c);
  }

  sdk::HttpResponse call(const std::string& method, const std::string& path,
                         const std::string& charge_id, const std::string& raw_query = "",
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
    sdk::HttpRequest request;
    request.method = method;
    request.path = path;
    request.raw_query = raw_query;
    request.path_params = {{"charge_id", charge_id}};
    for (auto& [k, v] : headers)
      request.headers.add(k, v);
    for (const auto& route : routes_) {
      if (route.method == method && route.path == path) return route.handler(request);
    }
    ADD_FAILURE() << "no route " << method << " " << path;
    return {};
  }

  sdk::HttpResponse page(const std::string& charge_id) {
    return call("GET", "/sandbox/cashier/{charge_id}", charge_id);
  }

  sdk::HttpResponse post(CashierAction action, const std::string& charge_id, bool json) {
    std::vector<std::pair<std::string, std::string>> headers;
    if (json) headers.emplace_back("Accept", "text/html, application/json;q=0.9");
    return call("POST", std::string("/sandbox/cashier/{charge_id}/") + sdk::to_string(action),
                charge_id, "", std::move(headers));
  }

  static bool is_html(const sdk::HttpResponse& r) {
    return contains(r.headers.get("Content-Type").value_or(""), "text/html");
  }
  static bool is_json(const sdk::HttpResponse& r) {
    return contains(r.headers.get("Content-Type").value_or(""), "application/json");
  }

  const std::string id_ = "ch_fake00000000000000000001";
  FakeHost host_;
  ScriptedSimulator simulator_;
  CashierPlugin plugin_;
  std::vector<sdk::Route> routes_;
};

TEST(CashierStart, RefusesLiveMode) {
  FakeHost host;
  host.live = true;
  CashierPlugin plugin;
  EXPECT_TRUE(plugin.option_specs().empty());
  const auto started = plugin.start(sdk::Options(Json::object()), host);
  ASSERT_FALSE(started.ok());
  EXPECT_EQ(started.error().message, "the sandbox cashier must not run in live mode");
}

TEST(CashierStart, RoutesAnswerOnlyOnceStarted) {
  CashierPlugin plugin;
  const auto routes = plugin.routes();
  std::vector<std::string> seen;
  for (const auto& r : routes) {
    seen.push_back(r.method + " " + r.path);
    EXPECT_EQ(r.auth, sdk::AuthPolicy::none) << r.path;
    EXPECT_TRUE(r.service_pool) << r.path;
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{
                "GET /sandbox/cashier/{charge_id}", "POST /sandbox/cashier/{charge_id}/pay",
                "POST /sandbox/cashier/{charge_id}/fail", "POST /sandbox/cashier/{charge_id}/close",
                "POST /sandbox/cashier/{charge_id}/expire"}));
  sdk::HttpRequest request;
  request.path_params = {{"charge_id", "ch_x"}};
  EXPECT_EQ(routes.front().handler(request).status, 503);
}

TEST_F(CashierTest, PageShowsTheChargeAndTheSimulatorsView) {
  const auto r = page(id_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(is_html(r));
  EXPECT_EQ(r.headers.get("Cache-Control").value_or(""), "no-store");
  for (const char* part : {"ch_fake00000000000000000001", "ORDER_1", "fakepay", "¥1.23", "Tea",
                           "待支付 <span data-testid=\"state\">pending</span>", "FakePay",
                           "WAITING", "Provider order", "F-1"}) {
    EXPECT_TRUE(contains(r.body, part)) << part << "\n" << r.body;
  }
  // One form per offered action, none for the others.
  EXPECT_TRUE(contains(r.body, "action=\"/sandbox/cashier/" + id_ + "/pay\""));
  EXPECT_TRUE(contains(r.body, "action=\"/sandbox/cashier/" + id_ + "/close\""));
  EXPECT_FALSE(contains(r.body, "/fail\""));
  EXPECT_TRUE(contains(r.body, "method=\"post\""));
  EXPECT_EQ(simulator_.inspected, std::vector<std::string>{id_});
  EXPECT_TRUE(simulator_.acted.empty()) << "showing the page changes nothing";
}

TEST_F(CashierTest, PageEscapesEverything) {
  sdk::Charge c = add_charge("ch_evil", "fakepay", 1);
  c.subject = "<script>alert('s')</script>";
  c.order_no = "O\"><img src=x>";
  host_.charge_core.store(c);
  auto view = simulator_.view.value();
  view.provider = "<b>Pay</b>";
  view.trade_status = "<i>WAIT</i>";
  view.details = {{"<u>label</u>", "a & b <br>"}};
  view.qr_text = "weixin://wxpay/bizpayurl?pr=<x>";
  simulator_.view = view;
  const auto r = page("ch_evil");
  ASSERT_EQ(r.status, 200) << r.body;
  for (const char* raw : {"<script>", "<img", "<b>Pay", "<i>WAIT", "<u>label", "<br>", "pr=<x>"}) {
    EXPECT_FALSE(contains(r.body, raw)) << raw << "\n" << r.body;
  }
  for (const char* escaped :
       {"&lt;script&gt;alert(&#39;s&#39;)&lt;/script&gt;", "O&quot;&gt;&lt;img src=x&gt;",
        "&lt;b&gt;Pay&lt;/b&gt;", "&lt;i&gt;WAIT&lt;/i&gt;", "&lt;u&gt;label&lt;/u&gt;",
        "a &amp; b &lt;br&gt;", "weixin://wxpay/bizpayurl?pr=&lt;x&gt;"}) {
    EXPECT_TRUE(contains(r.body, escaped)) << escaped << "\n" << r.body;
  }
}

TEST_F(CashierTest, SettledChargesAreShownWithoutActions) {
  for (const auto state :
       {sdk::ChargeState::succeeded, sdk::ChargeState::closed, sdk::ChargeState::failed}) {
    set_state(state);
    const auto r = page(id_);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(contains(r.body, "<form")) << sdk::to_string(state) << "\n" << r.body;
    EXPECT_TRUE(contains(r.body, sdk::to_string(state))) << r.body;
  }
  // A pending charge whose simulator offers nothing has no buttons either.
  set_state(sdk::ChargeState::pending);
  auto view = simulator_.view.value();
  view.actions.clear();
  simulator_.view = view;
  EXPECT_FALSE(contains(page(id_).body, "<form"));
}

TEST_F(CashierTest, UnknownChargeIs404) {
  auto r = page("ch_nothere");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(is_html(r));
  EXPECT_TRUE(contains(r.body, "payhost has no charge ch_nothere")) << r.body;
  r = post(CashierAction::pay, "ch_nothere", true);
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Json::parse(r.body), (Json{{"paid", false},
                                       {"error", "no_charge"},
                                       {"detail", "payhost has no charge ch_nothere"}}));
  // Ids payhost never makes are not even looked up (nor echoed).
  const int lookups = host_.charge_core.lookups();
  r = page("ch_<script>");
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(contains(r.body, "<script>"));
  EXPECT_EQ(page(std::string(65, 'a')).status, 404);
  EXPECT_EQ(page("").status, 404);
  EXPECT_EQ(host_.charge_core.lookups(), lookups);
  EXPECT_TRUE(simulator_.inspected.empty());
}

TEST_F(CashierTest, ChargeStorageFailureShowsNoDriverText) {
  host_.charge_core.fail_lookups(
      sdk::make_error(sdk::ErrorKind::unavailable, "db", "no such table: charges (SQL: SELECT)"));
  const auto r = page(id_);
  EXPECT_EQ(r.status, 503);
  EXPECT_FALSE(contains(r.body, "no such table")) << r.body;
  const auto j = post(CashierAction::pay, id_, true);
  EXPECT_EQ(j.status, 503);
  EXPECT_FALSE(contains(j.body, "no such table")) << j.body;
  EXPECT_TRUE(host_.log.contains("no such table")) << host_.log.dump();
}

TEST_F(CashierTest, NoSimulatorForTheChannel) {
  add_charge("ch_wx", "wx", 5);
  const auto r = page("ch_wx");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "no simulator for channel wx: enable its sandbox plugin")) << r.body;
  const auto j = post(CashierAction::close, "ch_wx", true);
  EXPECT_EQ(j.status, 400);
  EXPECT_EQ(Json::parse(j.body)["error"], "no_simulator");
  EXPECT_EQ(Json::parse(j.body)["action"], "close");
  EXPECT_TRUE(simulator_.inspected.empty());
  EXPECT_TRUE(simulator_.acted.empty());
}

TEST_F(CashierTest, LiveModeChargesAreRefused) {
  sdk::Charge live = *host_.charge_core.get(id_);
  live.livemode = true;
  host_.charge_core.store(live);
  const auto r = page(id_);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(contains(r.body, "live-mode charge")) << r.body;
  EXPECT_EQ(post(CashierAction::pay, id_, true).status, 400);
  EXPECT_TRUE(simulator_.inspected.empty());
  EXPECT_TRUE(simulator_.acted.empty());
}

TEST_F(CashierTest, InspectFailureShowsTheSimulatorsMessage) {
  simulator_.view = sdk::make_error(sdk::ErrorKind::invalid_request, "bad_credential",
                                    "signed amount <1.00> is not the charge amount");
  const auto r = page(id_);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(is_html(r));
  EXPECT_TRUE(contains(r.body, "signed amount &lt;1.00&gt; is not the charge amount")) << r.body;
  EXPECT_FALSE(contains(r.body, "<form"));

  simulator_.view =
      sdk::make_error(sdk::ErrorKind::unavailable, "sandbox_storage", "records unreadable");
  EXPECT_EQ(page(id_).status, 503);
}

TEST_F(CashierTest, EachActionReachesTheSimulator) {
  for (const auto action :
       {CashierAction::pay, CashierAction::fail, CashierAction::close, CashierAction::expire}) {
    simulator_.acted.clear();
    const auto r = post(action, id_, true);
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_EQ(simulator_.acted.size(), 1u);
    EXPECT_EQ(simulator_.acted[0].first, id_);
    EXPECT_EQ(simulator_.acted[0].second, action);
  }
}

TEST_F(CashierTest, PayAnswersTheJsonTestsRelyOn) {
  auto r = post(CashierAction::pay, id_, true);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(is_json(r));
  EXPECT_EQ(r.body,
            R"({"paid":true,"trade_no":"T123","out_trade_no":"ORDER_1","trade_status":"PAID",)"
            R"("repeated":false,"notified":true,"notify_status":200,"notify_answer":"success"})");

  auto result = simulator_.result.value();
  result.repeated = true;
  result.notified = false;
  result.notify_status = 0;
  result.notify_answer = "";
  result.notify_error = "connect timed out";
  simulator_.result = result;
  // ?format=json for clients that cannot set headers.
  r = call("POST", "/sandbox/cashier/{charge_id}/pay", id_, "format=json");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = Json::parse(r.body);
  EXPECT_EQ(j["repeated"], true);
  EXPECT_EQ(j["notified"], false);
  EXPECT_EQ(j["notify_error"], "connect timed out");
}

TEST_F(CashierTest, FailAndCloseAnswerWithTheirAction) {
  auto result = simulator_.result.value();
  result.trade_status = "CLOSED";
  result.notified = false;
  result.notify_status = 0;
  result.notify_answer = "";
  result.notify_error = "closing sends no notification";
  simulator_.result = result;
  const auto r = post(CashierAction::close, id_, true);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json::parse(r.body), (Json{{"action", "close"},
                                       {"trade_no", "T123"},
                                       {"out_trade_no", "ORDER_1"},
                                       {"trade_status", "CLOSED"},
                                       {"repeated", false},
                                       {"notified", false},
                                       {"notify_status", 0},
                                       {"notify_answer", ""},
                                       {"notify_error", "closing sends no notification"}}));
  EXPECT_EQ(Json::parse(post(CashierAction::fail, id_, true).body)["action"], "fail");
}

TEST_F(CashierTest, RefusedActionsKeepTheSimulatorsWords) {
  simulator_.result = sdk::make_error(sdk::ErrorKind::conflict, "not_offered",
                                      "this provider has no failed payments");
  auto r = post(CashierAction::fail, id_, true);
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(Json::parse(r.body), (Json{{"action", "fail"},
                                       {"error", "not_offered"},
                                       {"detail", "this provider has no failed payments"}}));
  simulator_.result = sdk::make_error(sdk::ErrorKind::invalid_request, "bad_credential", "forged");
  r = post(CashierAction::pay, id_, true);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Json::parse(r.body),
            (Json{{"paid", false}, {"error", "bad_credential"}, {"detail", "forged"}}));
  r = post(CashierAction::pay, id_, false);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(is_html(r));
  EXPECT_TRUE(contains(r.body, "forged"));
}

TEST_F(CashierTest, BrowsersGetAResultPageWithASafeReturnLink) {
  auto result = simulator_.result.value();
  result.return_url = "https://shop.example/return?a=1&b=<2>";
  simulator_.result = result;
  auto r = post(CashierAction::pay, id_, false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(is_html(r));
  EXPECT_TRUE(contains(r.body, "T123"));
  EXPECT_TRUE(contains(r.body, "PAID"));
  EXPECT_TRUE(contains(r.body, "已送达 delivered (HTTP 200: success)")) << r.body;
  EXPECT_FALSE(contains(r.body, "id=\"return\"")) << "<> make it no URL to link";

  result.return_url = "https://shop.example/return?a=1&b=2";
  simulator_.result = result;
  r = post(CashierAction::pay, id_, false);
  EXPECT_TRUE(contains(r.body, "href=\"https://shop.example/return?a=1&amp;b=2\"")) << r.body;

  for (const char* unsafe : {"javascript:alert(1)", "/relative", "//shop.example/x",
                             "ftp://shop.example/", "http://", "https://shop.example/\"x"}) {
    result.return_url = unsafe;
    simulator_.result = result;
    r = post(CashierAction::pay, id_, false);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(contains(r.body, "id=\"return\"")) << unsafe;
  }
}

TEST(WebUrl, OnlyAbsoluteHttpUrls) {
  EXPECT_TRUE(is_absolute_web_url("http://a"));
  EXPECT_TRUE(is_absolute_web_url("HTTPS://shop.example/r?x=1&y=%20"));
  EXPECT_FALSE(is_absolute_web_url(""));
  EXPECT_FALSE(is_absolute_web_url("https:///path"));
  EXPECT_FALSE(is_absolute_web_url("https://a b"));
  EXPECT_FALSE(is_absolute_web_url("https://a\n"));
  EXPECT_FALSE(is_absolute_web_url("https://a/\xc3\xa9"));
  EXPECT_FALSE(is_absolute_web_url("https://a/" + std::string(5000, 'x')));
  EXPECT_FALSE(is_absolute_web_url("data:text/html,<b>"));
}

TEST_F(CashierTest, PageShowsTheStateAndOneButtonPerAction) {
  auto view = simulator_.view.value();
  view.actions = {CashierAction::pay, CashierAction::fail, CashierAction::close,
                  CashierAction::expire};
  simulator_.view = view;
  const auto r = page(id_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(r.body, "待支付 <span data-testid=\"state\">pending</span>")) << r.body;
  EXPECT_TRUE(contains(r.body, "<meta name=\"viewport\""));
  for (const char* action : {"pay", "fail", "close", "expire"}) {
    EXPECT_TRUE(contains(r.body, "<form method=\"post\" action=\"/sandbox/cashier/" + id_ + "/" +
                                     action + "\"><button type=\"submit\" class=\"" + action +
                                     "\" data-action=\"" + action + "\">"))
        << action << "\n"
        << r.body;
  }
  EXPECT_TRUE(contains(r.body, "让订单过期 Let it expire"));
  // Self-contained: no script, nothing fetched, and the policy says so.
  EXPECT_FALSE(contains(r.body, "<script"));
  EXPECT_FALSE(contains(r.body, " style=\""));
  EXPECT_EQ(r.headers.get("Content-Security-Policy").value_or(""),
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; "
            "frame-ancestors 'none'");
}

TEST_F(CashierTest, AppChannelsShowTheCredentialAndNoCode) {
  sdk::Charge c = *host_.charge_core.get(id_);
  c.credential = Json{{"orderInfo", "app_id=1&sign=</pre><script>alert('x')</script>&amp;"}};
  host_.charge_core.store(c);
  const auto r = page(id_);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(contains(r.body, "<svg"));
  EXPECT_EQ(count(r.body, "<pre data-testid=\"credential\">"), 1u) << r.body;
  // Pretty-printed as the app's SDK receives it, every byte escaped.
  EXPECT_TRUE(contains(r.body,
                       "<pre data-testid=\"credential\">{\n  &quot;object&quot;: "
                       "&quot;credential&quot;,\n  &quot;fakepay&quot;: {\n    "
                       "&quot;orderInfo&quot;: &quot;app_id=1&amp;sign=&lt;/pre&gt;&lt;script&gt;"
                       "alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;&quot;\n  }\n}</pre>"))
      << r.body;
  EXPECT_FALSE(contains(r.body, "<script"));
  EXPECT_EQ(count(r.body, "</pre>"), 1u) << "the credential cannot close its block";

  // Bytes that are not UTF-8 are replaced, not a failed page.
  c.credential = Json{{"tn", std::string("\xff\xfe")}};
  host_.charge_core.store(c);
  const auto odd = page(id_);
  ASSERT_EQ(odd.status, 200) << odd.body;
  EXPECT_TRUE(contains(odd.body, "\xef\xbf\xbd")) << odd.body;
}

TEST_F(CashierTest, QrTextIsDrawnAsACode) {
  auto view = simulator_.view.value();
  view.qr_text = "weixin://wxpay/bizpayurl?pr=abc1234";
  simulator_.view = view;
  const auto r = page(id_);
  ASSERT_EQ(r.status, 200) << r.body;
  const auto qr = qr_svg(view.qr_text);
  ASSERT_TRUE(qr.has_value());
  EXPECT_EQ(count(r.body, "<svg data-testid=\"qr\""), 1u) << r.body;
  EXPECT_TRUE(contains(r.body, qr->svg)) << "the code of the simulator's text";
  EXPECT_TRUE(contains(r.body, "weixin://wxpay/bizpayurl?pr=abc1234")) << "and the text";
  EXPECT_FALSE(contains(r.body, "data-testid=\"credential\""));

  // Too long to scan: the text alone, said so.
  view.qr_text = "https://qr.example/" + std::string(kMaxQrBytes, 'x');
  simulator_.view = view;
  const auto long_page = page(id_);
  ASSERT_EQ(long_page.status, 200);
  EXPECT_FALSE(contains(long_page.body, "<svg"));
  EXPECT_TRUE(contains(long_page.body, "Too long for a QR code (over 1024 bytes)"));
  EXPECT_TRUE(contains(long_page.body, view.qr_text));
}

TEST_F(CashierTest, BrowserChannelsShowACodeOfThePagesOwnUrl) {
  auto view = simulator_.view.value();
  view.browser = true;
  view.qr_text = "https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=1&a=<b>";
  simulator_.view = view;
  auto r = page(id_);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string url = "http://cashier.test/sandbox/cashier/" + id_;
  const auto qr = qr_svg(url);
  ASSERT_TRUE(qr.has_value());
  EXPECT_TRUE(contains(r.body, qr->svg)) << r.body;
  EXPECT_TRUE(contains(r.body, "<pre data-testid=\"qr-text\">" + url + "</pre>")) << r.body;
  EXPECT_EQ(count(r.body, "<svg"), 1u) << "the page's code, not the provider's link";
  EXPECT_TRUE(contains(r.body, "prepay_id=1&amp;a=&lt;b&gt;")) << "the provider's link as text";
  EXPECT_FALSE(contains(r.body, "data-testid=\"credential\""));

  // A trailing slash on the public URL changes nothing; a public URL a phone cannot open
  // gives no code.
  host_.base_url = "http://cashier.test/";
  EXPECT_TRUE(contains(page(id_).body, qr->svg));
  host_.base_url = "not a url";
  r = page(id_);
  ASSERT_EQ(r.status, 200);
  EXPECT_FALSE(contains(r.body, "<svg"));
  EXPECT_TRUE(contains(r.body, "no code to scan"));
}

TEST(QrSvg, DrawsTheSameCodeForTheSameText) {
  const auto a = qr_svg("hello");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->modules, 21) << "version 1";
  EXPECT_EQ(qr_svg("hello")->svg, a->svg);
  EXPECT_NE(qr_svg("hellp")->svg, a->svg);
  // Well-formed: one element each, sized by the symbol plus a four-module quiet zone.
  EXPECT_EQ(a->svg.rfind("<svg data-testid=\"qr\" data-modules=\"21\" "
                         "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 29 29\"",
                         0),
            0u)
      << a->svg;
  EXPECT_EQ(a->svg.substr(a->svg.size() - 9), "\"/></svg>");
  EXPECT_EQ(count(a->svg, "<svg"), 1u);
  EXPECT_EQ(count(a->svg, "<rect "), 1u);
  EXPECT_EQ(count(a->svg, "<path "), 1u);
  EXPECT_EQ(count(a->svg, "<"), 3u + 1u) << "svg, rect, path and </svg>";
  EXPECT_FALSE(contains(a->svg, "hello")) << "no input text inside";
  // The finder pattern's top row: seven dark modules at the quiet zone's corner.
  EXPECT_TRUE(contains(a->svg, "d=\"M4 4h7v1h-7zM")) << a->svg;

  // Longer text, a bigger symbol; the limit is inclusive.
  const auto url = qr_svg("http://cashier.test/sandbox/cashier/ch_0123456789abcdefghijklmn");
  ASSERT_TRUE(url.has_value());
  EXPECT_GT(url->modules, 21);
  EXPECT_EQ((url->modules - 17) % 4, 0) << "a QR version's width";
  const auto largest = qr_svg(std::string(kMaxQrBytes, 'x'));
  ASSERT_TRUE(largest.has_value());
  EXPECT_GT(largest->modules, url->modules);
  EXPECT_FALSE(qr_svg(std::string(kMaxQrBytes + 1, 'x')).has_value());
  EXPECT_FALSE(qr_svg("").has_value());
  // Any bytes, NUL included, are encoded as bytes.
  EXPECT_TRUE(qr_svg(std::string("a\0b\xff", 4)).has_value());
}

TEST_F(CashierTest, ExpireAnswersLikeCloseAndTheResultShowsTheChargeClosed) {
  auto result = simulator_.result.value();
  result.trade_status = "TRADE_CLOSED";
  result.notified = false;
  result.notify_status = 0;
  result.notify_answer = "";
  simulator_.result = result;
  const auto j = post(CashierAction::expire, id_, true);
  ASSERT_EQ(j.status, 200) << j.body;
  EXPECT_EQ(j.body, R"({"action":"expire","trade_no":"T123","out_trade_no":"ORDER_1",)"
                    R"("trade_status":"TRADE_CLOSED","repeated":false,"notified":false,)"
                    R"("notify_status":0,"notify_answer":""})");
  EXPECT_EQ(host_.charge_core.retrieve_calls(), 0) << "JSON answers only report the provider";

  // The provider ended the trade; payhost learns it when it asks, and the page asks.
  simulator_.on_act = [&](const sdk::Charge&, CashierAction action) {
    if (action == CashierAction::expire) set_state(sdk::ChargeState::closed);
  };
  const auto r = post(CashierAction::expire, id_, false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(host_.charge_core.retrieve_calls(), 1);
  EXPECT_TRUE(contains(r.body,
                       "<p data-testid=\"result\" data-outcome=\"expired\" "
                       "class=\"result\">订单已过期 The order expired</p>"))
      << r.body;
  EXPECT_TRUE(contains(r.body, "已关闭 <span data-testid=\"state\">closed</span>")) << r.body;
  EXPECT_TRUE(contains(r.body, "TRADE_CLOSED"));
  EXPECT_TRUE(contains(r.body, "让订单过期 Let it expire"));
  // And the cashier shows it closed, without buttons.
  const auto after = page(id_);
  EXPECT_TRUE(contains(after.body, "<span data-testid=\"state\">closed</span>"));
  EXPECT_FALSE(contains(after.body, "<form"));
}

TEST_F(CashierTest, ResultPagesSayWhatHappenedAndWhenTheyCannotReadTheCharge) {
  auto r = post(CashierAction::pay, id_, false);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(r.body, "data-outcome=\"paid\" class=\"result\">已支付 Paid</p>")) << r.body;
  EXPECT_TRUE(contains(r.body, "<span data-testid=\"state\">pending</span>"))
      << "what payhost says, even when it has not settled yet";
  EXPECT_TRUE(contains(r.body, "href=\"/sandbox/cashier/" + id_ + "\""));

  auto result = simulator_.result.value();
  result.repeated = true;
  simulator_.result = result;
  r = post(CashierAction::close, id_, false);
  EXPECT_TRUE(contains(r.body, "交易已关闭（已是此状态 already so） The trade is closed"))
      << r.body;

  // The action happened even if payhost cannot be read afterwards; the page says so.
  simulator_.on_act = [&](const sdk::Charge&, CashierAction) {
    host_.charge_core.fail_lookups(sdk::make_error(sdk::ErrorKind::unavailable, "db", "gone"));
  };
  r = post(CashierAction::fail, id_, false);
  host_.charge_core.fail_lookups(std::nullopt);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(contains(r.body, "data-outcome=\"failed\"")) << r.body;
  EXPECT_FALSE(contains(r.body, "data-testid=\"state\"")) << r.body;
  EXPECT_TRUE(contains(r.body, "could not be read")) << r.body;
  EXPECT_FALSE(contains(r.body, "gone")) << "no storage text on the page";
}

TEST_F(CashierTest, RefusedActionsAreResultsToo) {
  simulator_.result =
      sdk::make_error(sdk::ErrorKind::conflict, "trade_state", "the trade is <SUCCESS>");
  auto r = post(CashierAction::expire, id_, false);
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(contains(r.body, "<p data-testid=\"result\" data-outcome=\"refused\""));
  EXPECT_TRUE(contains(r.body, "the trade is &lt;SUCCESS&gt;"));
  EXPECT_TRUE(contains(r.body, "href=\"/sandbox/cashier/" + id_ + "\"")) << r.body;
  r = post(CashierAction::expire, "ch_nothere", false);
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(contains(r.body, "href=\"/sandbox/cashier/ch_nothere\"")) << r.body;
}

TEST_F(CashierTest, ReturnLinksFallBackToTheChargesOwnResultPage) {
  sdk::Charge c = *host_.charge_core.get(id_);
  c.extra = Json{{"success_url", "https://shop.example/ok?o=1&p=2"}};
  host_.charge_core.store(c);
  // No return from the provider (a close, say): the merchant's success_url.
  auto r = post(CashierAction::close, id_, false);
  EXPECT_TRUE(contains(r.body,
                       "<a data-testid=\"return\" id=\"return\" "
                       "href=\"https://shop.example/ok?o=1&amp;p=2\">"))
      << r.body;
  // The provider's own return (signed parameters, a front URL) comes first.
  auto result = simulator_.result.value();
  result.return_url = "https://shop.example/alipay-return?sign=abc";
  simulator_.result = result;
  r = post(CashierAction::pay, id_, false);
  EXPECT_TRUE(contains(r.body, "href=\"https://shop.example/alipay-return?sign=abc\"")) << r.body;
  EXPECT_FALSE(contains(r.body, "shop.example/ok"));

  // WeChat's and UnionPay's name for it.
  result.return_url = "";
  simulator_.result = result;
  c.extra = Json{{"result_url", "http://shop.example/result"}};
  host_.charge_core.store(c);
  r = post(CashierAction::expire, id_, false);
  EXPECT_TRUE(
      contains(r.body, "data-testid=\"return\" id=\"return\" href=\"http://shop.example/result\""))
      << r.body;

  // Unsafe ones never become links.
  for (const Json& extra :
       {Json{{"success_url", "javascript:alert(1)"}}, Json{{"result_url", "/relative"}},
        Json{{"success_url", 7}}, Json{{"result_url", "https://a/\"><script>"}}, Json::array()}) {
    c.extra = extra;
    host_.charge_core.store(c);
    r = post(CashierAction::pay, id_, false);
    ASSERT_EQ(r.status, 200);
    EXPECT_FALSE(contains(r.body, "data-testid=\"return\"")) << extra.dump();
    EXPECT_FALSE(contains(r.body, "<script")) << extra.dump();
  }
}

}  // namespace
}  // namespace payhost::cashier
