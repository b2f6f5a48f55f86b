// The wallet API through the real payhostd: every route and message of the issue, auth
// failures, other users' data, pagination edges, and the money invariants under
// concurrency. Compiled twice: SQLite (wallet_api_test) and PostgreSQL (wallet_api_pg_test).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"
#include "support/nested_json.hpp"
#include "wallet_test_util.hpp"

namespace payhost::wallet::testing {
namespace {

const char* const kMainOptions = R"(      labels: [100, 500, 9900]
      ratio: 200
      rule: "充值提现规则"
      cash: [alipay, wechat]
      case_min_amount: 10
      recharge_type: [testpay, wx, testpay_wap, alipay_qr]
      recharge_max: 500000
      cash_rate_limit: 0
)";

std::string path_of(std::int64_t record_id) {
  return "/api/v2/wallet/charges/" + std::to_string(record_id);
}

class WalletApi : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    try {
      host_ = start_host(wallet_config(kMainOptions));
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { host_.reset(); }

 protected:
  void SetUp() override {
    ASSERT_NE(host_, nullptr) << "payhostd did not start: " << start_error_;
    api_ = std::make_unique<WalletClient>(*host_);
  }

  // A fresh user and their token.
  std::pair<std::string, std::string> user() {
    const std::string id = next_user();
    return {id, api_->token(id)};
  }
  std::string admin() { return api_->token("1"); }

  Json record(std::int64_t id, const std::string& token, const std::string& query = "") {
    const HttpResult r = api_->get(path_of(id) + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json() : Json();
  }

  Json list(const std::string& path, const std::string& token) {
    const HttpResult r = api_->get(path, token);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body;
    return r.status == 200 ? r.json() : Json::array();
  }

  // The id of the user's newest withdrawal application.
  std::int64_t newest_cash(const std::string& token) {
    const Json cashes = list("/api/v2/wallet/cashes", token);
    return cashes.empty() ? 0 : cashes[0]["id"].get<std::int64_t>();
  }

  void expect_audit_clean() {
    std::string out;
    EXPECT_EQ(api_->audit(&out), 0) << out;
    EXPECT_NE(out.find("clean"), std::string::npos) << out;
  }

  static std::unique_ptr<Payhostd> host_;
  static std::string start_error_;
  std::unique_ptr<WalletClient> api_;
};

std::unique_ptr<Payhostd> WalletApi::host_;
std::string WalletApi::start_error_;

// --- GET /wallet -------------------------------------------------------------------------

TEST_F(WalletApi, InfoShowsOptionsEnabledChannelsAndBalance) {
  auto [id, token] = user();
  HttpResult r = api_->get("/api/v2/wallet", token);
  ASSERT_EQ(r.status, 200) << r.body;
  // recharge_type is the configured list ∩ enabled channels (wx and alipay_qr are not).
  // The bytes themselves: the answer is assembled from a serialised prefix.
  const std::string prefix =
      R"({"labels":[100,500,9900],"ratio":200,"rule":"充值提现规则","cash":["alipay","wechat"],)"
      R"("case_min_amount":10,"recharge_type":["testpay","testpay_wap"],"balance":)";
  EXPECT_EQ(r.body, prefix + "0}");
  EXPECT_EQ(r.headers["content-type"], "application/json; charset=utf-8");
  api_->fund(token, 150);
  EXPECT_EQ(api_->balance(token), 150);
  EXPECT_EQ(api_->get("/api/v2/wallet", token).body, prefix + "150}");
}

// --- authentication ----------------------------------------------------------------------

struct RouteCall {
  std::string method;
  std::string path;
  std::string body;
};

const std::vector<RouteCall>& every_route() {
  static const std::vector<RouteCall> routes = {
      {"GET", "/api/v2/wallet", ""},
      {"POST", "/api/v2/wallet/recharge", R"({"type":"testpay","amount":100})"},
      {"GET", "/api/v2/wallet/charges", ""},
      {"GET", "/api/v2/wallet/charges/1", ""},
      {"POST", "/api/v2/wallet/cashes", R"({"value":10,"type":"alipay","account":"x"})"},
      {"GET", "/api/v2/wallet/cashes", ""},
      {"GET", "/api/v2/admin/wallet/cashes", ""},
      {"PATCH", "/api/v2/admin/wallet/cashes/1/passed", R"({"remark":"x"})"},
      {"PATCH", "/api/v2/admin/wallet/cashes/1/refuse", R"({"remark":"x"})"},
  };
  return routes;
}

std::string forged_token(const std::string& secret, const Json& payload) {
  const std::string input = sdk::base64url_encode(R"({"alg":"HS256","typ":"JWT"})") + "." +
                            sdk::base64url_encode(payload.dump());
  return input + "." + sdk::base64url_encode(sdk::crypto::hmac_sha256(secret, input));
}

TEST_F(WalletApi, EveryRouteRefusesMissingBadAndExpiredTokens) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::string minted;
  ASSERT_EQ(host_->cli({"token", "--user", "5", "--ttl", "1"}, &minted), 0) << minted;
  while (!minted.empty() && (minted.back() == '\n' || minted.back() == '\r'))
    minted.pop_back();
  const std::string expired = minted.substr(minted.rfind('\n') + 1);

  const std::vector<std::pair<std::string, std::string>> bad_tokens = {
      {"missing", ""},
      {"garbage", "not-a-token"},
      {"three garbage parts", "abc.def.ghi"},
      {"wrong secret", forged_token("another-secret-another-secret-0000",
                                    {{"sub", "5"}, {"iat", now}, {"exp", now + 3600}})},
      {"tampered", forged_token("test-secret-please-change-0123456789",
                                {{"sub", "5"}, {"iat", now}, {"exp", now + 3600}}) +
                       "x"},
      {"expired (forged)", forged_token("test-secret-please-change-0123456789",
                                        {{"sub", "5"}, {"iat", now - 7200}, {"exp", now - 3600}})},
      {"subject is no user id",
       forged_token("test-secret-please-change-0123456789",
                    {{"sub", "alice"}, {"iat", now}, {"exp", now + 3600}})},
  };
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // let the minted token expire
  std::vector<std::pair<std::string, std::string>> all = bad_tokens;
  all.emplace_back("expired (minted, ttl 1 s)", expired);

