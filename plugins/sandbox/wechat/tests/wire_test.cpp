// Pure wire formats: the Authorization header, the signed messages, request bodies as
// WeChat validates them, the option table, and the Transaction object.
#include <gtest/gtest.h>

#include "api_requests.hpp"
#include "authorization.hpp"
#include "notification.hpp"
#include "options.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::sandbox_wechat {
namespace {

using sdk::Json;

const std::string kPairs[] = {
    R"(mchid="1230000109")", R"(nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242")",
    R"(timestamp="1554208460")", R"(serial_no="1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C")",
    R"(signature="dGVzdA==")"};

std::string header_of(const std::vector<std::string>& pairs, const std::string& separator = ",") {
  std::string out = "WECHATPAY2-SHA256-RSA2048 ";
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (i > 0) out += separator;
    out += pairs[i];
  }
  return out;
}

TEST(Authorization, ParsesThePairsInAnyOrder) {
  std::vector<std::string> pairs(std::begin(kPairs), std::end(kPairs));
  std::sort(pairs.begin(), pairs.end());
  int orders = 0;
  do {
    auto auth = parse_authorization(header_of(pairs));
    ASSERT_TRUE(auth.ok()) << header_of(pairs) << ": " << auth.error().message;
    EXPECT_EQ(auth->mchid, "1230000109");
    EXPECT_EQ(auth->nonce_str, "593BEC0C930BF1AFEB40B4A08C8FB242");
    EXPECT_EQ(auth->timestamp, "1554208460");
    EXPECT_EQ(auth->serial_no, "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C");
    EXPECT_EQ(auth->signature, "dGVzdA==");
    ++orders;
  } while (std::next_permutation(pairs.begin(), pairs.end()));
  EXPECT_EQ(orders, 120);
  // Spaces after the commas (as some SDKs write them) are fine.
  EXPECT_TRUE(parse_authorization(header_of({std::begin(kPairs), std::end(kPairs)}, ", ")).ok());
}

