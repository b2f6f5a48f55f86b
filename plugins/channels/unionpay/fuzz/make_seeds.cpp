// Writes the notification fuzz target's sandbox PKI (keys/, when absent: root and
// intermediate certificates, the merchant .pfx and the UnionPay signing key and certificate
// they vouch for, from the plugin tests' PKI) and its seed corpus (corpus/): notifications
// signed as the tests' stand-in for UnionPay signs them, then a few that must be refused.
// Run once by hand (fuzz/README.md); the output is checked in.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "beijing_time.hpp"
#include "harness.hpp"
#include "payhost/sdk/encoding.hpp"
#include "test_support.hpp"

namespace fs = std::filesystem;
namespace fuzzing = payhost::unionpay::fuzzing;
namespace testing = payhost::unionpay::testing;
using testing::Pairs;

namespace {

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

// The tests' PKI is made afresh in each process: keep one, with the signing key and
// certificate the seeds need.
void write_pki_if_absent(const fs::path& dir) {
  if (fs::exists(dir / "root.cer")) return;
  const auto& pki = testing::pki();
  write(dir / "root.cer", pki.root.pem);
  write(dir / "middle.cer", pki.middle.pem);
  write(dir / "merchant.pfx", pki.merchant_pfx);
  write(dir / "unionpay-sign.pem", pki.sign_key.private_pem);
  write(dir / "unionpay-sign.cer", pki.sign.crlf());
  write(dir / "unionpay-expired.cer", pki.expired.crlf());
}

// As plugin_test.cpp's notification().
Pairs notification(const std::string& amount = "1234", const std::string& resp_code = "00") {
  return {{"accessType", "0"},
          {"bizType", "000201"},
          {"currencyCode", "156"},
          {"encoding", "UTF-8"},
          {"merId", testing::kMerId},
          {"orderId", "20261205083000abcdefghij"},
          {"queryId", "512212051631000000042"},
          {"reqReserved", "ch_0123456789abcdefghijklmn"},
          {"respCode", resp_code},
          {"respMsg", "成功[0000000]"},
          {"settleAmt", amount},
          {"settleCurrencyCode", "156"},
          {"settleDate", "1205"},
          {"signMethod", "01"},
          {"traceNo", "123456"},
          {"traceTime", "1205163100"},
          {"txnAmt", amount},
          {"txnSubType", "01"},
          {"txnTime", payhost::unionpay::format_txn_time(fuzzing::kNow - 30)},
          {"txnType", "01"},
          {"version", "5.1.0"}};
}

}  // namespace

int main() {
  const fs::path keys = fuzzing::kKeyDir;
  write_pki_if_absent(keys);
  const std::string sign_key = fuzzing::read_file(keys / "unionpay-sign.pem");
  const std::string sign_cert = fuzzing::read_file(keys / "unionpay-sign.cer");
  const std::string expired_cert = fuzzing::read_file(keys / "unionpay-expired.cer");
  const auto signed_form = [&](Pairs fields, const std::string& cert) {
    fields.emplace_back("signPubKeyCert", cert);
    fields.emplace_back("signature", testing::sign_pairs(sign_key, fields));
    return payhost::sdk::form_encode(fields);
  };
  const fs::path corpus = fs::path(UNIONPAY_FUZZ_DIR) / "corpus";

  std::vector<std::pair<std::string, std::string>> seeds = {
      {"paid", signed_form(notification(), sign_cert)},
      {"paid_a6", signed_form(notification("100000000", "A6"), sign_cert)},
      {"leading_zero_amount", signed_form(notification("01234"), sign_cert)},
      {"expired_certificate", signed_form(notification(), expired_cert)},
      {"unsigned", payhost::sdk::form_encode(notification())},
      {"garbage", "signature=%%%&signPubKeyCert=-----BEGIN&&=&txnAmt"},
  };
  std::string tampered = seeds[0].second;
  tampered.replace(tampered.find("txnAmt=1234"), 11, "txnAmt=1");
  seeds.emplace_back("tampered", tampered);

  // Each seed must do what its name says, or the corpus would mislead.
  fuzzing::Harness harness;
  for (const auto& [name, body] : seeds) {
    const auto status = harness.plugin.verify_notification(fuzzing::notify_request(body));
    const bool should_pass = name == "paid" || name == "paid_a6";
    if (status.ok() != should_pass) {
      std::cerr << name << ": expected " << (should_pass ? "accepted" : "refused")
                << (status.ok() ? std::string() : ", got " + status.error().code) << "\n";
      return 1;
    }
    write(corpus / name, body);
  }
  std::cout << "wrote " << seeds.size() << " seeds to " << corpus << "\n";
  return 0;
}
