// The sandbox's certificates: created once in <data_dir>/sandbox-unionpay with the chain,
// names and files the unionpay channel expects, reused by later starts and by other hosts
// racing on the same directory, and refused when they no longer fit the sandbox keys.
#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <openssl/evp.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "certificates.hpp"
#include "harness.hpp"
#include "sandbox_pki.hpp"
#include "test_keys.hpp"

namespace payhost::sandbox_unionpay {
namespace {

using testing::read_file;
using testing::SandboxHost;

const char* const kFiles[] = {"root.cer",    "middle.cer",        "sign.cer",     "foreign.cer",
                              "expired.cer", "outsider-root.cer", "outsider.cer", "merchant.pfx"};

std::map<std::string, std::string> snapshot(const std::string& directory) {
  std::map<std::string, std::string> out;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    out[entry.path().filename().string()] = read_file(entry.path().string());
  }
  return out;
}

Certificate load(const std::string& directory, const char* name) {
  auto certificate = certificate_from_pem(read_file(directory + "/" + name));
  EXPECT_TRUE(certificate.ok()) << name;
  return certificate.ok() ? std::move(certificate.value()) : Certificate();
}

// The CN split on '@', as the official SDK's check does.
std::vector<std::string> cn_parts(const std::string& cn) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t at = cn.find('@', start);
    parts.push_back(cn.substr(start, at - start));
    if (at == std::string::npos) break;
    start = at + 1;
  }
  return parts;
}

TEST(SandboxPki, FirstStartCreatesTheChainTheChannelExpects) {
  SandboxHost host;
  auto pki = ensure_pki(host, "777290058167151");
  ASSERT_TRUE(pki.ok()) << pki.error().message;
  const std::string dir = host.data_dir() + "/sandbox-unionpay";
  EXPECT_EQ(pki->directory, dir);
  for (const char* name : kFiles) {
    struct stat info {};
    ASSERT_EQ(::stat((dir + "/" + name).c_str(), &info), 0) << name;
    EXPECT_EQ(info.st_mode & 0777, 0600u) << name;
  }
  EXPECT_EQ(snapshot(dir).size(), std::size(kFiles)) << "no temporary file is left behind";

  const auto root = load(dir, "root.cer");
  const auto middle = load(dir, "middle.cer");
  const auto sign = load(dir, "sign.cer");
  EXPECT_EQ(common_name(root.get()), "payhost sandbox UnionPay root");
  EXPECT_EQ(common_name(middle.get()), "payhost sandbox UnionPay intermediate");
  EXPECT_EQ(X509_check_issued(root.get(), root.get()), X509_V_OK) << "root is self-signed";
  EXPECT_EQ(X509_check_ca(root.get()), 1);
  EXPECT_EQ(X509_check_ca(middle.get()), 1);
  EXPECT_EQ(X509_check_ca(sign.get()), 0);
  const auto now = host.time.now();
  EXPECT_FALSE((chain_error(middle.get(), root.get(), {}, now)).has_value());
  EXPECT_FALSE((chain_error(sign.get(), root.get(), {middle.get()}, now)).has_value());
  EXPECT_TRUE((chain_error(sign.get(), root.get(), {}, now)).has_value())
      << "the sign certificate needs the intermediate";
  // Valid from a day before creation for ten years.
  EXPECT_FALSE(
      (chain_error(sign.get(), root.get(), {middle.get()}, now + 9 * 365 * 86400)).has_value());
  EXPECT_TRUE(
      (chain_error(sign.get(), root.get(), {middle.get()}, now + 11 * 365 * 86400)).has_value());
  EXPECT_FALSE((chain_error(sign.get(), root.get(), {middle.get()}, now - 3600)).has_value());

  // UnionPay's CN rule: 041@<15 digits>@中国银联股份有限公司@<8 digits>.
  const std::string sign_cn = common_name(sign.get());
  EXPECT_TRUE(std::regex_match(sign_cn, std::regex("041@[0-9]{15}@中国银联股份有限公司@[0-9]{8}")))
      << sign_cn;
  EXPECT_EQ(cn_parts(sign_cn).at(2), "中国银联股份有限公司");
  EXPECT_EQ(pki->unionpay.common_name, sign_cn);
  auto sign_key = RsaKey::private_from_pem(testing::test_keypair(testing::kSignSlot).private_pem);
  EXPECT_TRUE(certificate_matches_key(sign.get(), *sign_key));
  // signPubKeyCert: the same certificate, \r\n between lines, none after the END line.
  const std::string crlf = pki->unionpay.certificate_pem_crlf;
  EXPECT_EQ(crlf.rfind("-----BEGIN CERTIFICATE-----\r\n", 0), 0u);
  EXPECT_EQ(crlf.substr(crlf.size() - 25), "-----END CERTIFICATE-----");
  EXPECT_EQ(crlf.find("\n-"), crlf.find("\r\n-") + 1);
  auto reparsed = certificate_from_pem(crlf);
  ASSERT_TRUE(reparsed.ok());
  EXPECT_EQ(X509_cmp(reparsed->get(), sign.get()), 0);

  // The tamper identities: a foreign CN under the sandbox CA, an expired one, and one
  // with UnionPay's CN under a root of its own.
  const auto foreign = load(dir, "foreign.cer");
  EXPECT_FALSE((chain_error(foreign.get(), root.get(), {middle.get()}, now)).has_value());
  EXPECT_NE(cn_parts(common_name(foreign.get())).at(2), "中国银联股份有限公司");
  const auto expired = load(dir, "expired.cer");
  EXPECT_EQ(cn_parts(common_name(expired.get())).at(2), "中国银联股份有限公司");
  const auto expired_why = chain_error(expired.get(), root.get(), {middle.get()}, now);
  ASSERT_TRUE(expired_why.has_value());
  EXPECT_NE(expired_why->find("expired"), std::string::npos) << *expired_why;
  // Only its dates are wrong: middle issued it and its signature holds.
  EXPECT_EQ(X509_check_issued(middle.get(), expired.get()), X509_V_OK);
  EXPECT_EQ(X509_verify(expired.get(), X509_get0_pubkey(middle.get())), 1);
  const auto outsider = load(dir, "outsider.cer");
  const auto outsider_root = load(dir, "outsider-root.cer");
  EXPECT_EQ(cn_parts(common_name(outsider.get())).at(2), "中国银联股份有限公司");
  EXPECT_TRUE((chain_error(outsider.get(), root.get(), {middle.get()}, now)).has_value());
  EXPECT_FALSE((chain_error(outsider.get(), outsider_root.get(), {}, now)).has_value());
}

