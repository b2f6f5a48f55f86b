#include <gtest/gtest.h>

#include "wallet_test_util.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "support/testchannel_notification.hpp"

namespace payhost::wallet::testing {

bool on_postgres() {
#ifdef WALLET_TEST_POSTGRES
  return true;
#else
  return false;
#endif
}

std::string wallet_config(const std::string& wallet_options, const std::string& extra_plugins,
                          const std::string& testchannel_options) {
  std::string yaml = R"(livemode: false
app_id: app_5anXP4ezfXvL8m5e
data_dir: "@DATA_DIR@"
plugin_dir: "@PLUGIN_DIR@"
log_level: info
database:
  url: "@DATABASE_URL@"
server:
  listen: 127.0.0.1:0
  workers: 16
auth:
  jwt_secret: test-secret-please-change-0123456789
  admin_users: ["1"]
jobs:
  janitor: false
plugins:
  testchannel:
    path: "@TEST_PLUGIN_DIR@/testchannel.so"
    channels: [testpay, testpay_wap]
)";
  if (!testchannel_options.empty()) yaml += "    options:\n" + testchannel_options;
  yaml += extra_plugins;
  yaml += "  wallet:\n    options:\n" + wallet_options;
  return yaml;
}

std::unique_ptr<Payhostd> start_host(const std::string& yaml) {
  if (on_postgres() && payhost::testing::postgres_url().empty()) {
    throw std::runtime_error(
        "PAYHOST_TEST_PG_URL is not set: the PostgreSQL suite must run against a server");
  }
  return std::make_unique<Payhostd>(yaml, on_postgres());
}

std::string next_user() {
  static std::atomic<int> next{1000};
  return std::to_string(next++);
}

std::string WalletClient::token(const std::string& user, bool admin) const {
  return host_.token(user, admin);
}

HttpResult WalletClient::get(const std::string& path, const std::string& token) const {
  return host_.get(path, token);
}

HttpResult WalletClient::post(const std::string& path, const Json& body, const std::string& token,
                              std::vector<std::string> headers) const {
  return host_.post_json(path, body.dump(), token, std::move(headers));
}

HttpResult WalletClient::patch(const std::string& path, const Json& body,
                               const std::string& token) const {
  return host_.request("PATCH", path, body.dump(), {"Content-Type: application/json"}, token);
}

Recharge WalletClient::recharge(const std::string& token, const std::string& type,
                                std::int64_t amount, const Json& extra) const {
  Recharge r;
  Json body = {{"type", type}, {"amount", amount}};
  if (!extra.empty()) body["extra"] = extra;
  r.response = post("/api/v2/wallet/recharge", body, token);
  if (r.response.status == 201) {
    const Json j = r.response.json();
    r.record_id = j["id"].get<std::int64_t>();
    r.charge_id = j["charge"]["id"].get<std::string>();
    r.order_no = j["charge"]["order_no"].get<std::string>();
  }
  return r;
}

HttpResult WalletClient::notify(const std::string& order_no, std::int64_t amount,
                                const std::string& status, const std::string& transaction_no,
                                const std::string& payer) const {
  payhost::testing::TestchannelNotice n;
  n.order_no = order_no;
  n.amount = amount;
  n.status = status;
  n.transaction_no = transaction_no;
  n.payer = payer;
  return host_.post_json("/notify/testchannel", payhost::testing::testchannel_notification(n));
}

void WalletClient::set_provider_state(const std::string& order_no, const Json& state) const {
  const auto dir = std::filesystem::path(host_.data_dir()) / "testchannel";
  std::filesystem::create_directories(dir);
  const auto final_path = dir / (order_no + ".json");
  const auto temp_path = dir / (order_no + ".json.tmp");
  std::ofstream(temp_path) << state.dump();
  std::filesystem::rename(temp_path, final_path);  // readers never see half a file
}

std::int64_t WalletClient::fund(const std::string& token, std::int64_t amount) const {
  const Recharge r = recharge(token, "testpay", amount);
  if (r.response.status != 201) {
    throw std::runtime_error("recharge failed: " + std::to_string(r.response.status) + " " +
                             r.response.body);
  }
  const HttpResult n = notify(r.order_no, amount, "paid", "T" + r.order_no);
  if (n.status != 200) {
    throw std::runtime_error("notification refused: " + std::to_string(n.status) + " " + n.body);
  }
  return r.record_id;
}

std::int64_t WalletClient::balance(const std::string& token) const {
  const HttpResult r = get("/api/v2/wallet", token);
  if (r.status != 200) throw std::runtime_error("GET /wallet: " + r.body);
  return r.json()["balance"].get<std::int64_t>();
}

HttpResult WalletClient::cash(const std::string& token, const Json& body) const {
  return post("/api/v2/wallet/cashes", body, token);
}

int WalletClient::audit(std::string* out) const {
  return host_.cli({"wallet", "audit"}, out);
}

void WalletClient::execute_sql(const std::string& statement) const {
  const std::string& url = host_.database_url();
  const std::string sqlite_prefix = "sqlite://";
  soci::session sql;
  if (url.rfind(sqlite_prefix, 0) == 0) {
    sql.open(soci::sqlite3, "db=" + url.substr(sqlite_prefix.size()) + " timeout=10");
  } else {
    sql.open(soci::postgresql, url);
  }
  sql << statement;
}

void run_parallel(int n, const std::function<void(int)>& fn) {
  std::atomic<int> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  threads.reserve(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (!go.load())
        std::this_thread::yield();
      fn(i);
    });
  }
  while (ready.load() < n)
    std::this_thread::yield();
  go = true;
  for (auto& t : threads)
    t.join();
}

::testing::AssertionResult has_field_error(const HttpResult& r, const std::string& field,
                                           const std::string& message) {
  if (r.status != 422) {
    return ::testing::AssertionFailure() << "status " << r.status << ", body " << r.body;
  }
  const Json j = Json::parse(r.body, nullptr, false);
  if (j.is_discarded() || j.value("message", "") != "提交的信息验证错误" || !j.contains("errors") ||
      !j["errors"].contains(field) || !j["errors"][field].is_array() ||
      j["errors"][field].empty() || j["errors"][field][0] != message) {
    return ::testing::AssertionFailure()
           << "expected errors." << field << "[0] = " << message << ", body " << r.body;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult has_message(const HttpResult& r, int status, const Json& message) {
  const Json j = Json::parse(r.body, nullptr, false);
  if (r.status != status || j.is_discarded() || !j.is_object() || j.size() != 1 ||
      !j.contains("message") || j["message"] != message) {
    return ::testing::AssertionFailure()
           << "expected " << status << " {\"message\":" << message.dump() << "}, got " << r.status
           << " " << r.body;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace payhost::wallet::testing
