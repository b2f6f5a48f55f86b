// Trusting signPubKeyCert: chain to the configured root through the configured
// intermediate, validity at the host clock, 中国银联股份有限公司 in the CN, and the verdict
// cache. Certificates come from the generated test PKI (test_support.hpp).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "certificates.hpp"
#include "merchant_key.hpp"
#include "test_support.hpp"

namespace payhost::unionpay {
namespace {

using testing::kNow;
using testing::pki;

SignerTrust trust() {
  auto t = SignerTrust::create(pki().root.pem, pki().middle.pem);
  if (!t) throw std::runtime_error(t.error().message);
  return *t;
}

std::string refusal(const SignerTrust& t, const std::string& pem, std::int64_t now = kNow) {
  auto key = t.signer_key(pem, now);
  return key ? "accepted" : key.error().code;
}

TEST(UnionpayCertificates, TrustsUnionPaysSigningCertificateAsSent) {
  const SignerTrust t = trust();
  auto key = t.signer_key(pki().sign.crlf(), kNow);
  ASSERT_TRUE(key) << key.error().message;
  auto expected = sdk::crypto::PublicKey::parse(pki().sign_key.public_pem);
  ASSERT_TRUE(expected);
  // The key it hands out verifies what UnionPay's key signed.
  auto signer = sdk::crypto::PrivateKey::parse(pki().sign_key.private_pem);
  auto sig = sdk::crypto::rsa_sha256_sign(*signer, "probe");
  ASSERT_TRUE(sig);
  EXPECT_TRUE(sdk::crypto::rsa_sha256_verify(*key, "probe", *sig));
  EXPECT_TRUE(t.signer_key(pki().sign.pem, kNow));  // LF line ends too
}

TEST(UnionpayCertificates, RefusesAForeignCompanyInTheCn) {
  EXPECT_EQ(refusal(trust(), pki().foreign.crlf()), "foreign_certificate");
}

TEST(UnionpayCertificates, RefusesACertificateOutsideTheChain) {
  EXPECT_EQ(refusal(trust(), pki().outsider.crlf()), "untrusted_certificate");
}

TEST(UnionpayCertificates, RefusesACertificateTheRootIssuedWithoutTheIntermediate) {
  EXPECT_EQ(refusal(trust(), pki().direct.crlf()), "untrusted_certificate");
}

TEST(UnionpayCertificates, RefusesTheIntermediateOrRootAsSigner) {
  // Neither is a UnionPay signing certificate, whatever they chain to.
  EXPECT_NE(refusal(trust(), pki().middle.pem), "accepted");
  EXPECT_NE(refusal(trust(), pki().root.pem), "accepted");
}

TEST(UnionpayCertificates, RefusesAnExpiredCertificate) {
  EXPECT_EQ(refusal(trust(), pki().expired.crlf()), "certificate_expired");
}

TEST(UnionpayCertificates, ValidityFollowsTheHostClock) {
  const SignerTrust t = trust();
  EXPECT_EQ(refusal(t, pki().sign.crlf()), "accepted");
  EXPECT_EQ(refusal(t, pki().sign.crlf(), kNow + 3 * testing::Pki::kYear), "certificate_expired");
  EXPECT_EQ(refusal(t, pki().sign.crlf(), kNow - 2 * testing::Pki::kDay),
            "certificate_not_yet_valid");
  EXPECT_EQ(refusal(t, pki().sign.crlf()), "accepted");
}

TEST(UnionpayCertificates, RefusesMalformedCertificateText) {
  const SignerTrust t = trust();
  const std::string pem = pki().sign.crlf();
  EXPECT_EQ(refusal(t, ""), "missing_certificate");
  EXPECT_EQ(refusal(t, pem.substr(0, pem.size() / 2)), "malformed_certificate");
  EXPECT_EQ(refusal(t, pem.substr(0, pem.size() - 10)), "malformed_certificate");
  EXPECT_EQ(refusal(t, pem + "\r\n" + pki().foreign.crlf()), "malformed_certificate");
  EXPECT_EQ(refusal(t, pem + "trailing"), "malformed_certificate");
  EXPECT_EQ(refusal(t, "not a certificate"), "malformed_certificate");
  std::string flipped = pem;
  flipped[flipped.size() / 2] = flipped[flipped.size() / 2] == 'A' ? 'B' : 'A';
  EXPECT_NE(refusal(t, flipped), "accepted");
  EXPECT_EQ(refusal(t, std::string(20000, 'A')), "malformed_certificate");
  std::string invalid_utf8 = pem;
  invalid_utf8.insert(30, "\xff\xfe");
  EXPECT_NE(refusal(t, invalid_utf8), "accepted");
}

TEST(UnionpayCertificates, CachesVerdictsPerCertificateTextWithinABound) {
  const SignerTrust t = trust();
  EXPECT_EQ(t.cached_verdicts(), 0u);
  ASSERT_TRUE(t.signer_key(pki().sign.crlf(), kNow));
  ASSERT_TRUE(t.signer_key(pki().sign.crlf(), kNow));
  EXPECT_EQ(t.cached_verdicts(), 1u);
  EXPECT_EQ(refusal(t, pki().foreign.crlf()), "foreign_certificate");
  EXPECT_EQ(refusal(t, pki().foreign.crlf()), "foreign_certificate");  // from the cache
  EXPECT_EQ(t.cached_verdicts(), 2u);
  // Refusals the clock made are not kept: a later clock must be able to change them.
  EXPECT_EQ(refusal(t, pki().expired.crlf()), "certificate_expired");
  EXPECT_EQ(t.cached_verdicts(), 2u);
  // Junk certificates do not push the trusted one out.
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(refusal(t, "-----BEGIN CERTIFICATE-----\r\njunk" + std::to_string(i) +
                             "\r\n-----END CERTIFICATE-----"),
              "malformed_certificate");
    ASSERT_LE(t.cached_verdicts(), SignerTrust::kMaxCachedVerdicts);
  }
  {
    const std::size_t before = t.cached_verdicts();
    ASSERT_TRUE(t.signer_key(pki().sign.crlf(), kNow));
    EXPECT_EQ(t.cached_verdicts(), before);  // served from the cache, not judged again
  }
  // Many different certificates never grow the cache past its bound.
  for (long serial = 100; serial < 100 + 80; ++serial) {
    const auto cert = testing::make_cert(testing::kUnionPayCn, pki().sign_key, &pki().middle,
                                         pki().middle_key, false, kNow - 10, kNow + 1000, serial);
    ASSERT_TRUE(t.signer_key(cert.pem, kNow)) << serial;
    ASSERT_LE(t.cached_verdicts(), SignerTrust::kMaxCachedVerdicts);
  }
}

TEST(UnionpayCertificates, IsSafeToShareAcrossThreads) {
  const SignerTrust t = trust();
  std::atomic<int> accepted{0};
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int j = 0; j < 50; ++j) {
        const bool good = (i + j) % 2 == 0;
        auto key = t.signer_key(good ? pki().sign.crlf() : pki().outsider.crlf(), kNow);
        (key ? accepted : refused)++;
      }
    });
  }
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(accepted.load(), 200);
  EXPECT_EQ(refused.load(), 200);
  EXPECT_EQ(t.cached_verdicts(), 2u);
}