TEST(SandboxPki, MerchantPfxOpensWithItsPasswordAndNamesTheCertId) {
  SandboxHost host;
  auto pki = ensure_pki(host, "777290058167151");
  ASSERT_TRUE(pki.ok()) << pki.error().message;
  const std::string dir = host.data_dir() + "/sandbox-unionpay";
  const std::string der = read_file(dir + "/merchant.pfx");
  EXPECT_FALSE(read_pkcs12(der, "000001").ok());
  auto pfx = read_pkcs12(der, "000000");
  ASSERT_TRUE(pfx.ok()) << pfx.error().message;
  auto merchant_key =
      RsaKey::private_from_pem(testing::test_keypair(testing::kMerchantSlot).private_pem);
  EXPECT_TRUE(certificate_matches_key(pfx->certificate.get(), *merchant_key));
  EXPECT_EQ(EVP_PKEY_eq(pfx->key.get(), merchant_key->get()), 1) << "the pfx holds the key";
  int alias_length = 0;
  const unsigned char* alias = X509_alias_get0(pfx->certificate.get(), &alias_length);
  ASSERT_NE(alias, nullptr);
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(alias), alias_length),
            "payhost sandbox merchant");
  const std::string cn = common_name(pfx->certificate.get());
  EXPECT_TRUE(std::regex_match(
      cn, std::regex("041@Z[0-9]{4}-[0-9]{2}-[0-9]{2}@777290058167151:SIGN@00000001")))
      << cn;
  EXPECT_EQ(cn, "041@Z2024-12-05@777290058167151:SIGN@00000001");
  // certId: the serial in decimal, as BN_bn2dec writes it.
  const std::string cert_id = serial_decimal(pfx->certificate.get());
  EXPECT_TRUE(std::regex_match(cert_id, std::regex("[1-9][0-9]{9,13}"))) << cert_id;
  EXPECT_EQ(pki->merchant_cert_id, cert_id);
  // The chain travels with it (intermediate and root), and the certificate chains.
  ASSERT_EQ(pfx->chain.size(), 2u);
  const auto root = load(dir, "root.cer");
  const auto middle = load(dir, "middle.cer");
  EXPECT_FALSE((chain_error(pfx->certificate.get(), root.get(), {middle.get()}, host.time.now()))
                   .has_value());
}

