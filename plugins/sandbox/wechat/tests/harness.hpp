// The plugin started on the kit's FakeHost, with a merchant-side client that signs requests as
// the wechat channel would (with the SDK's crypto: an implementation independent of the
// simulator's), a router for the plugin's routes, and checks of WeChat's answer signatures
// (with the simulator's own verify function and the platform public key).
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "payhost/sdk/json.hpp"
#include "payhost/sdk/testing/fake_host.hpp"
#include "sandbox_wechat_plugin.hpp"
#include "test_keys.hpp"

namespace payhost::sandbox_wechat::testing {

// The kit's host as the simulator's tests want it: "wechat-merchant" and "wechat-platform"
// are test keys 0 and 1, notifications go to http://sandbox.test and the merchant answers
// 200 with no body (WeChat's "received").
class SandboxHost : public sdk::testing::FakeHost {
 public:
  SandboxHost();
};

struct Answer {
  int status = 0;
  std::string body;
  sdk::Json json;  // parsed body, or discarded
  sdk::Headers headers;
};

// How a request is signed; each member left empty takes the correct value.
struct Signing {
  std::optional<std::string> header;  // the whole Authorization header
  std::optional<std::string> mchid;
  std::optional<std::string> serial_no;
  std::optional<std::int64_t> timestamp;
  std::optional<std::string> signed_method;
  std::optional<std::string> signed_url;
  std::optional<std::string> signed_body;
  int key_slot = 0;  // test key whose private half signs (0: the merchant's)
};

class Harness {
 public:
  explicit Harness(sdk::Json options = sdk::Json::object(), bool start = true);

  // Sends a request through the plugin's own route table; `target` is path plus optional
  // "?query", exactly as on the wire.
  Answer call(const std::string& method, const std::string& target, const std::string& body,
              const Signing& signing = {},
              const std::vector<std::pair<std::string, std::string>>& extra_headers = {});
  Answer post(const std::string& path, const sdk::Json& body, const Signing& signing = {});
  Answer get(const std::string& path, const Signing& signing = {});

  // Wechatpay-Timestamp/-Nonce/-Signature/-Serial present, the serial the expected one,
  // Request-ID set, and the signature verifying over the exact body.
  ::testing::AssertionResult signed_by_platform(const Answer& answer) const;

  std::string authorization(const std::string& method, const std::string& url,
                            const std::string& body, const Signing& signing) const;

  // A prepay body for `kind` ("app", "h5", "jsapi", "native") that the API accepts.
  static sdk::Json prepay_body(const std::string& kind, const std::string& out_trade_no,
                               long long amount);

  std::string merchant_serial() const;
  std::string platform_serial() const;

  SandboxHost host;
  SandboxWechatPlugin plugin;
  sdk::Status started;
  std::vector<sdk::Route> routes;
  std::string expected_serial;  // what Wechatpay-Serial must say
};

inline constexpr const char* kBase = "/sandbox/wechat";

}  // namespace payhost::sandbox_wechat::testing