TEST(Authorization, RefusesWhatCouldBeReadTwoWaysOrIsIncomplete) {
  const std::vector<std::string> all(std::begin(kPairs), std::end(kPairs));
  for (std::size_t missing = 0; missing < all.size(); ++missing) {
    auto pairs = all;
    pairs.erase(pairs.begin() + static_cast<long>(missing));
    auto auth = parse_authorization(header_of(pairs));
    ASSERT_FALSE(auth.ok()) << header_of(pairs);
    EXPECT_EQ(auth.error().code, "SIGN_ERROR");
    EXPECT_NE(auth.error().message.find("lacks"), std::string::npos) << auth.error().message;
  }
  const std::string good = header_of(all);
  const std::vector<std::string> bads = {
      std::string("WECHATPAY2-SHA256-RSA2048") + good.substr(26),  // no space
      "wechatpay2-sha256-rsa2048 " + good.substr(26),              // scheme case
      "WECHATPAY2-SHA256-RSA4096 " + good.substr(26),              // another scheme
      "Bearer " + good.substr(26),
      good + "," + R"(mchid="1230000109")",  // repeated pair
      good + "," + R"(extra="1")",           // unknown pair
      good + ",",                            // dangling separator
      header_of({R"(mchid=1230000109)", kPairs[1], kPairs[2], kPairs[3], kPairs[4]}),
      header_of({R"(mchid="1230000109)", kPairs[1], kPairs[2], kPairs[3], kPairs[4]}),
      header_of({R"(mchid="")", kPairs[1], kPairs[2], kPairs[3], kPairs[4]}),
      header_of({R"(mchid="12\"3")", kPairs[1], kPairs[2], kPairs[3], kPairs[4]}),
      header_of(all, ";"),
      header_of(all, " , "),
      "WECHATPAY2-SHA256-RSA2048 ",
      "",
  };
  for (const std::string& bad : bads) {
    auto auth = parse_authorization(bad);
    ASSERT_FALSE(auth.ok()) << bad;
    EXPECT_EQ(auth.error().kind, sdk::ErrorKind::unauthorized);
  }
}

TEST(Authorization, MessagesHaveFiveOrThreeLinesWithATrailingNewline) {
  EXPECT_EQ(request_message("GET", "/v3/certificates", "1554208460",
                            "593BEC0C930BF1AFEB40B4A08C8FB242", ""),
            "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n");
  EXPECT_EQ(answer_message("1", "n", ""), "1\nn\n\n");
  EXPECT_EQ(answer_message("1", "n", "{}"), "1\nn\n{}\n");
  sdk::HttpRequest request;
  request.path = "/sandbox/wechat/v3/pay/transactions/out-trade-no/a%7Cb123";
  EXPECT_EQ(signed_url(request), request.path);
  request.raw_query = "mchid=1230000109";
  EXPECT_EQ(signed_url(request),
            "/sandbox/wechat/v3/pay/transactions/out-trade-no/a%7Cb123?mchid=1230000109");
  EXPECT_EQ(parse_timestamp("1554208460"), 1554208460);
  EXPECT_FALSE(parse_timestamp("-1"));
  EXPECT_FALSE(parse_timestamp("1e9"));
  EXPECT_FALSE(parse_timestamp(""));
  EXPECT_FALSE(parse_timestamp("1234567890123"));
}

Json app_body() {
  return Json{{"appid", "wxd678efh567hg6787"},
              {"mchid", "1230000109"},
              {"description", "Image形象店-深圳腾大-QQ公仔"},
              {"out_trade_no", "1217752501201407033233368018"},
              {"time_expire", "2018-06-08T10:34:56+08:00"},
              {"attach", "ch_Xz4aPWzHGCKC0Wz9aXmL8m5e"},
              {"notify_url", "https://www.weixin.qq.com/wxpay/pay.php"},
              {"amount", {{"total", 100}, {"currency", "CNY"}}}};
}

// The field a refusal names, or "" when the body was accepted.
std::string refused_field(PrepayKind kind, const Json& body) {
  const SimOptions options;
  auto parsed = parse_prepay(kind, body.dump(), options, options.mchid);
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.error().code, "PARAM_ERROR");
  EXPECT_EQ(status_of(parsed.error()), 400);
  EXPECT_EQ(parsed.error().message.rfind(parsed.error().param, 0), 0u)
      << "the message starts with the field: " << parsed.error().message;
  return parsed.error().param;
}

TEST(Prepay, AcceptsWhatTheRealApiAccepts) {
  const SimOptions options;
  auto order = parse_prepay(PrepayKind::app, app_body().dump(), options, options.mchid);
  ASSERT_TRUE(order.ok()) << order.error().message;
  EXPECT_EQ(order->amount, 100);
  EXPECT_EQ(order->out_trade_no, "1217752501201407033233368018");
  EXPECT_EQ(order->expires_at, 1528425296);
  EXPECT_EQ(order->attach, "ch_Xz4aPWzHGCKC0Wz9aXmL8m5e");

  Json minimal = app_body();
  minimal.erase("time_expire");
  minimal.erase("attach");
  minimal["amount"].erase("currency");                            // CNY by default
  minimal["notify_url"] = "http://127.0.0.1:8080/notify/wechat";  // the sandbox allows http
  minimal["goods_tag"] = "WXG";                                   // known to WeChat, ignored
  EXPECT_EQ(refused_field(PrepayKind::native, minimal), "");

  // 127 bytes of UTF-8 is the longest description.
  Json longest = app_body();
  std::string description(43, 'a');
  for (int i = 0; i < 28; ++i)
    description += "汉";
  ASSERT_EQ(description.size(), 127u);
  longest["description"] = description;
  EXPECT_EQ(refused_field(PrepayKind::app, longest), "");

  Json jsapi = app_body();
  jsapi["payer"] = {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}};
  EXPECT_EQ(refused_field(PrepayKind::jsapi, jsapi), "");
  Json h5 = app_body();
  h5["scene_info"] = {{"payer_client_ip", "14.23.150.211"}, {"h5_info", {{"type", "Wap"}}}};
  EXPECT_EQ(refused_field(PrepayKind::h5, h5), "");
  h5["scene_info"]["payer_client_ip"] = "2001:db8::1";
  EXPECT_EQ(refused_field(PrepayKind::h5, h5), "");
}

