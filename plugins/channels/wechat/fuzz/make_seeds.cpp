// Writes the notification fuzz target's key pairs (keys/, when absent) and its seed corpus
// (corpus/): notifications made with the plugin tests' stand-in for WeChat Pay
// (tests/test_support.hpp: signed headers, the sealed envelope) with the sandbox platform
// key and its APIv3 key, then a few that must be refused. Run once by hand
// (fuzz/README.md); the output is checked in.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/json.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace fuzzing = payhost::wechat::fuzzing;
namespace testing = payhost::wechat::testing;
using payhost::sdk::Json;

namespace {

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

void make_pair_if_absent(const std::string& name) {
  const fs::path dir = fuzzing::kKeyDir;
  if (fs::exists(dir / (name + ".pem"))) return;
  auto pair = payhost::sdk::crypto::generate_rsa_keypair(2048);
  if (!pair) throw std::runtime_error("keygen failed");
  write(dir / (name + ".pem"), pair->private_key_pem);
  write(dir / (name + ".pub.pem"), pair->public_key_pem);
}

// As plugin_test.cpp's transaction().
Json transaction(const std::string& trade_state, std::int64_t total = 1234) {
  Json tx = {{"appid", "wxd678efh567hg6787"},
             {"mchid", "1230000109"},
             {"out_trade_no", "20261205A001"},
             {"transaction_id", "4200001234202612050123456789"},
             {"trade_type", "APP"},
             {"trade_state", trade_state},
             {"trade_state_desc", "ok"},
             {"bank_type", "OTHERS"},
             {"attach", "ch_0123456789abcdefghijklmn"},
             {"success_time", "2026-12-05T16:29:30+08:00"},
             {"payer", {{"openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"}}},
             {"amount", {{"total", total}, {"payer_total", total}, {"currency", "CNY"}}}};
  if (trade_state != "SUCCESS" && trade_state != "REFUND") {
    tx.erase("transaction_id");
    tx.erase("success_time");
    tx.erase("payer");
  }
  return tx;
}

struct Maker {
  payhost::sdk::KeyPairPem platform = fuzzing::read_pair("platform");
  std::string serial = payhost::wechat::sandbox_certificate_serial(platform.public_key);

  testing::Envelope envelope() const {
    testing::Envelope e;
    e.key = payhost::wechat::sandbox_api_v3_key(platform.public_key);
    return e;
  }
  std::string signed_input(const std::string& body, std::int64_t ts = fuzzing::kNow) const {
    auto headers = testing::wechat_signed_headers(body, ts, serial, platform.private_key);
    headers.add("Wechatpay-Signature-Type", "WECHATPAY2-SHA256-RSA2048");
    headers.add("Content-Type", "application/json");
    return fuzzing::to_input(headers, body);
  }
  std::string sealed(const Json& tx, const testing::Envelope& e) const {
    return testing::sealed_notification_body(payhost::sdk::json_dump(tx), e);
  }
};

}  // namespace

int main() {
  make_pair_if_absent("merchant");
  make_pair_if_absent("platform");
  const Maker m;
  const fs::path corpus = fs::path(WECHAT_FUZZ_DIR) / "corpus";

  testing::Envelope wrong_key = m.envelope();
  wrong_key.key = "0123456789abcdef0123456789abcdef";
  testing::Envelope refund_event = m.envelope();
  refund_event.event_type = "REFUND.SUCCESS";
  const std::string paid_body = m.sealed(transaction("SUCCESS"), m.envelope());

  std::vector<std::pair<std::string, std::string>> seeds = {
      {"paid", m.signed_input(paid_body)},
      {"closed", m.signed_input(m.sealed(transaction("CLOSED"), m.envelope()))},
      {"payerror", m.signed_input(m.sealed(transaction("PAYERROR"), m.envelope()))},
      {"by_public_key_id",
       fuzzing::to_input(testing::wechat_signed_headers(
                             paid_body, fuzzing::kNow,
                             payhost::wechat::sandbox_public_key_id(m.platform.public_key),
                             m.platform.private_key),
                         paid_body)},
      {"stale", m.signed_input(paid_body, fuzzing::kNow - 3600)},
      {"wrong_apiv3_key", m.signed_input(m.sealed(transaction("SUCCESS"), wrong_key))},
      {"refund_event", m.signed_input(m.sealed(transaction("SUCCESS"), refund_event))},
      {"zero_amount", m.signed_input(m.sealed(transaction("SUCCESS", 0), m.envelope()))},
      {"not_json", m.signed_input("{\"resource\":")},
      {"no_headers", "\n" + paid_body},
  };
  std::string tampered = seeds[0].second;
  tampered.replace(tampered.find("\"summary\""), 9, "\"Summary\"");
  seeds.emplace_back("tampered", tampered);

  // Each seed must do what its name says, or the corpus would mislead.
  fuzzing::Harness harness;
  for (const auto& [name, input] : seeds) {
    const auto status = harness.plugin.verify_notification(fuzzing::notify_request(input));
    // A TRANSACTION.SUCCESS event about a trade in another state is refused too; a zero
    // total passes here and is refused by the host, which checks it against the charge.
    const bool should_pass = name == "paid" || name == "by_public_key_id" || name == "zero_amount";
    if (status.ok() != should_pass) {
      std::cerr << name << ": expected " << (should_pass ? "accepted" : "refused")
                << (status.ok() ? std::string() : ", got " + status.error().code) << "\n";
      return 1;
    }
    write(corpus / name, input);
  }
  std::cout << "wrote " << seeds.size() << " seeds to " << corpus << "\n";
  return 0;
}