  for (const auto& route : every_route()) {
    for (const auto& [what, token] : all) {
      const bool admin_route = route.path.find("/admin/") != std::string::npos;
      if (what == "subject is no user id" && admin_route) continue;  // admins may be anyone
      std::vector<std::string> headers = {"Content-Type: application/json"};
      if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
      const HttpResult r = host_->request(route.method, route.path, route.body, headers);
      EXPECT_TRUE(has_message(r, 401, "Unauthenticated."))
          << route.method << " " << route.path << " with " << what;
    }
  }
}

TEST_F(WalletApi, TokenClaimsAreReadStrictly) {
  auto [id, token] = user();
  api_->fund(token, 100);
  const std::int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  auto forged = [](const Json& claims) {
    return forged_token("test-secret-please-change-0123456789", claims);
  };
  // The same user, by a JSON integer.
  EXPECT_EQ(api_->balance(forged({{"sub", std::stoll(id)}, {"exp", now + 3600}})), 100);
  const std::vector<std::pair<std::string, Json>> refused = {
      {"sub with a leading zero", {{"sub", "0" + id}, {"exp", now + 3600}}},
      {"sub with a sign", {{"sub", "+" + id}, {"exp", now + 3600}}},
      {"nbf as a string, an hour ahead",
       {{"sub", id}, {"exp", now + 7200}, {"nbf", std::to_string(now + 3600)}}},
      {"exp as a string", {{"sub", id}, {"exp", std::to_string(now + 3600)}}},
      {"sub 2^63 + id", {{"sub", 9223372036854775808ULL + std::stoull(id)}, {"exp", now + 3600}}},
  };
  for (const auto& [what, claims] : refused) {
    EXPECT_TRUE(has_message(api_->get("/api/v2/wallet", forged(claims)), 401, "Unauthenticated."))
        << what;
  }
}

TEST_F(WalletApi, AdminRoutesRefuseOrdinaryUsers) {
  auto [id, token] = user();
  for (const auto& route : every_route()) {
    if (route.path.find("/admin/") == std::string::npos) continue;
    const HttpResult r = host_->request(route.method, route.path, route.body,
                                        {"Content-Type: application/json"}, token);
    EXPECT_TRUE(has_message(r, 403, "你没有权限执行该操作")) << route.path;
  }
  // The admin claim works as well as the configured admin list.
  const std::string claimed = api_->token(next_user(), /*admin=*/true);
  EXPECT_EQ(api_->get("/api/v2/admin/wallet/cashes", claimed).status, 200);
  EXPECT_EQ(api_->get("/api/v2/admin/wallet/cashes", admin()).status, 200);
}

// --- POST /wallet/recharge ----------------------------------------------------------------

TEST_F(WalletApi, RechargeCreatesAPendingRecordAndAPingppCharge) {
  auto [id, token] = user();
  const Recharge r = api_->recharge(token, "testpay", 100);
  ASSERT_EQ(r.response.status, 201) << r.response.body;
  const Json body = r.response.json();
  ASSERT_EQ(body.size(), 2u);
  EXPECT_EQ(body.begin().key(), "id");
  const Json& charge = body["charge"];
  EXPECT_EQ(charge["object"], "charge");
  EXPECT_EQ(charge["id"].get<std::string>().rfind("ch_", 0), 0u);
  EXPECT_EQ(charge["channel"], "testpay");
  EXPECT_EQ(charge["amount"], 100);
  EXPECT_EQ(charge["currency"], "cny");
  EXPECT_EQ(charge["subject"], "余额充值");
  EXPECT_EQ(charge["body"], "账户余额充值");
  EXPECT_EQ(charge["app"], "app_5anXP4ezfXvL8m5e");
  EXPECT_EQ(charge["livemode"], false);
  EXPECT_EQ(charge["paid"], false);
  EXPECT_EQ(charge["credential"]["object"], "credential");
  EXPECT_EQ(charge["credential"]["testpay"]["order_no"], charge["order_no"]);

  const Json rec = record(r.record_id, token);
  std::vector<std::string> keys;
  for (auto it = rec.begin(); it != rec.end(); ++it)
    keys.push_back(it.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"id", "user_id", "channel", "account", "charge_id", "action",
                                      "amount", "currency", "subject", "body", "transaction_no",
                                      "status", "created_at", "updated_at", "deleted_at"}));
  EXPECT_EQ(rec["id"], r.record_id);
  EXPECT_EQ(rec["user_id"], std::stoll(id));
  EXPECT_EQ(rec["channel"], "testpay");
  EXPECT_TRUE(rec["account"].is_null());
  EXPECT_EQ(rec["charge_id"], r.charge_id);
  EXPECT_EQ(rec["action"], 1);
  EXPECT_EQ(rec["amount"], 100);
  EXPECT_EQ(rec["subject"], "余额充值");
  EXPECT_TRUE(rec["transaction_no"].is_null());
  EXPECT_EQ(rec["status"], 0);
  EXPECT_EQ(rec["created_at"].get<std::string>().size(), 19u);  // YYYY-MM-DD HH:MM:SS
  EXPECT_TRUE(rec["deleted_at"].is_null());

  // The balance moves only at settlement; pending records are not listed.
  EXPECT_EQ(api_->balance(token), 0);
  EXPECT_TRUE(list("/api/v2/wallet/charges", token).empty());
}

TEST_F(WalletApi, RechargeValidationMessages) {
  auto [id, token] = user();
  auto post = [&](const Json& body) { return api_->post("/api/v2/wallet/recharge", body, token); };
  EXPECT_TRUE(has_field_error(post({{"amount", 100}}), "type", "请选择充值方式"));
  EXPECT_TRUE(has_field_error(post({{"type", ""}, {"amount", 100}}), "type", "请选择充值方式"));
  // Configured but not enabled, enabled but not configured, unknown: all refused.
  for (const char* type : {"wx", "alipay", "bank", "testpay_x"}) {
    EXPECT_TRUE(
        has_field_error(post({{"type", type}, {"amount", 100}}), "type", "选择的充值方式错误"))
        << type;
  }
  EXPECT_TRUE(has_field_error(post({{"type", "testpay"}}), "amount", "请选择需要充值金额"));
  for (const Json& amount : {Json(0), Json(-5), Json(1.5), Json("abc"), Json(true)}) {
    EXPECT_TRUE(has_field_error(post({{"type", "testpay"}, {"amount", amount}}), "amount",
                                "充值金额不合法"))
        << amount.dump();
  }
  for (const Json& amount : {Json(500001), Json("99999999999")}) {
    EXPECT_TRUE(has_field_error(post({{"type", "testpay"}, {"amount", amount}}), "amount",
                                "充值金额超出最大充值限制"))
        << amount.dump();
  }
  // Both fields at once.
  const HttpResult both = post(Json::object());
  EXPECT_TRUE(has_field_error(both, "type", "请选择充值方式"));
  EXPECT_TRUE(has_field_error(both, "amount", "请选择需要充值金额"));
  // Limits are inclusive; numeric strings are integers.
  EXPECT_EQ(post({{"type", "testpay"}, {"amount", 500000}}).status, 201);
  EXPECT_EQ(post({{"type", "testpay"}, {"amount", "1"}}).status, 201);
  EXPECT_EQ(api_->balance(token), 0);
}

