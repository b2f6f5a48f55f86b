#include "harness.hpp"

#include <gtest/gtest.h>

#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "rsa_sha256.hpp"
#include "test_keys.hpp"

namespace payhost::sandbox_wechat::testing {
namespace {

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 1;
  while (start <= path.size()) {
    const std::size_t end = std::min(path.find('/', start), path.size());
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string serial_of(const std::string& pem) {
  return sdk::hex_upper(sdk::crypto::sha256(pem)).substr(0, 40);
}

}  // namespace

SandboxHost::SandboxHost() {
  base_url = "http://sandbox.test";
  time.set(1703141677);  // 2023-12-21T14:54:37+08:00
  provider.answer_every(200, "");
  use_sandbox_keypair("wechat-merchant", {test_keypair(0).private_pem, test_keypair(0).public_pem});
  use_sandbox_keypair("wechat-platform", {test_keypair(1).private_pem, test_keypair(1).public_pem});
}

Harness::Harness(sdk::Json options, bool start) {
  for (const auto& migration : plugin.migrations()) {
    for (const auto& statement : migration.sqlite)
      host.db.session() << statement;
  }
  routes = plugin.routes();
  if (options.value("serial_style", "") == "public_key") {
    const std::string digest = sdk::crypto::sha256(test_keypair(1).public_pem);
    expected_serial = "PUB_KEY_ID_";
    for (int i = 0; i < 32; ++i)
      expected_serial += static_cast<char>('0' + static_cast<unsigned char>(digest[i]) % 10);
  } else {
    expected_serial = platform_serial();
  }
  if (start) started = plugin.start(sdk::Options(std::move(options)), host);
}

std::string Harness::merchant_serial() const {
  return serial_of(test_keypair(0).public_pem);
}

std::string Harness::platform_serial() const {
  return serial_of(test_keypair(1).public_pem);
}

std::string Harness::authorization(const std::string& method, const std::string& url,
                                   const std::string& body, const Signing& signing) const {
  if (signing.header) return *signing.header;
  const std::string mchid = signing.mchid.value_or("1230000109");
  const std::string serial = signing.serial_no.value_or(merchant_serial());
  const std::string timestamp = std::to_string(signing.timestamp.value_or(host.time.now()));
  const std::string nonce = sdk::crypto::random_alnum(32);
  const std::string message = signing.signed_method.value_or(method) + "\n" +
                              signing.signed_url.value_or(url) + "\n" + timestamp + "\n" + nonce +
                              "\n" + signing.signed_body.value_or(body) + "\n";
  auto key = sdk::crypto::PrivateKey::parse(test_keypair(signing.key_slot).private_pem);
  auto signature = sdk::crypto::rsa_sha256_sign(key.value(), message);
  return "WECHATPAY2-SHA256-RSA2048 mchid=\"" + mchid + "\",nonce_str=\"" + nonce +
         "\",signature=\"" + sdk::base64_encode(signature.value()) + "\",timestamp=\"" + timestamp +
         "\",serial_no=\"" + serial + "\"";
}

Answer Harness::call(const std::string& method, const std::string& target, const std::string& body,
                     const Signing& signing,
                     const std::vector<std::pair<std::string, std::string>>& extra_headers) {
  sdk::HttpRequest request;
  request.method = method;
  const std::size_t question = target.find('?');
  request.path = target.substr(0, question);
  if (question != std::string::npos) {
    request.raw_query = target.substr(question + 1);
    request.query = sdk::parse_form_map(request.raw_query);
  }
  request.body = body;
  request.headers.add("Accept", "application/json");
  if (!body.empty()) request.headers.add("Content-Type", "application/json");
  request.headers.add("Authorization", authorization(method, target, body, signing));
  for (const auto& [name, value] : extra_headers)
    request.headers.add(name, value);

  const auto wanted = segments(request.path);
  for (const auto& route : routes) {
    if (route.method != method) continue;
    const auto pattern = segments(route.path);
    if (pattern.size() != wanted.size()) continue;
    std::map<std::string, std::string> params;
    bool match = true;
    for (std::size_t i = 0; i < pattern.size() && match; ++i) {
      if (pattern[i].size() > 2 && pattern[i].front() == '{') {
        params[pattern[i].substr(1, pattern[i].size() - 2)] = wanted[i];
      } else {
        match = pattern[i] == wanted[i];
      }
    }
    if (!match) continue;
    EXPECT_EQ(route.auth, sdk::AuthPolicy::none);
    EXPECT_TRUE(route.service_pool);
    request.path_params = std::move(params);
    const sdk::HttpResponse response = route.handler(request);
    Answer out{response.status, response.body, sdk::parse_json(response.body), response.headers};
    return out;
  }
  ADD_FAILURE() << "no route for " << method << " " << target;
  return Answer{404, "", sdk::Json(sdk::Json::value_t::discarded), {}};
}

Answer Harness::post(const std::string& path, const sdk::Json& body, const Signing& signing) {
  return call("POST", kBase + path, body.dump(), signing);
}

Answer Harness::get(const std::string& path, const Signing& signing) {
  return call("GET", kBase + path, "", signing);
}

::testing::AssertionResult Harness::signed_by_platform(const Answer& answer) const {
  const auto timestamp = answer.headers.get("Wechatpay-Timestamp");
  const auto nonce = answer.headers.get("Wechatpay-Nonce");
  const auto signature = answer.headers.get("Wechatpay-Signature");
  const auto serial = answer.headers.get("Wechatpay-Serial");
  const auto request_id = answer.headers.get("Request-ID");
  if (!timestamp || !nonce || !signature || !serial || !request_id || request_id->empty()) {
    return ::testing::AssertionFailure() << "a Wechatpay-* header or Request-ID is missing";
  }
  if (*serial != expected_serial) {
    return ::testing::AssertionFailure()
           << "Wechatpay-Serial " << *serial << ", expected " << expected_serial;
  }
  if (*timestamp != std::to_string(host.time.now())) {
    return ::testing::AssertionFailure() << "Wechatpay-Timestamp " << *timestamp;
  }
  auto key = RsaKey::public_from_pem(test_keypair(1).public_pem);
  if (!key.ok()) return ::testing::AssertionFailure() << "platform key";
  const std::string message = *timestamp + "\n" + *nonce + "\n" + answer.body + "\n";
  if (!rsa_verify_base64(*key, message, *signature)) {
    return ::testing::AssertionFailure() << "the signature does not verify over the body";
  }
  return ::testing::AssertionSuccess();
}

sdk::Json Harness::prepay_body(const std::string& kind, const std::string& out_trade_no,
                               long long amount) {
  sdk::Json body = {{"appid", "wxd678efh567hg6787"},
                    {"mchid", "1230000109"},
                    {"description", "沙箱茶叶"},
                    {"out_trade_no", out_trade_no},
                    {"time_expire", "2023-12-21T16:54:37+08:00"},
                    {"attach", "ch_" + out_trade_no},
                    {"notify_url", "http://sandbox.test/notify/wechat"},
                    {"amount", {{"total", amount}, {"currency", "CNY"}}}};
  if (kind == "jsapi") body["payer"] = {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}};
  if (kind == "h5") {
    body["scene_info"] = {{"payer_client_ip", "127.0.0.1"}, {"h5_info", {{"type", "Wap"}}}};
  }
  return body;
}

}  // namespace payhost::sandbox_wechat::testing