TEST(SandboxPki, LaterStartsAndRacingHostsKeepOneSet) {
  testing::TempDir shared;
  SandboxHost first(shared.path());
  auto created = ensure_pki(first, "777290058167151");
  ASSERT_TRUE(created.ok()) << created.error().message;
  const auto before = snapshot(shared.path() + "/sandbox-unionpay");
  // A later start (a day later) changes nothing.
  SandboxHost again(shared.path());
  again.time.advance(std::chrono::seconds(86400));
  auto reused = ensure_pki(again, "777290058167151");
  ASSERT_TRUE(reused.ok()) << reused.error().message;
  EXPECT_EQ(snapshot(shared.path() + "/sandbox-unionpay"), before);
  EXPECT_EQ(reused->merchant_cert_id, created->merchant_cert_id);

  // Eight hosts starting together on an empty directory all end up with the same set.
  testing::TempDir racing;
  std::vector<std::unique_ptr<SandboxHost>> hosts;
  for (int i = 0; i < 8; ++i)
    hosts.push_back(std::make_unique<SandboxHost>(racing.path()));
  std::vector<std::string> cert_ids(hosts.size()), signers(hosts.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < hosts.size(); ++i) {
    threads.emplace_back([&, i] {
      auto pki = ensure_pki(*hosts[i], "777290058167151");
      ASSERT_TRUE(pki.ok()) << pki.error().message;
      cert_ids[i] = pki->merchant_cert_id;
      signers[i] = pki->unionpay.certificate_pem_crlf;
    });
  }
  for (auto& t : threads)
    t.join();
  for (std::size_t i = 1; i < hosts.size(); ++i) {
    EXPECT_EQ(cert_ids[i], cert_ids[0]);
    EXPECT_EQ(signers[i], signers[0]);
  }
  EXPECT_EQ(snapshot(racing.path() + "/sandbox-unionpay").size(), std::size(kFiles));
}

TEST(SandboxPki, FilesThatDoNotFitTheSandboxKeysStopTheStart) {
  SandboxHost host;
  const std::string dir = host.data_dir() + "/sandbox-unionpay";
  std::filesystem::create_directory(dir);
  // A root certificate for a stranger's key, as if the sandbox keys had been replaced.
  auto stranger =
      RsaKey::private_from_pem(testing::test_keypair(testing::kStrangerSlot).private_pem);
  CertificateSpec spec;
  spec.common_name = "payhost sandbox UnionPay root";
  spec.root = true;
  spec.ca = true;
  spec.not_before = host.time.now() - 86400;
  spec.not_after = host.time.now() + 86400;
  spec.serial_hex = random_serial_hex(8);
  auto root = issue_certificate(spec, *stranger, nullptr, RsaKey());
  ASSERT_TRUE(root.ok()) << root.error().message;
  {
    std::ofstream out(dir + "/root.cer");
    out << certificate_pem(root->get());
  }
  auto pki = ensure_pki(host, "777290058167151");
  ASSERT_FALSE(pki.ok());
  EXPECT_NE(pki.error().message.find("root.cer"), std::string::npos) << pki.error().message;
  EXPECT_NE(pki.error().message.find("delete that folder"), std::string::npos);
}

}  // namespace
}  // namespace payhost::sandbox_unionpay