TEST_F(WalletApi, RechargeExtraMessages) {
  auto [id, token] = user();
  auto post = [&](const Json& body) { return api_->post("/api/v2/wallet/recharge", body, token); };
  // The channel needs extra.success_url: the host's extra_missing, in the seed's words.
  EXPECT_TRUE(has_message(post({{"type", "testpay_wap"}, {"amount", 100}}), 422,
                          "extra.success_url 必须存在"));
  EXPECT_TRUE(
      has_message(post({{"type", "testpay_wap"}, {"amount", 100}, {"extra", Json::object()}}), 422,
                  "extra.success_url 必须存在"));
  for (const Json& extra : {Json("x"), Json(5), Json::array({"a"})}) {
    EXPECT_TRUE(has_message(post({{"type", "testpay"}, {"amount", 100}, {"extra", extra}}), 422,
                            "请求参数不合法"))
        << extra.dump();
  }
  const HttpResult malformed =
      host_->post_json("/api/v2/wallet/recharge", R"({"type":"testpay",)", token);
  EXPECT_TRUE(has_message(malformed, 422, "请求参数不合法"));

  // Client text the charge core refuses (it would reach fields a provider signs), in the
  // seed's envelope, and no charge is made.
  for (const Json& extra :
       {Json{{"success_url", "javascript:alert(1)"}},
        Json{{"success_url", "https://plus.io/r"}, {"note", "a&out_trade_no=b"}}}) {
    EXPECT_TRUE(has_message(post({{"type", "testpay_wap"}, {"amount", 100}, {"extra", extra}}), 422,
                            "请求参数不合法"))
        << extra.dump();
  }

  const Recharge wap =
      api_->recharge(token, "testpay_wap", 100, {{"success_url", "https://plus.io/r"}});
  ASSERT_EQ(wap.response.status, 201) << wap.response.body;
  EXPECT_EQ(wap.response.json()["charge"]["extra"]["success_url"], "https://plus.io/r");
  // PHP clients send [] for "no extras".
  EXPECT_EQ(post({{"type", "testpay"}, {"amount", 100}, {"extra", Json::array()}}).status, 201);
}

// A body nested 150,000 deep must not take the process down (copying the tree would
// overflow a worker's stack). Nesting up to sdk::kMaxJsonDepth is accepted; deeper is a bad request
// in the seed's words, changes nothing, and the host lives on.
TEST_F(WalletApi, DeeplyNestedBodiesAreRefusedAndTheHostSurvives) {
  auto [id, token] = user();
  // The body object is one level, extra another: `levels` more inside extra.
  auto body = [](int levels) {
    return R"({"type":"testpay","amount":100,"extra":{"x":)" +
           payhost::testing::nested_json(levels) + "}}";
  };
  auto post = [&](const std::string& text) {
    return host_->post_json("/api/v2/wallet/recharge", text, token);
  };
  EXPECT_TRUE(has_message(post(body(150000)), 422, "请求参数不合法"));
  EXPECT_TRUE(has_message(post(body(sdk::kMaxJsonDepth - 1)), 422, "请求参数不合法"));
  const HttpResult deepest = post(body(sdk::kMaxJsonDepth - 2));
  ASSERT_EQ(deepest.status, 201) << deepest.body;
  EXPECT_EQ(api_->balance(token), 0);
  EXPECT_EQ(api_->get("/api/v2/wallet", token).status, 200);
}

TEST_F(WalletApi, RechargeAcceptsFormBodies) {
  auto [id, token] = user();
  const HttpResult r = host_->post_form(
      "/api/v2/wallet/recharge",
      "type=testpay_wap&amount=120&extra%5Bsuccess_url%5D=https%3A%2F%2Fplus.io%2Fr", token);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(r.json()["charge"]["amount"], 120);
  EXPECT_EQ(r.json()["charge"]["extra"]["success_url"], "https://plus.io/r");
  EXPECT_TRUE(
      has_field_error(host_->post_form("/api/v2/wallet/recharge", "type=testpay&amount=x", token),
                      "amount", "充值金额不合法"));
}

TEST_F(WalletApi, RechargeIdempotencyKeyReplays) {
  auto [id, token] = user();
  const Json body = {{"type", "testpay"}, {"amount", 230}};
  const std::string key = "Idempotency-Key: recharge-" + id;
  const HttpResult first = api_->post("/api/v2/wallet/recharge", body, token, {key});
  const HttpResult again = api_->post("/api/v2/wallet/recharge", body, token, {key});
  ASSERT_EQ(first.status, 201) << first.body;
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(first.json()["id"], again.json()["id"]);
  EXPECT_EQ(first.json()["charge"]["id"], again.json()["charge"]["id"]);
  EXPECT_EQ(again.headers.count("idempotent-replayed"), 1u);
}

// The wallet reads fields from the query string too: a key reused with another query is
// another request.
TEST_F(WalletApi, IdempotencyKeyReusedWithAnotherQueryIs422) {
  auto [id, token] = user();
  const Json body = {{"type", "testpay"}};
  const std::string key = "Idempotency-Key: recharge-query-" + id;
  const HttpResult first = api_->post("/api/v2/wallet/recharge?amount=230", body, token, {key});
  ASSERT_EQ(first.status, 201) << first.body;
  EXPECT_EQ(first.json()["charge"]["amount"], 230);
  const HttpResult other = api_->post("/api/v2/wallet/recharge?amount=999", body, token, {key});
  EXPECT_EQ(other.status, 422) << other.body;
  EXPECT_EQ(other.headers.count("idempotent-replayed"), 0u);
  const HttpResult again = api_->post("/api/v2/wallet/recharge?amount=230", body, token, {key});
  ASSERT_EQ(again.status, 201) << again.body;
  EXPECT_EQ(again.json()["id"], first.json()["id"]);
  EXPECT_EQ(again.headers.count("idempotent-replayed"), 1u);
}

