#include "harness.hpp"

#include <stdexcept>

#include <filesystem>

#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>

#include "acp_form.hpp"
#include "beijing_time.hpp"
#include "certificates.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"

namespace payhost::sandbox_unionpay::testing {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string merchant_signing_string(const Fields& fields) {
  std::vector<std::pair<std::string, std::string>> kept;
  for (const auto& entry : fields) {
    if (entry.first != "signature" && !entry.second.empty()) kept.push_back(entry);
  }
  std::sort(kept.begin(), kept.end());
  std::string out;
  for (std::size_t i = 0; i < kept.size(); ++i) {
    out += (i == 0 ? "" : "&") + kept[i].first + "=" + kept[i].second;
  }
  return out;
}

std::string merchant_signature(const Fields& fields, int key_slot) {
  auto key = sdk::crypto::PrivateKey::parse(test_keypair(key_slot).private_pem);
  const std::string digest = sdk::hex_lower(sdk::crypto::sha256(merchant_signing_string(fields)));
  return sdk::base64_encode(sdk::crypto::rsa_sha256_sign(key.value(), digest).value());
}

bool unionpay_signature_verifies(const Fields& fields, const std::string& pem) {
  auto key = sdk::crypto::PublicKey::parse(pem);
  const auto signature = fields.find("signature");
  if (!key.ok() || signature == fields.end()) return false;
  const auto raw = sdk::base64_decode(signature->second);
  const std::string digest = sdk::hex_lower(sdk::crypto::sha256(merchant_signing_string(fields)));
  return raw && sdk::crypto::rsa_sha256_verify(key.value(), digest, *raw);
}

SandboxHost::SandboxHost(std::string data_dir) : FakeHost(std::move(data_dir)) {
  base_url = "http://sandbox.test";
  time.set(1733384096);  // 2024-12-05 15:34:56 Beijing time
  provider.answer_every(200, "ok");
  static constexpr const char* kNames[] = {
      "unionpay-root",    "unionpay-middle",  "unionpay-sign",    "unionpay-merchant",
      "unionpay-foreign", "unionpay-expired", "unionpay-outsider"};
  for (int slot = 0; slot < 7; ++slot) {
    use_sandbox_keypair(kNames[slot],
                        {test_keypair(slot).private_pem, test_keypair(slot).public_pem});
  }
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "sandbox-unionpay-test-XXXXXX");
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

Harness::Harness(sdk::Json options, bool start, std::string data_dir) : host(std::move(data_dir)) {
  for (const auto& migration : plugin.migrations()) {
    for (const auto& statement : migration.sqlite)
      host.db.session() << statement;
  }
  routes = plugin.routes();
  if (start) started = plugin.start(sdk::Options(std::move(options)), host);
}

std::string Harness::txn_time() const {
  return beijing_digits(host.time.now());
}

std::string Harness::cert_id() const {
  auto contents = read_pkcs12(read_file(pki_dir() + "/merchant.pfx"), "000000");
  return contents.ok() ? serial_decimal(contents->certificate.get()) : "";
}

Fields Harness::consume(const std::string& order_id, long long amount,
                        const std::string& channel_type) const {
  return Fields{{"version", "5.1.0"},
                {"encoding", "UTF-8"},
                {"signMethod", "01"},
                {"txnType", "01"},
                {"txnSubType", "01"},
                {"bizType", "000201"},
                {"channelType", channel_type},
                {"accessType", "0"},
                {"merId", kMerId},
                {"orderId", order_id},
                {"txnTime", txn_time()},
                {"txnAmt", std::to_string(amount)},
                {"currencyCode", "156"},
                {"backUrl", "http://sandbox.test/notify/unionpay"},
                {"payTimeout", beijing_digits(host.time.now() + 3600)},
                {"orderDesc", "沙箱茶叶"},
                {"reqReserved", "ch_" + order_id}};
}

Fields Harness::front(const std::string& order_id, long long amount,
                      const std::string& channel_type) const {
  Fields f = consume(order_id, amount, channel_type);
  f["frontUrl"] = "https://shop.example/unionpay/return?x=1";
  return f;
}

Fields Harness::query(const std::string& order_id, const std::string& txn_time) const {
  return Fields{{"version", "5.1.0"}, {"encoding", "UTF-8"}, {"signMethod", "01"},
                {"txnType", "00"},    {"txnSubType", "00"},  {"bizType", "000000"},
                {"accessType", "0"},  {"merId", kMerId},     {"orderId", order_id},
                {"txnTime", txn_time}};
}

Fields Harness::refund(const std::string& refund_order_id, const std::string& orig_query_id,
                       long long amount) const {
  return Fields{{"version", "5.1.0"},
                {"encoding", "UTF-8"},
                {"signMethod", "01"},
                {"txnType", "04"},
                {"txnSubType", "00"},
                {"bizType", "000201"},
                {"channelType", "07"},
                {"accessType", "0"},
                {"merId", kMerId},
                {"orderId", refund_order_id},
                {"txnTime", txn_time()},
                {"txnAmt", std::to_string(amount)},
                {"origQryId", orig_query_id},
                {"backUrl", "http://sandbox.test/notify/unionpay"}};
}

Answer Harness::post(const std::string& path, const std::string& body) {
  sdk::HttpRequest request;
  request.method = "POST";
  request.path = kBase + path;
  request.body = body;
  request.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8");
  for (const auto& route : routes) {
    if (route.method != "POST" || route.path != request.path) continue;
    EXPECT_EQ(route.auth, sdk::AuthPolicy::none);
    EXPECT_TRUE(route.service_pool);
    const sdk::HttpResponse response = route.handler(request);
    Answer out;
    out.status = response.status;
    out.body = response.body;
    out.fields = parse_raw_answer(response.body).value_or(Fields{});
    out.headers = response.headers;
    return out;
  }
  ADD_FAILURE() << "no route for POST " << request.path;
  return Answer{};
}

Answer Harness::send(const std::string& path, Fields fields, bool sign, int key_slot) {
  if (sign) {
    if (fields.count("certId") == 0) fields["certId"] = cert_id();
    fields.erase("signature");
    fields["signature"] = merchant_signature(fields, key_slot);
  }
  std::vector<std::pair<std::string, std::string>> pairs(fields.begin(), fields.end());
  return post(path, sdk::form_encode(pairs));
}

::testing::AssertionResult Harness::signed_by_unionpay(const Answer& answer) const {
  if (answer.status != 200) return ::testing::AssertionFailure() << "status " << answer.status;
  const auto pem = answer.fields.find("signPubKeyCert");
  if (pem == answer.fields.end()) {
    return ::testing::AssertionFailure() << "no signPubKeyCert in " << answer.body;
  }
  if (pem->second.find("\r\n") == std::string::npos || pem->second.back() == '\n') {
    return ::testing::AssertionFailure() << "signPubKeyCert is not PEM with \\r\\n line ends";
  }
  auto certificate = certificate_from_pem(pem->second);
  auto root = certificate_from_pem(read_file(pki_dir() + "/root.cer"));
  auto middle = certificate_from_pem(read_file(pki_dir() + "/middle.cer"));
  if (!certificate.ok() || !root.ok() || !middle.ok()) {
    return ::testing::AssertionFailure() << "a certificate does not parse";
  }
  if (auto why = chain_error(certificate->get(), root->get(), {middle->get()}, host.time.now())) {
    return ::testing::AssertionFailure() << "signPubKeyCert does not chain: " << *why;
  }
  const std::string cn = common_name(certificate->get());
  if (cn.find("@中国银联股份有限公司@") == std::string::npos) {
    return ::testing::AssertionFailure() << "CN " << cn;
  }
  if (!unionpay_signature_verifies(answer.fields, pem->second)) {
    return ::testing::AssertionFailure() << "the signature does not verify over " << answer.body;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace payhost::sandbox_unionpay::testing