TEST(Prepay, RefusesEachBadFieldByName) {
  struct Case {
    const char* field;
    std::function<void(Json&)> change;
  };
  const std::vector<Case> cases = {
      {"appid", [](Json& j) { j.erase("appid"); }},
      {"appid", [](Json& j) { j["appid"] = "wx0000000000000000"; }},
      {"appid", [](Json& j) { j["appid"] = 7; }},
      {"mchid", [](Json& j) { j["mchid"] = "1900000109"; }},
      {"mchid", [](Json& j) { j.erase("mchid"); }},
      {"description", [](Json& j) { j["description"] = ""; }},
      {"description", [](Json& j) { j["description"] = std::string(128, 'a'); }},
      {"description",
       [](Json& j) {
         // 128 bytes in 72 characters: the limit counts UTF-8 bytes.
         std::string text(44, 'a');
         for (int i = 0; i < 28; ++i)
           text += "汉";
         j["description"] = text;
       }},
      {"out_trade_no", [](Json& j) { j["out_trade_no"] = "12345"; }},
      {"out_trade_no", [](Json& j) { j["out_trade_no"] = std::string(33, '1'); }},
      {"out_trade_no", [](Json& j) { j["out_trade_no"] = "order#123"; }},
      {"out_trade_no", [](Json& j) { j["out_trade_no"] = "订单123456"; }},
      {"notify_url", [](Json& j) { j["notify_url"] = "ftp://x.example/n"; }},
      {"notify_url", [](Json& j) { j["notify_url"] = "https://x.example/n?a=1"; }},
      {"notify_url", [](Json& j) { j["notify_url"] = "https:///n"; }},
      {"notify_url", [](Json& j) { j["notify_url"] = "https://x.example/a b"; }},
      {"notify_url", [](Json& j) { j.erase("notify_url"); }},
      {"amount", [](Json& j) { j.erase("amount"); }},
      {"amount", [](Json& j) { j["amount"] = 100; }},
      {"amount.total", [](Json& j) { j["amount"]["total"] = 0; }},
      {"amount.total", [](Json& j) { j["amount"]["total"] = -1; }},
      {"amount.total", [](Json& j) { j["amount"]["total"] = 1.5; }},
      {"amount.total", [](Json& j) { j["amount"]["total"] = 100.0; }},
      {"amount.total", [](Json& j) { j["amount"]["total"] = "100"; }},
      {"amount.total", [](Json& j) { j["amount"]["total"] = 10000000001LL; }},
      {"amount.total", [](Json& j) { j["amount"]["total"] = 18446744073709551615ULL; }},
      {"amount.currency", [](Json& j) { j["amount"]["currency"] = "USD"; }},
      {"time_expire", [](Json& j) { j["time_expire"] = "2018-06-08 10:34:56"; }},
      {"time_expire", [](Json& j) { j["time_expire"] = "20180608103456"; }},
      {"attach", [](Json& j) { j["attach"] = std::string(129, 'a'); }},
  };
  for (const auto& c : cases) {
    Json body = app_body();
    c.change(body);
    EXPECT_EQ(refused_field(PrepayKind::app, body), c.field) << body.dump();
  }
  // The kind-specific members.
  EXPECT_EQ(refused_field(PrepayKind::jsapi, app_body()), "payer");
  Json jsapi = app_body();
  jsapi["payer"] = Json::object();
  EXPECT_EQ(refused_field(PrepayKind::jsapi, jsapi), "payer.openid");
  EXPECT_EQ(refused_field(PrepayKind::h5, app_body()), "scene_info");
  Json h5 = app_body();
  h5["scene_info"] = {{"h5_info", {{"type", "Wap"}}}};
  EXPECT_EQ(refused_field(PrepayKind::h5, h5), "scene_info.payer_client_ip");
  h5["scene_info"]["payer_client_ip"] = "not-an-ip";
  EXPECT_EQ(refused_field(PrepayKind::h5, h5), "scene_info.payer_client_ip");
  h5["scene_info"]["payer_client_ip"] = "10.0.0.1";
  h5["scene_info"].erase("h5_info");
  EXPECT_EQ(refused_field(PrepayKind::h5, h5), "scene_info.h5_info");
  h5["scene_info"]["h5_info"] = {{"type", "Web"}};
  EXPECT_EQ(refused_field(PrepayKind::h5, h5), "scene_info.h5_info.type");
}