TEST_F(WalletApi, ProviderFailuresAnswer5xxAndMarkTheRecordFailed) {
  for (const auto& [mode, status] : {std::pair<std::string, int>{"refused", 502},
                                     std::pair<std::string, int>{"unavailable", 503}}) {
    SCOPED_TRACE(mode);
    auto failing =
        start_host(wallet_config(kMainOptions, "", "      create_result: " + mode + "\n"));
    WalletClient api(*failing);
    const std::string token = api.token("7");
    const Recharge r = api.recharge(token, "testpay", 100);
    ASSERT_EQ(r.response.status, status) << r.response.body;
    const Json body = r.response.json();
    EXPECT_FALSE(body.value("message", "").empty());
    // The first record of a fresh database: kept for the trail, marked failed, naming the
    // charge the host stored for the failed attempt (written in the same transaction).
    const HttpResult rec = api.get("/api/v2/wallet/charges/1", token);
    ASSERT_EQ(rec.status, 200) << rec.body;
    EXPECT_EQ(rec.json()["status"], 2);
    ASSERT_TRUE(rec.json()["charge_id"].is_string()) << rec.body;
    EXPECT_EQ(rec.json()["charge_id"].get<std::string>().rfind("ch_", 0), 0u);
    // A finished record: retrieve changes nothing.
    const HttpResult retrieved = api.get("/api/v2/wallet/charges/1?mode=retrieve", token);
    ASSERT_EQ(retrieved.status, 200) << retrieved.body;
    EXPECT_EQ(retrieved.json()["status"], 2);
    EXPECT_EQ(api.balance(token), 0);
  }
}

// --- settlement --------------------------------------------------------------------------

TEST_F(WalletApi, NotificationSettlesOnceAndFillsTheRecord) {
  auto [id, token] = user();
  const Recharge r = api_->recharge(token, "testpay", 300);
  ASSERT_EQ(r.response.status, 201);
  const HttpResult n = api_->notify(r.order_no, 300, "paid", "T-" + id, "buyer@example.com");
  ASSERT_EQ(n.status, 200) << n.body;
  EXPECT_EQ(n.json()["ok"], true);
  EXPECT_EQ(api_->balance(token), 300);

  const Json rec = record(r.record_id, token);
  EXPECT_EQ(rec["status"], 1);
  EXPECT_EQ(rec["transaction_no"], "T-" + id);
  EXPECT_EQ(rec["account"], "buyer@example.com");
  const Json listed = list("/api/v2/wallet/charges", token);
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0], rec);

  for (int i = 0; i < 3; ++i)
    EXPECT_EQ(api_->notify(r.order_no, 300, "paid", "T-" + id).status, 200);
  EXPECT_EQ(api_->balance(token), 300);
  // A notification for another amount is refused and changes nothing.
  EXPECT_NE(api_->notify(r.order_no, 3000, "paid", "T-" + id).status, 200);
  EXPECT_EQ(api_->balance(token), 300);
}

TEST_F(WalletApi, RetrieveAsksTheChannelAndSettlesOnce) {
  auto [id, token] = user();
  const Recharge r = api_->recharge(token, "testpay", 250);
  ASSERT_EQ(r.response.status, 201);
  // Nothing paid yet: the record stays pending.
  EXPECT_EQ(record(r.record_id, token, "?mode=retrieve")["status"], 0);
  // The provider cannot be reached: still pending, still 200.
  api_->set_provider_state(r.order_no, {{"status", "timeout"}});
  EXPECT_EQ(record(r.record_id, token, "?mode=retrieve")["status"], 0);
  EXPECT_EQ(api_->balance(token), 0);

  api_->set_provider_state(r.order_no, {{"status", "paid"},
                                        {"amount", 250},
                                        {"transaction_no", "Q-" + id},
                                        {"payer", "payer@example.com"}});
  // A plain GET does not ask the channel.
  EXPECT_EQ(record(r.record_id, token)["status"], 0);
  const Json settled = record(r.record_id, token, "?mode=retrieve");
  EXPECT_EQ(settled["status"], 1);
  EXPECT_EQ(settled["transaction_no"], "Q-" + id);
  EXPECT_EQ(settled["account"], "payer@example.com");
  EXPECT_EQ(api_->balance(token), 250);

  // On a finished record retrieve changes nothing, and a late notification neither.
  EXPECT_EQ(record(r.record_id, token, "?mode=retrieve"), settled);
  EXPECT_EQ(api_->notify(r.order_no, 250, "paid", "Q-" + id).status, 200);
  EXPECT_EQ(record(r.record_id, token), settled);
  EXPECT_EQ(api_->balance(token), 250);
}

TEST_F(WalletApi, LatePaymentAfterCloseIsCredited) {
  auto [id, token] = user();
  const Recharge r = api_->recharge(token, "testpay", 120);
  ASSERT_EQ(r.response.status, 201);
  ASSERT_EQ(api_->notify(r.order_no, 120, "closed", "").status, 200);
  EXPECT_EQ(record(r.record_id, token)["status"], 2);
  EXPECT_EQ(api_->balance(token), 0);
  // The money arrives anyway: it is never dropped.
  ASSERT_EQ(api_->notify(r.order_no, 120, "paid", "LATE-" + id).status, 200);
  EXPECT_EQ(record(r.record_id, token)["status"], 1);
  EXPECT_EQ(api_->balance(token), 120);
}

// --- GET /wallet/charges/{id} ------------------------------------------------------------

TEST_F(WalletApi, RetrieveOnANonPaymentIs422) {
  auto [id, token] = user();
  api_->fund(token, 100);
  ASSERT_EQ(api_->cash(token, {{"value", 50}, {"type", "alipay"}, {"account", "a@b.c"}}).status,
            201);
  const Json expenses = list("/api/v2/wallet/charges?action=0", token);
  ASSERT_EQ(expenses.size(), 1u);
  const std::int64_t cash_record = expenses[0]["id"];
  EXPECT_TRUE(has_message(api_->get(path_of(cash_record) + "?mode=retrieve", token), 422,
                          "取回订单非支付类型凭据"));
  const Json plain = record(cash_record, token);
  EXPECT_EQ(plain["action"], 0);
  EXPECT_EQ(plain["status"], 1);
  EXPECT_EQ(api_->balance(token), 50);
}

TEST_F(WalletApi, AnotherUsersRecordIs403AndUnknownIs404) {
  auto [owner, owner_token] = user();
  auto [other, other_token] = user();
  const std::int64_t rec = api_->fund(owner_token, 100);
  for (const char* query : {"", "?mode=retrieve"}) {
    EXPECT_TRUE(has_message(api_->get(path_of(rec) + std::string(query), other_token), 403,
                            Json::array({"当前用户无权限查询该订单"})));
  }
  EXPECT_TRUE(
      has_message(api_->get(path_of(rec), admin()), 403, Json::array({"当前用户无权限查询该订单"})))
      << "an admin reads their own wallet here, too";
  for (const char* path : {"/api/v2/wallet/charges/999999999", "/api/v2/wallet/charges/0",
                           "/api/v2/wallet/charges/abc", "/api/v2/wallet/charges/-1"}) {
    EXPECT_TRUE(has_message(api_->get(path, owner_token), 404, "内容不存在")) << path;
  }
  // Lists show only the caller's data.
  EXPECT_TRUE(list("/api/v2/wallet/charges", other_token).empty());
  EXPECT_TRUE(list("/api/v2/wallet/cashes", other_token).empty());
}

