// The cashier page of every simulated channel through the real payhostd: what each kind of
// channel shows (a code to scan for the qr and wap/pc channels, the credential for the app
// channels), and "let it expire" ending the trade at each simulated provider so that
// payhost, asked by the result page, reports the charge ended. Built twice: SQLite, and
// PostgreSQL (PAYHOST_FLOW_POSTGRES, label postgres).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/flow_suite.hpp"

namespace {

using Json = nlohmann::ordered_json;
using payhost::testing::HttpResult;

#ifdef PAYHOST_FLOW_POSTGRES
constexpr bool kPostgres = true;
#else
constexpr bool kPostgres = false;
#endif

const char* kConfig = R"(livemode: false
app_id: app_5anXP4ezfXvL8m5e
data_dir: "@DATA_DIR@"
plugin_dir: "@PLUGIN_DIR@"
database:
  url: "@DATABASE_URL@"
server:
  listen: 127.0.0.1:0
  workers: 4
jobs: {janitor: false}
plugins:
  sandbox:
    options: {}
  sandbox_alipay:
    options: {}
  sandbox_wechat:
    options: {}
  sandbox_unionpay:
    options: {}
  alipay:
    channels: [alipay, alipay_wap, alipay_pc_direct, alipay_qr]
    options:
      app_id: "9021000000000001"
  wechat:
    channels: [wx, wx_wap, wx_pub, wx_pub_qr, wx_lite]
    options: {}
  unionpay:
    channels: [applepay_upacp, upacp, upacp_wap, upacp_pc]
    options: {}
  testproduct:
    path: "@TEST_PLUGIN_DIR@/testproduct.so"
    options: {}
)";

struct CashierSuite {
  static const char* config() { return kConfig; }
  static bool postgres() { return kPostgres; }
};

enum class Shows { code_of_page, code_of_provider, credential };

struct Channel {
  std::string name;
  Shows shows;
  Json extra;
  std::string returns_to;  // the result page's return link, "" for none
  std::string ends_as;     // the charge's state once expired, as payhost reports it
};

const std::vector<Channel>& channels() {
  static const std::vector<Channel> all = {
      {"alipay", Shows::credential, Json::object(), "", "closed"},
      {"alipay_wap", Shows::code_of_page, Json{{"success_url", "http://shop.example/ok?a=1"}},
       "http://shop.example/ok?a=1", "closed"},
      {"alipay_pc_direct", Shows::code_of_page, Json{{"success_url", "http://shop.example/pc"}},
       "http://shop.example/pc", "closed"},
      {"alipay_qr", Shows::code_of_provider, Json::object(), "", "closed"},
      {"wx", Shows::credential, Json::object(), "", "closed"},
      {"wx_wap", Shows::code_of_page, Json{{"result_url", "https://shop.example/wx"}},
       "https://shop.example/wx", "closed"},
      {"wx_pub", Shows::credential, Json{{"open_id", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}, "",
       "closed"},
      {"wx_pub_qr", Shows::code_of_provider, Json{{"product_id", "tea-001"}}, "", "closed"},
      {"wx_lite", Shows::credential, Json{{"open_id", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}, "",
       "closed"},
      {"upacp", Shows::credential, Json::object(), "", "failed"},
      {"applepay_upacp", Shows::credential, Json::object(), "", "failed"},
      // UnionPay reports a timed-out order as origRespCode 01, which the channel reads as
      // a failed payment: there is no "closed" in UnionPay's answers.
      {"upacp_wap", Shows::code_of_page, Json{{"result_url", "https://shop.example/up"}},
       "https://shop.example/up", "failed"},
      {"upacp_pc", Shows::code_of_page, Json{{"result_url", "https://shop.example/up"}},
       "https://shop.example/up", "failed"},
  };
  return all;
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class CashierFlow : public payhost::testing::FlowSuite<CashierSuite> {};

TEST_F(CashierFlow, EveryChannelShowsItsWayToPayAndExpires) {
  long long amount = 100;
  for (const Channel& ch : channels()) {
    SCOPED_TRACE(ch.name);
    const Json created = create(ch.name, ++amount, "沙箱茶叶", ch.extra);
    const std::string id = created.value("id", std::string());
    ASSERT_FALSE(id.empty());
    const std::string page_path = "/sandbox/cashier/" + id;

    const HttpResult page = host().get(page_path);
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_TRUE(has(page.body, "<span data-testid=\"state\">pending</span>")) << page.body;
    EXPECT_TRUE(has(page.body, "<button type=\"submit\" class=\"expire\" data-action=\"expire\""))
        << page.body;
    const bool code = has(page.body, "<svg data-testid=\"qr\"");
    const bool credential = has(page.body, "<pre data-testid=\"credential\">");
    switch (ch.shows) {
      case Shows::code_of_page:
        EXPECT_TRUE(code) << page.body;
        EXPECT_FALSE(credential);
        EXPECT_TRUE(
            has(page.body, "<pre data-testid=\"qr-text\">" + host().url(page_path) + "</pre>"))
            << page.body;
        break;
      case Shows::code_of_provider:
        EXPECT_TRUE(code) << page.body;
        EXPECT_FALSE(credential);
        EXPECT_FALSE(has(page.body, host().url(page_path) + "</pre>"));
        break;
      case Shows::credential:
        EXPECT_FALSE(code) << page.body;
        EXPECT_TRUE(has(page.body,
                        "<pre data-testid=\"credential\">{\n  &quot;object&quot;: "
                        "&quot;credential&quot;,\n  &quot;" +
                            ch.name + "&quot;: "))
            << page.body;
        break;
    }

    // A browser's form post: the result page, which asks payhost about the charge.
    const HttpResult expired = host().request("POST", page_path + "/expire", "", {});
    ASSERT_EQ(expired.status, 200) << expired.body;
    EXPECT_TRUE(has(expired.body, "data-outcome=\"expired\"")) << expired.body;
    EXPECT_TRUE(has(expired.body, "<span data-testid=\"state\">" + ch.ends_as + "</span>"))
        << expired.body;
    if (ch.returns_to.empty()) {
      EXPECT_FALSE(has(expired.body, "data-testid=\"return\"")) << expired.body;
    } else {
      EXPECT_TRUE(
          has(expired.body, "data-testid=\"return\" id=\"return\" href=\"" + ch.returns_to + "\""))
          << expired.body;
    }
    EXPECT_EQ(charge(id).value("paid", true), false);
    const HttpResult after = host().get(page_path);
    EXPECT_TRUE(has(after.body, "<span data-testid=\"state\">" + ch.ends_as + "</span>"))
        << after.body;
    EXPECT_FALSE(has(after.body, "<form")) << "an ended charge offers nothing";
    // Paying an expired trade is refused by the provider.
    EXPECT_EQ(cashier(id, "pay").status, 409) << ch.name;
  }
}

TEST_F(CashierFlow, ExpireAnswersJsonLikeClose) {
  const Json created = create("wx_pub_qr", 300, "沙箱茶叶", Json{{"product_id", "tea-002"}});
  const std::string id = created.value("id", std::string());
  ASSERT_FALSE(id.empty());
  const HttpResult r = cashier(id, "expire");
  ASSERT_EQ(r.status, 200) << r.body;
  const Json j = r.json();
  EXPECT_EQ(j["action"], "expire");
  EXPECT_EQ(j["trade_status"], "CLOSED");
  EXPECT_EQ(j["notified"], false);
  EXPECT_EQ(cashier(id, "expire").json()["repeated"], true);
}

}  // namespace