TEST(Prepay, RefusesBodiesThatAreNotOneJsonObject) {
  const SimOptions options;
  const std::vector<std::string> bads = {
      "", "[]", "\"x\"", "{\"appid\":", "{} {}", std::string(kMaxBodyBytes + 1, ' ')};
  for (const std::string& bad : bads) {
    auto parsed = parse_prepay(PrepayKind::app, bad, options, options.mchid);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().param, "body");
  }
  // Deep nesting is refused without recursing through it.
  std::string deep = "{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "}";
  EXPECT_FALSE(parse_prepay(PrepayKind::app, deep, options, options.mchid).ok());
  // The Authorization's mchid must be the body's.
  EXPECT_FALSE(parse_prepay(PrepayKind::app, app_body().dump(), options, "1900000109").ok());
}

TEST(Refund, BodiesValidatedAsWechatDoes) {
  const Json good = {{"out_trade_no", "1217752501201407033233368018"},
                     {"out_refund_no", "1217752501201407033233368018"},
                     {"reason", "商品已售完"},
                     {"amount", {{"refund", 888}, {"total", 888}, {"currency", "CNY"}}}};
  auto parsed = parse_refund(good.dump());
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->refund, 888);
  EXPECT_EQ(parsed->key.out_trade_no, "1217752501201407033233368018");

  auto by_transaction = good;
  by_transaction.erase("out_trade_no");
  by_transaction["transaction_id"] = "4200000000202106241234567890";
  EXPECT_TRUE(parse_refund(by_transaction.dump()).ok());

  const std::vector<std::pair<std::string, std::function<void(Json&)>>> cases = {
      {"out_trade_no", [](Json& j) { j.erase("out_trade_no"); }},
      {"out_refund_no", [](Json& j) { j.erase("out_refund_no"); }},
      {"out_refund_no", [](Json& j) { j["out_refund_no"] = "a b"; }},
      {"reason", [](Json& j) { j["reason"] = std::string(81, 'r'); }},
      {"amount.refund", [](Json& j) { j["amount"]["refund"] = 0; }},
      {"amount.refund", [](Json& j) { j["amount"]["refund"] = 889; }},
      {"amount.total", [](Json& j) { j["amount"].erase("total"); }},
      {"amount.currency", [](Json& j) { j["amount"].erase("currency"); }},
      {"notify_url", [](Json& j) { j["notify_url"] = "javascript:alert(1)"; }},
  };
  for (const auto& [field, change] : cases) {
    Json body = good;
    change(body);
    auto refused = parse_refund(body.dump());
    ASSERT_FALSE(refused.ok()) << body.dump();
    EXPECT_EQ(refused.error().param, field) << body.dump();
    EXPECT_EQ(refused.error().code, "PARAM_ERROR");
  }
}

TEST(Ids, OutTradeNoAndOutRefundNoCharsets) {
  EXPECT_TRUE(valid_out_trade_no("abc_|*-123"));
  EXPECT_TRUE(valid_out_trade_no(std::string(32, 'Z')));
  EXPECT_FALSE(valid_out_trade_no("abc12"));
  EXPECT_FALSE(valid_out_trade_no("abc 123"));
  EXPECT_FALSE(valid_out_trade_no("abc%7C123"));
  EXPECT_FALSE(valid_out_trade_no("abc@123"));
  EXPECT_TRUE(valid_out_refund_no("r@1"));
  EXPECT_FALSE(valid_out_refund_no(""));
  EXPECT_FALSE(valid_out_refund_no(std::string(65, 'r')));
}

TEST(ErrorCodes, StatusesAsWechatAnswersThem) {
  EXPECT_EQ(status_of(wechat_error(kParamError, "")), 400);
  EXPECT_EQ(status_of(wechat_error(kInvalidRequest, "")), 400);
  EXPECT_EQ(status_of(wechat_error(kOrderPaid, "")), 400);
  EXPECT_EQ(status_of(wechat_error(kOrderClosed, "")), 400);
  EXPECT_EQ(status_of(wechat_error(kSignError, "")), 401);
  EXPECT_EQ(status_of(wechat_error(kOrderNotExist, "")), 404);
  EXPECT_EQ(status_of(wechat_error(kResourceNotExists, "")), 404);
  EXPECT_EQ(status_of(wechat_error(kSystemError, "")), 500);
}