// --- GET /wallet/charges -----------------------------------------------------------------

TEST_F(WalletApi, ChargeListPaginationAndFilters) {
  auto [id, token] = user();
  // 100 settled recharges of 1 fen, 3 withdrawals of 10, one pending recharge.
  std::atomic<int> failures{0};
  run_parallel(8, [&](int t) {
    for (int i = t; i < 100; i += 8) {
      try {
        api_->fund(token, 1);
      } catch (...) {
        ++failures;
      }
    }
  });
  ASSERT_EQ(failures.load(), 0);
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(api_->cash(token, {{"value", 10}, {"type", "wechat"}, {"account", "wx"}}).status,
              201);
  }
  ASSERT_EQ(api_->recharge(token, "testpay", 5).response.status, 201);
  EXPECT_EQ(api_->balance(token), 70);

  auto ids = [](const Json& items) {
    std::vector<std::int64_t> out;
    for (const auto& item : items)
      out.push_back(item["id"].get<std::int64_t>());
    return out;
  };
  auto descending = [](const std::vector<std::int64_t>& v) {
    return std::adjacent_find(v.begin(), v.end(), std::less_equal<>()) == v.end();
  };

  const Json first = list("/api/v2/wallet/charges", token);
  ASSERT_EQ(first.size(), 15u) << "default limit";
  EXPECT_TRUE(descending(ids(first)));
  EXPECT_EQ(first[0]["action"], 0) << "newest first: the last withdrawal";
  for (const auto& item : first)
    EXPECT_EQ(item["status"], 1);

  EXPECT_EQ(list("/api/v2/wallet/charges?limit=1", token).size(), 1u);
  EXPECT_EQ(list("/api/v2/wallet/charges?limit=100", token).size(), 100u);
  EXPECT_EQ(list("/api/v2/wallet/charges?limit=101", token).size(), 100u) << "max 100";
  EXPECT_EQ(list("/api/v2/wallet/charges?limit=100000", token).size(), 100u);
  EXPECT_EQ(list("/api/v2/wallet/charges?limit=0", token).size(), 15u);
  EXPECT_EQ(list("/api/v2/wallet/charges?limit=-3", token).size(), 15u);
  EXPECT_EQ(list("/api/v2/wallet/charges?limit=abc", token).size(), 15u);

  // The cursor: ids below `after`, walking every page exactly once.
  const std::int64_t after = first[14]["id"];
  const Json second = list("/api/v2/wallet/charges?after=" + std::to_string(after), token);
  ASSERT_EQ(second.size(), 15u);
  EXPECT_LT(second[0]["id"].get<std::int64_t>(), after);
  std::vector<std::int64_t> walked;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    const Json items = list("/api/v2/wallet/charges?limit=40" + cursor, token);
    const auto page_ids = ids(items);
    walked.insert(walked.end(), page_ids.begin(), page_ids.end());
    if (items.size() < 40) break;
    cursor = "&after=" + std::to_string(page_ids.back());
  }
  EXPECT_EQ(walked.size(), 103u);
  EXPECT_TRUE(descending(walked));
  EXPECT_EQ(std::set<std::int64_t>(walked.begin(), walked.end()).size(), 103u);
  EXPECT_TRUE(list("/api/v2/wallet/charges?after=" + std::to_string(walked.back()), token).empty());

  // ?action: 1/income and 0/expenses (what clients send), anything else: no filter.
  for (const char* income : {"1", "income"}) {
    const Json items =
        list(std::string("/api/v2/wallet/charges?limit=100&action=") + income, token);
    EXPECT_EQ(items.size(), 100u) << income;
    for (const auto& item : items)
      EXPECT_EQ(item["action"], 1);
  }
  for (const char* expense : {"0", "expenses", "expense"}) {
    const Json items = list(std::string("/api/v2/wallet/charges?action=") + expense, token);
    ASSERT_EQ(items.size(), 3u) << expense;
    for (const auto& item : items) {
      EXPECT_EQ(item["action"], 0);
      EXPECT_EQ(item["amount"], 10);
      EXPECT_EQ(item["channel"], "wechat");
    }
  }
  EXPECT_EQ(list("/api/v2/wallet/charges?action=all", token).size(), 15u);
  const Json expenses_page =
      list("/api/v2/wallet/charges?action=expenses&limit=2&after=" +
               std::to_string(
                   list("/api/v2/wallet/charges?action=0", token)[0]["id"].get<std::int64_t>()),
           token);
  EXPECT_EQ(expenses_page.size(), 2u);
}

// --- POST /wallet/cashes -----------------------------------------------------------------

TEST_F(WalletApi, CashValidationMessages) {
  auto [id, token] = user();
  api_->fund(token, 100);
  const Json ok = {{"value", 10}, {"type", "alipay"}, {"account", "a@b.c"}};
  auto with = [&](const std::string& key, const Json& value) {
    Json body = ok;
    body[key] = value;
    return api_->cash(token, body);
  };
  auto without = [&](const std::string& key) {
    Json body = ok;
    body.erase(key);
    return api_->cash(token, body);
  };

  const HttpResult empty = api_->cash(token, Json::object());
  EXPECT_EQ(empty.body, R"({"message":"提交的信息验证错误","errors":{"value":["请输入提现金额"],)"
                        R"("type":["请选择提现方式"],"account":["请输入你的提现账户"]}})");
  EXPECT_TRUE(has_field_error(without("value"), "value", "请输入提现金额"));
  EXPECT_TRUE(has_field_error(with("value", ""), "value", "请输入提现金额"));
  EXPECT_TRUE(has_field_error(with("value", "abc"), "value", "发送的数据错误"));
  EXPECT_TRUE(has_field_error(with("value", 10.5), "value", "发送的数据错误"));
  EXPECT_TRUE(has_field_error(with("value", 0), "value", "输入的提现金额不合法"));
  EXPECT_TRUE(has_field_error(with("value", -10), "value", "输入的提现金额不合法"));
  EXPECT_TRUE(has_field_error(with("value", 9), "value", "输入的提现金额不足最低提现金额要求"));
  EXPECT_TRUE(has_field_error(with("value", 101), "value", "提现金额超出账户余额"));
  EXPECT_TRUE(has_field_error(without("type"), "type", "请选择提现方式"));
  EXPECT_TRUE(has_field_error(with("type", "bank"), "type", "你选择的提现方式不支持"));
  EXPECT_TRUE(has_field_error(without("account"), "account", "请输入你的提现账户"));
  EXPECT_TRUE(has_field_error(with("account", "  "), "account", "请输入你的提现账户"));
  EXPECT_TRUE(
      has_message(host_->post_json("/api/v2/wallet/cashes", "{", token), 422, "请求参数不合法"));
  EXPECT_EQ(api_->balance(token), 100) << "refused withdrawals debit nothing";

  // Form bodies work; the minimum and the whole balance are allowed.
  const HttpResult form =
      host_->post_form("/api/v2/wallet/cashes", "value=10&type=wechat&account=wx-openid", token);
  EXPECT_TRUE(has_message(form, 201, Json::array({"申请提现成功"})));
  EXPECT_EQ(with("value", 90).status, 201);
  EXPECT_EQ(api_->balance(token), 0);
  EXPECT_TRUE(has_field_error(with("value", 10), "value", "提现金额超出账户余额"));
}

