// The client text a charge may carry into fields a provider signs.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "charges/charge_text.hpp"

namespace payhost::host {
namespace {

using sdk::Json;

TEST(ChargeText, FreeTextRefusesSignedStringSeparatorsAndControls) {
  EXPECT_FALSE(free_text_problem("智慧校园一卡通 A套餐 (12 months) / 50% off"));
  for (const std::string& bad :
       std::vector<std::string>{"x&out_trade_no=B&p=", "a&b", "k=v", std::string("a\0b", 3), "a\rb",
                                "a\nb", "a\tb", "a\x7f", "a\xc2\x85", "a\xe2\x80\xa8",
                                "a\xe2\x80\xa9", "\xff", "\xc0\xa6", "\xed\xa0\x80"}) {
    EXPECT_TRUE(free_text_problem(bad)) << ::testing::PrintToString(bad);
  }
}

TEST(ChargeText, UrlsMustBeAbsoluteWebAddresses) {
  for (const char* good : {"https://shop.example/done?x=1&y=2", "HTTP://127.0.0.1:8080/r#frag",
                           "https://user@shop.example/"}) {
    EXPECT_FALSE(url_problem(good)) << good;
  }
  for (const char* bad :
       {"javascript:alert(document.cookie)", "JavaScript://%0aalert(1)",
        "data:text/html;base64,PHNjcmlwdD4=", "//shop.example/", "https://", "https:///x",
        "https://:80/", "ftp://shop.example/", "https://a b/", "https://shop.example/\"><script>",
        "https://shop.example/\n", "https://例子.example/"}) {
    EXPECT_TRUE(url_problem(bad)) << bad;
  }
  EXPECT_TRUE(url_problem("https://shop.example/" + std::string(kMaxExtraUrlBytes, 'a')));
}

sdk::Error error_of(const sdk::Status& st) {
  EXPECT_FALSE(st.ok());
  return st.ok() ? sdk::Error{} : st.error();
}

TEST(ChargeText, ChargeErrorsNameTheParam) {
  EXPECT_TRUE(check_charge_text("Tea", "Green tea", Json::object()).ok());
  auto body = error_of(check_charge_text("Tea", "x&out_trade_no=B&p=", Json::object()));
  EXPECT_EQ(body.kind, sdk::ErrorKind::invalid_request);
  EXPECT_EQ(body.code, "forbidden_characters");
  EXPECT_EQ(body.param, "body");
  EXPECT_EQ(error_of(check_charge_text("a=b", "x", Json::object())).param, "subject");

  auto url = error_of(check_charge_text("Tea", "x", Json{{"success_url", "javascript:alert(1)"}}));
  EXPECT_EQ(url.code, "extra_invalid");
  EXPECT_EQ(url.param, "extra.success_url");
  EXPECT_EQ(error_of(check_charge_text("Tea", "x", Json{{"result_url", 5}})).param,
            "extra.result_url");
  EXPECT_EQ(error_of(check_charge_text("Tea", "x", Json{{"cancel_url", "/relative"}})).param,
            "extra.cancel_url");
  // Free-text extras at any depth, and their names.
  EXPECT_EQ(error_of(check_charge_text("Tea", "x", Json{{"note", "a&b=c"}})).param, "extra.note");
  EXPECT_EQ(
      error_of(check_charge_text("Tea", "x", Json{{"deep", {{"list", {"ok", "a\nb"}}}}})).param,
      "extra.deep");
  EXPECT_EQ(error_of(check_charge_text("Tea", "x", Json{{"a&b", "1"}})).param, "extra");
  // '&' and '=' belong in a URL's query; numbers and empty URLs are fine.
  EXPECT_TRUE(check_charge_text("Tea", "x",
                                Json{{"success_url", "https://shop.example/ok?a=1&b=2"},
                                     {"cancel_url", ""},
                                     {"count", 3}})
                  .ok());
}

}  // namespace
}  // namespace payhost::host