TEST(UnionpayCertificates, TrustNeedsARootAndAnIntermediateItIssued) {
  auto swapped = SignerTrust::create(pki().middle.pem, pki().root.pem);
  ASSERT_FALSE(swapped);
  EXPECT_EQ(swapped.error().param, "root");
  auto foreign_middle = SignerTrust::create(pki().root.pem, pki().outsider_root.pem);
  ASSERT_FALSE(foreign_middle);
  EXPECT_EQ(foreign_middle.error().code, "not_issued_by_root");
  EXPECT_EQ(foreign_middle.error().param, "middle");
  auto leaf_as_middle = SignerTrust::create(pki().root.pem, pki().direct.pem);
  ASSERT_FALSE(leaf_as_middle);
  EXPECT_EQ(leaf_as_middle.error().code, "not_a_ca");
  auto garbage = SignerTrust::create("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----",
                                     pki().middle.pem);
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, "malformed_certificate");
}

TEST(UnionpayCertificates, ReadsDerAsWellAsPem) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(pki().root.x509.get(), &der);
  ASSERT_GT(len, 0);
  const std::string bytes(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  auto cert = parse_certificate(bytes);
  ASSERT_TRUE(cert);
  EXPECT_EQ(common_name(cert->get()).value_or(""), "payhost test UnionPay root");
  EXPECT_FALSE(parse_certificate(bytes + "x"));  // trailing bytes
}

TEST(UnionpayMerchantKey, LoadsAPfxAndAPemPair) {
  auto pfx = load_pkcs12(pki().merchant_pfx, "000000");
  ASSERT_TRUE(pfx) << pfx.error().message;
  EXPECT_EQ(pfx->cert_id, "69903319369");
  EXPECT_EQ(pfx->cert_id, testing::serial_of(pki().merchant));
  auto pem = load_pem_pair(pki().merchant_key.private_pem, pki().merchant.pem);
  ASSERT_TRUE(pem) << pem.error().message;
  EXPECT_EQ(pem->cert_id, pfx->cert_id);
  EXPECT_EQ(pem->public_key_pem, pfx->public_key_pem);
}

TEST(UnionpayMerchantKey, RefusesWhatIsNotTheMerchantsKey) {
  EXPECT_EQ(load_pkcs12(pki().merchant_pfx, "wrong").error().code, "wrong_password");
  EXPECT_EQ(load_pkcs12("not a pfx", "000000").error().code, "malformed_pfx");
  EXPECT_EQ(load_pkcs12(pki().merchant_pfx.substr(0, 100), "000000").error().code, "malformed_pfx");
  EXPECT_EQ(load_pem_pair(pki().sign_key.private_pem, pki().merchant.pem).error().code,
            "key_mismatch");
  EXPECT_EQ(load_pem_pair("garbage", pki().merchant.pem).error().code, "malformed_key");
}

}  // namespace
}  // namespace payhost::unionpay