TEST_F(WalletApi, CashAccountIsBoundedAndPrintable) {
  auto [id, token] = user();
  api_->fund(token, 100);
  auto cash_to = [&](const std::string& account) {
    return api_->cash(token, {{"value", 10}, {"type", "alipay"}, {"account", account}});
  };
  EXPECT_TRUE(
      has_field_error(cash_to(std::string(10000, 'a')), "account", "提现账户不能超过255个字符"));
  EXPECT_TRUE(has_field_error(cash_to(std::string("me\0@alipay", 10)), "account",
                              "提现账户不能包含控制字符"));
  // A form body carries the NUL as %00.
  EXPECT_TRUE(has_field_error(
      host_->post_form("/api/v2/wallet/cashes", "value=10&type=alipay&account=me%00x", token),
      "account", "提现账户不能包含控制字符"));
  EXPECT_EQ(api_->balance(token), 100) << "refused withdrawals debit nothing";
  const HttpResult longest = cash_to(std::string(255, 'a'));
  EXPECT_EQ(longest.status, 201) << longest.body;
  EXPECT_EQ(api_->balance(token), 90);
}

TEST_F(WalletApi, CashDebitsAtOnceWithALedgerRow) {
  auto [id, token] = user();
  api_->fund(token, 100);
  const HttpResult r = api_->cash(token, {{"value", 30}, {"type", "alipay"}, {"account", "a@b.c"}});
  EXPECT_TRUE(has_message(r, 201, Json::array({"申请提现成功"})));
  EXPECT_EQ(api_->balance(token), 70);

  const Json expenses = list("/api/v2/wallet/charges?action=expenses", token);
  ASSERT_EQ(expenses.size(), 1u);
  EXPECT_EQ(expenses[0]["action"], 0);
  EXPECT_EQ(expenses[0]["amount"], 30);
  EXPECT_EQ(expenses[0]["channel"], "alipay");
  EXPECT_EQ(expenses[0]["account"], "a@b.c");
  EXPECT_EQ(expenses[0]["status"], 1);
  EXPECT_TRUE(expenses[0]["charge_id"].is_null());

  const Json cashes = list("/api/v2/wallet/cashes", token);
  ASSERT_EQ(cashes.size(), 1u);
  std::vector<std::string> keys;
  for (auto it = cashes[0].begin(); it != cashes[0].end(); ++it)
    keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"id", "value", "type", "account", "status", "remark",
                                            "created_at"}));
  EXPECT_EQ(cashes[0]["value"], 30);
  EXPECT_EQ(cashes[0]["type"], "alipay");
  EXPECT_EQ(cashes[0]["status"], 0);
  EXPECT_TRUE(cashes[0]["remark"].is_null());
}

TEST_F(WalletApi, CashListNewestFirstWithCursor) {
  auto [id, token] = user();
  api_->fund(token, 100);
  for (int i = 1; i <= 5; ++i) {
    ASSERT_EQ(api_->cash(token, {{"value", 10 + i}, {"type", "alipay"}, {"account", "x"}}).status,
              201);
  }
  const Json all = list("/api/v2/wallet/cashes", token);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all[0]["value"], 15);
  EXPECT_EQ(all[4]["value"], 11);
  EXPECT_EQ(list("/api/v2/wallet/cashes?limit=2", token).size(), 2u);
  const Json next = list("/api/v2/wallet/cashes?limit=2&after=" + all[1]["id"].dump(), token);
  ASSERT_EQ(next.size(), 2u);
  EXPECT_EQ(next[0]["id"], all[2]["id"]);
  EXPECT_EQ(list("/api/v2/wallet/cashes?limit=500", token).size(), 5u);
  EXPECT_TRUE(list("/api/v2/wallet/cashes?after=" + all[4]["id"].dump(), token).empty());
}

// --- admin ------------------------------------------------------------------------------

TEST_F(WalletApi, AdminListFilters) {
  auto [a, a_token] = user();
  auto [b, b_token] = user();
  api_->fund(a_token, 100);
  api_->fund(b_token, 100);
  ASSERT_EQ(api_->cash(a_token, {{"value", 10}, {"type", "alipay"}, {"account", "a"}}).status, 201);
  ASSERT_EQ(api_->cash(a_token, {{"value", 20}, {"type", "alipay"}, {"account", "a"}}).status, 201);
  ASSERT_EQ(api_->cash(b_token, {{"value", 30}, {"type", "wechat"}, {"account", "b"}}).status, 201);

  const Json of_a = list("/api/v2/admin/wallet/cashes?user=" + a, admin());
  ASSERT_EQ(of_a.size(), 2u);
  EXPECT_EQ(of_a[0]["user_id"], std::stoll(a));
  EXPECT_EQ(of_a[0]["value"], 20);
  EXPECT_TRUE(of_a[0].contains("updated_at"));

  ASSERT_EQ(api_->patch("/api/v2/admin/wallet/cashes/" + of_a[1]["id"].dump() + "/passed",
                        {{"remark", "ok"}}, admin())
                .status,
            201);
  const Json pending = list("/api/v2/admin/wallet/cashes?status=0&user=" + a, admin());
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0]["value"], 20);
  const Json passed = list("/api/v2/admin/wallet/cashes?status=1&user=" + a, admin());
  ASSERT_EQ(passed.size(), 1u);
  EXPECT_EQ(passed[0]["remark"], "ok");
  EXPECT_EQ(list("/api/v2/admin/wallet/cashes?status=all&user=" + a, admin()).size(), 2u);
  EXPECT_EQ(list("/api/v2/admin/wallet/cashes?limit=1&user=" + b, admin()).size(), 1u);
  const Json everyone = list("/api/v2/admin/wallet/cashes?limit=100", admin());
  EXPECT_GE(everyone.size(), 3u);
}