TEST(Options, DefaultsAndChecks) {
  auto defaults = read_options(sdk::Options(Json::object()));
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->mchid, "1230000109");
  EXPECT_EQ(defaults->app_ids, std::vector<std::string>{"wxd678efh567hg6787"});
  EXPECT_EQ(defaults->serial_style, SerialStyle::certificate);
  EXPECT_EQ(defaults->timestamp_window_seconds, 300);
  EXPECT_EQ(defaults->notify_max_attempts, 16);
  ASSERT_EQ(defaults->notify_retry.size(), 15u);
  EXPECT_EQ(defaults->notify_retry.front(), std::chrono::seconds(15));
  EXPECT_EQ(defaults->notify_retry.back(), std::chrono::hours(6));

  // The table's defaults are the struct's.
  Json from_table = Json::object();
  for (const auto& spec : option_specs())
    from_table[spec.name] = spec.default_value;
  auto tabled = read_options(sdk::Options(from_table));
  ASSERT_TRUE(tabled.ok()) << tabled.error().message;
  EXPECT_EQ(tabled->notify_retry, defaults->notify_retry);
  EXPECT_EQ(tabled->app_ids, defaults->app_ids);

  auto custom = read_options(sdk::Options(Json{
      {"serial_style", "public_key"}, {"notify_retry_ms", {10, 20}}, {"app_ids", {"wx1", "wx2"}}}));
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ(custom->serial_style, SerialStyle::public_key);
  EXPECT_EQ(custom->notify_retry,
            (std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(10),
                                                    std::chrono::milliseconds(20)}));
  EXPECT_TRUE(custom->knows_app_id("wx2"));
  EXPECT_FALSE(custom->knows_app_id("wx3"));

  for (const Json& bad :
       {Json{{"mchid", "12a"}}, Json{{"mchid", ""}}, Json{{"app_ids", Json::array()}},
        Json{{"app_ids", {"wx 1"}}}, Json{{"serial_style", "other"}},
        Json{{"notify_retry_ms", {1.5}}}, Json{{"notify_retry_ms", Json::array()}},
        Json{{"notify_max_attempts", 0}}, Json{{"timestamp_window_seconds", 0}}}) {
    auto refused = read_options(sdk::Options(bad));
    ASSERT_FALSE(refused.ok()) << bad.dump();
    EXPECT_EQ(refused.error().param, bad.begin().key());
  }
}

TEST(Transaction, PaidOnlyFieldsAppearOncePaid) {
  Trade t;
  t.mchid = "1230000109";
  t.appid = "wxd678efh567hg6787";
  t.out_trade_no = "order_000001";
  t.trade_type = kApp;
  t.trade_state = kNotPay;
  t.amount = 100;
  t.attach = "ch_1";
  t.transaction_id = "4200000000202106241234567890";
  const Json unpaid = transaction_json(t);
  EXPECT_FALSE(unpaid.contains("transaction_id"));
  EXPECT_FALSE(unpaid.contains("success_time"));
  EXPECT_FALSE(unpaid.contains("payer"));
  EXPECT_FALSE(unpaid["amount"].contains("payer_total"));
  EXPECT_EQ(unpaid["trade_state_desc"], "订单未支付");

  const Json paid = transaction_json(as_paid(t, 1624523846));
  std::vector<std::string> keys;
  for (const auto& item : paid.items())
    keys.push_back(item.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"appid", "mchid", "out_trade_no", "transaction_id",
                                      "trade_type", "trade_state", "trade_state_desc", "bank_type",
                                      "attach", "success_time", "payer", "amount"}));
  EXPECT_EQ(paid["trade_state"], "SUCCESS");
  EXPECT_EQ(paid["trade_state_desc"], "支付成功");
  EXPECT_EQ(paid["success_time"], "2021-06-24T16:37:26+08:00");
  EXPECT_EQ(paid["payer"]["openid"].get<std::string>().substr(0, 1), "o");
  EXPECT_EQ(
      paid["amount"],
      (Json{{"total", 100}, {"payer_total", 100}, {"currency", "CNY"}, {"payer_currency", "CNY"}}));
}

TEST(Tamper, NamesAreTheHookContract) {
  for (const char* name : {"signature", "amount", "mchid", "appid", "gcm_tag", "timestamp",
                           "serial", "unknown_order", "probe"}) {
    EXPECT_TRUE(tamper_from_string(name).has_value()) << name;
  }
  EXPECT_FALSE(tamper_from_string("Signature").has_value());
  EXPECT_FALSE(tamper_from_string("").has_value());
}

}  // namespace
}  // namespace payhost::sandbox_wechat
