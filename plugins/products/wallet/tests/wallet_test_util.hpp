// Helpers for the wallet's integration suites: configs, funding a wallet through a real
// charge and a signed test-channel notification, parallel requests.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/harness.hpp"

namespace payhost::wallet::testing {

using payhost::testing::HttpResult;
using payhost::testing::Payhostd;
using Json = nlohmann::ordered_json;

// The suites are compiled twice: once for SQLite, once (WALLET_TEST_POSTGRES) for PostgreSQL.
bool on_postgres();

// A complete payhostd config with the test channel, `extra_plugins` (YAML lines indented
// under `plugins:`) and the wallet's options block (YAML lines indented under `options:`).
std::string wallet_config(const std::string& wallet_options, const std::string& extra_plugins = "",
                          const std::string& testchannel_options = "");

// Starts payhostd on the suite's database (PostgreSQL when on_postgres(); failing, not
// skipping, when PAYHOST_TEST_PG_URL is missing).
std::unique_ptr<Payhostd> start_host(const std::string& yaml);

// Fresh user ids so tests sharing one host never see each other's data.
std::string next_user();

struct Recharge {
  HttpResult response;
  std::int64_t record_id = 0;
  std::string charge_id;
  std::string order_no;
};

class WalletClient {
 public:
  explicit WalletClient(const Payhostd& host) : host_(host) {}

  const Payhostd& host() const { return host_; }
  std::string token(const std::string& user, bool admin = false) const;

  HttpResult get(const std::string& path, const std::string& token) const;
  HttpResult post(const std::string& path, const Json& body, const std::string& token,
                  std::vector<std::string> headers = {}) const;
  HttpResult patch(const std::string& path, const Json& body, const std::string& token) const;

  Recharge recharge(const std::string& token, const std::string& type, std::int64_t amount,
                    const Json& extra = Json::object()) const;
  // POST /notify/testchannel, signed like the test channel's provider would.
  HttpResult notify(const std::string& order_no, std::int64_t amount,
                    const std::string& status = "paid", const std::string& transaction_no = "T123",
                    const std::string& payer = "") const;
  // What the test channel's "provider" answers to queries for this order.
  void set_provider_state(const std::string& order_no, const Json& state) const;
  // Recharge through testpay and settle it by notification; returns the record id.
  std::int64_t fund(const std::string& token, std::int64_t amount) const;
  std::int64_t balance(const std::string& token) const;
  HttpResult cash(const std::string& token, const Json& body) const;
  // `payhostd wallet audit`
  int audit(std::string* out = nullptr) const;
  // Runs one SQL statement on the host's database, behind the API's back (tamper tests).
  void execute_sql(const std::string& statement) const;

 private:
  const Payhostd& host_;
};

// Runs fn(i) for i in [0, n) on n threads that start together.
void run_parallel(int n, const std::function<void(int)>& fn);

// 422 {"message":"提交的信息验证错误","errors":{field:[message]}} with that first message.
::testing::AssertionResult has_field_error(const HttpResult& r, const std::string& field,
                                           const std::string& message);
// status and {"message": message} (message may be a string or a one-element list).
::testing::AssertionResult has_message(const HttpResult& r, int status, const Json& message);

}  // namespace payhost::wallet::testing
