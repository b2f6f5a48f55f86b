// Flow tests: one payhostd serves a whole suite (it is slow enough to start that each test
// uses its own charges instead), created through the test product, paid on the sandbox
// cashier and checked through the product's settlement counter and /metrics.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "support/harness.hpp"

namespace payhost::testing {

// `Suite` provides `static const char* config()` (a complete payhostd config) and
// `static bool postgres()`.
template <typename Suite>
class FlowSuite : public ::testing::Test {
 protected:
  using Json = nlohmann::ordered_json;

  static void SetUpTestSuite() {
    if (Suite::postgres() && postgres_url().empty()) return;  // SetUp fails
    try {
      host_ = std::make_unique<Payhostd>(Suite::config(), Suite::postgres());
    } catch (const std::exception& e) {
      start_error_ = e.what();
    }
  }
  static void TearDownTestSuite() { host_.reset(); }

  void SetUp() override {
    if (Suite::postgres() && postgres_url().empty()) {
      FAIL() << "PAYHOST_TEST_PG_URL is not set; CI always sets it, so this is an error";
    }
    ASSERT_TRUE(host_) << "payhostd did not start: " << start_error_;
  }

  static Payhostd& host() { return *host_; }

  // Each helper asks host(), or `on`: a second payhostd on the same database.

  // POST /test/charges; the Ping++ charge, or {} after a failed expectation.
  static Json create(const Payhostd& on, const std::string& channel, long long amount,
                     const std::string& subject, const Json& extra) {
    const HttpResult r = on.post_json(
        "/test/charges",
        Json{{"channel", channel}, {"amount", amount}, {"subject", subject}, {"extra", extra}}
            .dump());
    EXPECT_EQ(r.status, 201) << channel << ": " << r.body;
    return r.status == 201 ? r.json() : Json::object();
  }
  static Json create(const std::string& channel, long long amount, const std::string& subject,
                     const Json& extra) {
    return create(host(), channel, amount, subject, extra);
  }

  static Json charge(const Payhostd& on, const std::string& id) {
    const HttpResult r = on.get("/test/charges/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json() : Json::object();
  }
  static Json charge(const std::string& id) { return charge(host(), id); }

  // How many times the product's settlement hook committed for this charge.
  static int settlements(const Payhostd& on, const Json& charge) {
    const HttpResult r =
        on.get("/test/orders/" + charge["metadata"].value("order_ref", std::string("?")));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().value("succeeded_calls", -1) : -1;
  }
  static int settlements(const Json& charge) { return settlements(host(), charge); }

  // The cashier's pay, fail or close, answered as JSON. Accept: application/json is the
  // contract; ?format=json is there because Pistache 0.0.5 loses the Accept value.
  static HttpResult cashier(const Payhostd& on, const std::string& id, const std::string& action) {
    return on.request("POST", "/sandbox/cashier/" + id + "/" + action + "?format=json", "",
                      {"Accept: application/json"});
  }
  static HttpResult cashier(const std::string& id, const std::string& action) {
    return cashier(host(), id, action);
  }
  static HttpResult pay(const Payhostd& on, const std::string& id) {
    return cashier(on, id, "pay");
  }
  static HttpResult pay(const std::string& id) { return cashier(host(), id, "pay"); }

  // One /metrics series (0 when absent).
  static double metric(const Payhostd& on, const std::string& series) {
    const HttpResult r = on.get("/metrics");
    EXPECT_EQ(r.status, 200);
    std::size_t at = 0;
    while ((at = r.body.find(series + " ", at)) != std::string::npos) {
      if (at == 0 || r.body[at - 1] == '\n')
        return std::stod(r.body.substr(at + series.size() + 1));
      ++at;
    }
    return 0;
  }
  static double metric(const std::string& series) { return metric(host(), series); }

 private:
  static inline std::unique_ptr<Payhostd> host_;
  static inline std::string start_error_;
};

}  // namespace payhost::testing
