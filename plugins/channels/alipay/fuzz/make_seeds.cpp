// Writes the notification fuzz target's key pairs (keys/, when absent) and its seed corpus
// (corpus/): notifications signed the way the plugin's tests sign them (rsaCheckV1 rules:
// sorted pairs without sign and sign_type, RSA2 with the sandbox platform key), then a few
// that must be refused. Run once by hand (fuzz/README.md); the output is checked in.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "harness.hpp"
#include "payhost/sdk/crypto.hpp"
#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/http.hpp"
#include "signing.hpp"

namespace fs = std::filesystem;
using payhost::alipay::Params;
namespace fuzzing = payhost::alipay::fuzzing;

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

// As plugin_test.cpp's paid_notification().
Params paid(const std::string& trade_status, const std::string& amount) {
  return {{"notify_type", "trade_status_sync"},
          {"notify_id", "2023122101222162644199160501632046"},
          {"notify_time", "2023-12-21 16:26:45"},
          {"app_id", "9021000000000001"},
          {"charset", "utf-8"},
          {"version", "1.0"},
          {"trade_no", "2023122122001499160501589436"},
          {"out_trade_no", "20231221A001"},
          {"buyer_logon_id", "ifv***@sandbox.com"},
          {"seller_id", "2088721003899159"},
          {"trade_status", trade_status},
          {"total_amount", amount},
          {"subject", "Top-up + more"},
          {"gmt_create", "2023-12-21 16:26:32"},
          {"gmt_payment", "2023-12-21 16:26:43"},
          {"fund_bill_list", R"([{"amount":"12.34","fundChannel":"ALIPAYACCOUNT"}])"}};
}

std::string signed_form(Params params, const std::string& private_pem) {
  auto key = payhost::alipay::load_private_key(private_pem);
  auto sign = payhost::alipay::rsa2_sign(
      *key, payhost::alipay::sign_content(params, {"sign", "sign_type"}));
  params.emplace_back("sign", *sign);
  params.emplace_back("sign_type", "RSA2");
  return payhost::sdk::form_encode(params);
}

}  // namespace

int main() {
  make_pair_if_absent("merchant");
  make_pair_if_absent("platform");
  const std::string platform = fuzzing::read_pair("platform").private_key;
  const std::string merchant = fuzzing::read_pair("merchant").private_key;
  const fs::path corpus = fs::path(ALIPAY_FUZZ_DIR) / "corpus";

  std::vector<std::pair<std::string, std::string>> seeds = {
      {"paid", signed_form(paid("TRADE_SUCCESS", "12.34"), platform)},
      {"finished", signed_form(paid("TRADE_FINISHED", "0.01"), platform)},
      {"closed", signed_form(paid("TRADE_CLOSED", "12.34"), platform)},
      {"waiting", signed_form(paid("WAIT_BUYER_PAY", "100000000.00"), platform)},
      {"bad_amount", signed_form(paid("TRADE_SUCCESS", "12.345"), platform)},
      {"forged", signed_form(paid("TRADE_SUCCESS", "12.34"), merchant)},
      {"unsigned", payhost::sdk::form_encode(paid("TRADE_SUCCESS", "12.34"))},
      {"garbage", "sign=%%%&sign_type=RSA2&&=&total_amount"},
  };
  std::string tampered = seeds[0].second;
  tampered.replace(tampered.find("total_amount=12.34"), 18, "total_amount=0.01");
  seeds.emplace_back("tampered", tampered);

  // Each seed must do what its name says, or the corpus would mislead.
  fuzzing::Harness harness;
  for (const auto& [name, body] : seeds) {
    const auto status = harness.plugin.verify_notification(fuzzing::notify_request(body));
    const bool should_pass =
        name == "paid" || name == "finished" || name == "closed" || name == "waiting";
    if (status.ok() != should_pass) {
      std::cerr << name << ": expected " << (should_pass ? "accepted" : "refused") << "\n";
      return 1;
    }
    write(corpus / name, body);
  }
  std::cout << "wrote " << seeds.size() << " seeds to " << corpus << "\n";
  return 0;
}