TEST_F(WalletApi, AdminPassOnce) {
  auto [id, token] = user();
  api_->fund(token, 100);
  ASSERT_EQ(api_->cash(token, {{"value", 40}, {"type", "alipay"}, {"account", "a"}}).status, 201);
  const std::string path = "/api/v2/admin/wallet/cashes/" + std::to_string(newest_cash(token));
  EXPECT_TRUE(has_message(api_->patch(path + "/passed", {{"remark", "已打款"}}, admin()), 201,
                          Json::array({"操作成功"})));
  const Json cash = list("/api/v2/wallet/cashes", token)[0];
  EXPECT_EQ(cash["status"], 1);
  EXPECT_EQ(cash["remark"], "已打款");
  EXPECT_TRUE(has_message(api_->patch(path + "/passed", {{"remark", "again"}}, admin()), 409,
                          "该提现申请已处理,不能重复操作"));
  EXPECT_TRUE(has_message(api_->patch(path + "/refuse", {{"remark", "again"}}, admin()), 409,
                          "该提现申请已处理,不能重复操作"));
  EXPECT_EQ(list("/api/v2/wallet/cashes", token)[0]["remark"], "已打款");
  EXPECT_EQ(api_->balance(token), 60);
}

TEST_F(WalletApi, AdminRefuseRestoresTheBalanceOnce) {
  auto [id, token] = user();
  api_->fund(token, 100);
  ASSERT_EQ(api_->cash(token, {{"value", 40}, {"type", "wechat"}, {"account", "w"}}).status, 201);
  EXPECT_EQ(api_->balance(token), 60);
  const std::string path = "/api/v2/admin/wallet/cashes/" + std::to_string(newest_cash(token));
  EXPECT_TRUE(has_message(api_->patch(path + "/refuse", {{"remark", "账户错误"}}, admin()), 201,
                          Json::array({"操作成功"})));
  EXPECT_EQ(api_->balance(token), 100);
  const Json cash = list("/api/v2/wallet/cashes", token)[0];
  EXPECT_EQ(cash["status"], 2);
  EXPECT_EQ(cash["remark"], "账户错误");
  const Json refund = list("/api/v2/wallet/charges", token)[0];
  EXPECT_EQ(refund["action"], 1);
  EXPECT_EQ(refund["amount"], 40);
  EXPECT_EQ(refund["subject"], "提现退回");
  EXPECT_EQ(refund["status"], 1);
  EXPECT_TRUE(has_message(api_->patch(path + "/refuse", {{"remark", "again"}}, admin()), 409,
                          "该提现申请已处理,不能重复操作"));
  EXPECT_EQ(api_->balance(token), 100);
  EXPECT_EQ(list("/api/v2/wallet/charges?action=income", token).size(), 2u);
}

TEST_F(WalletApi, AdminDecisionNeedsARemarkAndAnExistingApplication) {
  auto [id, token] = user();
  api_->fund(token, 100);
  ASSERT_EQ(api_->cash(token, {{"value", 40}, {"type", "alipay"}, {"account", "a"}}).status, 201);
  const std::string path = "/api/v2/admin/wallet/cashes/" + std::to_string(newest_cash(token));
  for (const char* verb : {"/passed", "/refuse"}) {
    for (const Json& body : {Json::object(), Json{{"remark", ""}}, Json{{"remark", "   "}}}) {
      const HttpResult r = api_->patch(path + verb, body, admin());
      EXPECT_EQ(r.status, 422);
      EXPECT_EQ(r.body,
                R"({"message":"提交的信息验证错误","errors":{"remark":["请输入备注信息"]}})");
    }
    EXPECT_TRUE(has_message(api_->patch("/api/v2/admin/wallet/cashes/999999999" + std::string(verb),
                                        {{"remark", "x"}}, admin()),
                            404, "内容不存在"));
    EXPECT_TRUE(has_message(api_->patch("/api/v2/admin/wallet/cashes/abc" + std::string(verb),
                                        {{"remark", "x"}}, admin()),
                            404, "内容不存在"));
  }
  EXPECT_EQ(list("/api/v2/wallet/cashes", token)[0]["status"], 0);
  EXPECT_EQ(api_->balance(token), 60);
}

TEST_F(WalletApi, ConcurrentAdminDecisionsActOnce) {
  auto [id, token] = user();
  api_->fund(token, 100);
  ASSERT_EQ(api_->cash(token, {{"value", 50}, {"type", "alipay"}, {"account", "a"}}).status, 201);
  const std::string path = "/api/v2/admin/wallet/cashes/" + std::to_string(newest_cash(token));
  const std::string admin_token = admin();
  std::atomic<int> created{0}, conflicts{0}, other{0};
  std::atomic<bool> refused_won{false};
  run_parallel(20, [&](int i) {
    const bool refuse = i % 2 == 0;
    const HttpResult r = api_->patch(path + (refuse ? "/refuse" : "/passed"),
                                     {{"remark", "decision " + std::to_string(i)}}, admin_token);
    if (r.status == 201) {
      ++created;
      if (refuse) refused_won = true;
    } else if (r.status == 409) {
      ++conflicts;
    } else {
      ++other;
    }
  });
  EXPECT_EQ(created.load(), 1);
  EXPECT_EQ(conflicts.load(), 19);
  EXPECT_EQ(other.load(), 0);
  EXPECT_EQ(api_->balance(token), refused_won ? 100 : 50);
  EXPECT_EQ(list("/api/v2/wallet/charges?action=income", token).size(), refused_won ? 2u : 1u);
}

// --- concurrency: the ledger never loses or invents a fen ------------------------------------

TEST_F(WalletApi, TwoHundredParallelWithdrawalsNeverOverdraw) {
  auto [id, token] = user();
  api_->fund(token, 1000);
  std::atomic<int> created{0}, insufficient{0};
  std::mutex mutex;
  std::vector<std::string> unexpected;
  run_parallel(200, [&](int) {
    const HttpResult r = api_->cash(token, {{"value", 13}, {"type", "alipay"}, {"account", "a"}});
    if (r.status == 201) {
      ++created;
    } else if (has_field_error(r, "value", "提现金额超出账户余额")) {
      ++insufficient;
    } else {
      std::lock_guard lock(mutex);
      unexpected.push_back(std::to_string(r.status) + " " + r.body);
    }
  });
  EXPECT_TRUE(unexpected.empty()) << unexpected.size() << " unexpected answers, e.g. "
                                  << (unexpected.empty() ? "" : unexpected[0]);
  // Every request either debited or found the balance too low when it tried: exactly
  // floor(1000 / 13) succeed, and what is left is the remainder.
  EXPECT_EQ(created.load(), 1000 / 13);
  EXPECT_EQ(insufficient.load(), 200 - 1000 / 13);
  EXPECT_EQ(api_->balance(token), 1000 - 13 * created.load());
  EXPECT_EQ(list("/api/v2/admin/wallet/cashes?limit=100&user=" + id, admin()).size(),
            static_cast<std::size_t>(created.load()));
  EXPECT_EQ(list("/api/v2/wallet/charges?action=0&limit=100", token).size(),
            static_cast<std::size_t>(created.load()));
  expect_audit_clean();
}

TEST_F(WalletApi, DuplicateAndConcurrentNotificationsAndRetrievesCreditOnce) {
  auto [id, token] = user();
  const Recharge r = api_->recharge(token, "testpay", 321);
  ASSERT_EQ(r.response.status, 201);
  api_->set_provider_state(r.order_no,
                           {{"status", "paid"}, {"amount", 321}, {"transaction_no", "C-" + id}});
  std::atomic<int> failed{0};
  run_parallel(40, [&](int i) {
    const HttpResult answer = i % 2 == 0
                                  ? api_->notify(r.order_no, 321, "paid", "C-" + id)
                                  : api_->get(path_of(r.record_id) + "?mode=retrieve", token);
    if (answer.status != 200) ++failed;
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(api_->balance(token), 321);
  const Json settled = list("/api/v2/wallet/charges", token);
  ASSERT_EQ(settled.size(), 1u);
  EXPECT_EQ(settled[0]["status"], 1);
  EXPECT_EQ(settled[0]["transaction_no"], "C-" + id);
  expect_audit_clean();
}

TEST_F(WalletApi, TwoHostsSettlingAtOnceCreditOnce) {
  Payhostd second = Payhostd::second_host(*host_);
  WalletClient other(second);
  auto [id, token] = user();
  std::vector<Recharge> recharges;
  for (int i = 0; i < 5; ++i) {
    recharges.push_back(api_->recharge(token, "testpay", 100 + i));
    ASSERT_EQ(recharges.back().response.status, 201);
    // One provider transaction per recharge: a transaction number settles one charge.
    api_->set_provider_state(
        recharges.back().order_no,
        {{"status", "paid"}, {"amount", 100 + i}, {"transaction_no", "H" + std::to_string(i)}});
  }
  std::atomic<int> failed{0};
  run_parallel(40, [&](int i) {
    const Recharge& r = recharges[static_cast<std::size_t>(i % 5)];
    const WalletClient& via = (i / 5) % 2 == 0 ? *api_ : other;
    const HttpResult answer =
        (i / 10) % 2 == 0 ? via.notify(r.order_no, 100 + i % 5, "paid", "H" + std::to_string(i % 5))
                          : via.get(path_of(r.record_id) + "?mode=retrieve", token);
    if (answer.status != 200) ++failed;
  });
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(api_->balance(token), 100 + 101 + 102 + 103 + 104);
  EXPECT_EQ(other.balance(token), 510);
  EXPECT_EQ(list("/api/v2/wallet/charges", token).size(), 5u);
  expect_audit_clean();
}

// --- audit ------------------------------------------------------------------------------

TEST_F(WalletApi, AuditIsCleanAndReportsATamperedBalance) {
  auto [id, token] = user();
  api_->fund(token, 77);
  expect_audit_clean();
  api_->execute_sql("UPDATE wallet_wallets SET balance = balance + 5 WHERE user_id = " + id);
  std::string out;
  EXPECT_EQ(api_->audit(&out), 1) << out;
  EXPECT_NE(out.find("user " + id + ": balance 82 fen"), std::string::npos) << out;
  EXPECT_NE(out.find("77 fen"), std::string::npos) << out;
  api_->execute_sql("UPDATE wallet_wallets SET balance = balance - 5 WHERE user_id = " + id);
  expect_audit_clean();
}

// --- configurations other than the main one ------------------------------------------------

TEST(WalletConfigurations, EmptyCashListTurnsWithdrawalsOff) {
  auto host = start_host(wallet_config("      cash: []\n      recharge_type: [testpay]\n"));
  WalletClient api(*host);
  const std::string token = api.token("9");
  api.fund(token, 100);
  const HttpResult info = api.get("/api/v2/wallet", token);
  ASSERT_EQ(info.status, 200);
  EXPECT_EQ(info.json()["cash"], Json::array());
  EXPECT_EQ(info.json()["labels"], Json::array({550, 2000, 9900})) << "the default labels";
  EXPECT_EQ(info.json()["ratio"], 100);
  EXPECT_EQ(info.json()["case_min_amount"], 1);
  for (const char* type : {"alipay", "wechat"}) {
    EXPECT_TRUE(has_field_error(api.cash(token, {{"value", 10}, {"type", type}, {"account", "a"}}),
                                "type", "你选择的提现方式不支持"));
  }
  EXPECT_EQ(api.balance(token), 100);
}

TEST(WalletConfigurations, WithdrawalsAreRateLimitedPerUser) {
  auto host = start_host(wallet_config("      recharge_type: [testpay]\n"));  // 5 per 6 s
  WalletClient api(*host);
  const std::string token = api.token("11");
  const std::string other = api.token("12");
  std::vector<int> statuses;
  for (int i = 0; i < 6; ++i)
    statuses.push_back(api.cash(token, Json::object()).status);
  EXPECT_EQ(statuses, (std::vector<int>{422, 422, 422, 422, 422, 429}));
  const HttpResult limited = api.cash(token, {{"value", 1}, {"type", "alipay"}, {"account", "a"}});
  EXPECT_TRUE(has_message(limited, 429, "Too Many Attempts."));
  EXPECT_EQ(limited.headers.count("retry-after"), 1u);
  EXPECT_EQ(api.cash(other, Json::object()).status, 422) << "other users are counted apart";

  // A second host on the same database shares the count.
  Payhostd second = Payhostd::second_host(*host);
  WalletClient via_second(second);
  EXPECT_EQ(via_second.cash(token, Json::object()).status, 429);
  std::vector<int> shared;
  const std::string third = api.token("13");
  for (int i = 0; i < 6; ++i)
    shared.push_back((i % 2 == 0 ? api : via_second).cash(third, Json::object()).status);
  EXPECT_EQ(shared, (std::vector<int>{422, 422, 422, 422, 422, 429}));
}

}  // namespace
}  // namespace payhost::wallet::testing
