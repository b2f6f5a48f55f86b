#include "jwt.hpp"

#include <gtest/gtest.h>

#include "payhost/sdk/encoding.hpp"
#include "payhost/sdk/json.hpp"

namespace payhost::host {
namespace {

using sdk::Json;

constexpr std::int64_t kNow = 1'800'000'000;
const std::string kSecret = "a-test-secret-of-sufficient-length-0123";

std::string sign_hs256(const Json& header, const Json& payload, const std::string& secret) {
  const std::string input =
      sdk::base64url_encode(header.dump()) + "." + sdk::base64url_encode(payload.dump());
  return input + "." + sdk::base64url_encode(sdk::crypto::hmac_sha256(secret, input));
}

JwtVerifier hs256_only() {
  return JwtVerifier(kSecret, std::nullopt, {"HS256"}, {"99"});
}

TEST(Jwt, MintedTokenVerifies) {
  const auto p = hs256_only().verify(mint_hs256(kSecret, "42", false, kNow, 60), kNow);
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->user_id, "42");
  EXPECT_FALSE(p->admin);
}

TEST(Jwt, AdminByClaimOrList) {
  EXPECT_TRUE(hs256_only().verify(mint_hs256(kSecret, "1", true, kNow, 60), kNow)->admin);
  EXPECT_TRUE(hs256_only().verify(mint_hs256(kSecret, "99", false, kNow, 60), kNow)->admin);
}

TEST(Jwt, NumericSubIsAccepted) {
  const auto t = sign_hs256({{"alg", "HS256"}}, {{"sub", 7}, {"exp", kNow + 10}}, kSecret);
  EXPECT_EQ(hs256_only().verify(t, kNow)->user_id, "7");
}

TEST(Jwt, ExpiredAndNotYetValidAreRefused) {
  EXPECT_FALSE(hs256_only().verify(mint_hs256(kSecret, "1", false, kNow - 100, 50), kNow).ok());
  const auto t = sign_hs256({{"alg", "HS256"}},
                            {{"sub", "1"}, {"exp", kNow + 100}, {"nbf", kNow + 50}}, kSecret);
  EXPECT_FALSE(hs256_only().verify(t, kNow).ok());
}

TEST(Jwt, ARememberedTokenStillExpiresAndATamperedTwinIsRefused) {
  const JwtVerifier verifier = hs256_only();
  const std::string token = mint_hs256(kSecret, "5", false, kNow, 60);
  ASSERT_TRUE(verifier.verify(token, kNow).ok());
  ASSERT_TRUE(verifier.verify(token, kNow + 59).ok());  // from the cache
  EXPECT_FALSE(verifier.verify(token, kNow + 60).ok());
  std::string tampered = token;
  char& c = tampered[tampered.size() - 10];  // inside the signature, not its padding bits
  c = c == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifier.verify(tampered, kNow).ok());
  const auto nbf = sign_hs256({{"alg", "HS256"}},
                              {{"sub", "1"}, {"exp", kNow + 100}, {"nbf", kNow + 50}}, kSecret);
  ASSERT_TRUE(verifier.verify(nbf, kNow + 60).ok());
  EXPECT_FALSE(verifier.verify(nbf, kNow + 10).ok());  // remembered, but not valid yet then
}

TEST(Jwt, MissingExpOrSubIsRefused) {
  EXPECT_FALSE(
      hs256_only().verify(sign_hs256({{"alg", "HS256"}}, {{"sub", "1"}}, kSecret), kNow).ok());
  EXPECT_FALSE(
      hs256_only().verify(sign_hs256({{"alg", "HS256"}}, {{"exp", kNow + 5}}, kSecret), kNow).ok());
}

TEST(Jwt, AlgNoneIsRefused) {
  const std::string t = sdk::base64url_encode(Json{{"alg", "none"}}.dump()) + "." +
                        sdk::base64url_encode(Json{{"sub", "1"}, {"exp", kNow + 10}}.dump()) + ".";
  const auto r = hs256_only().verify(t, kNow);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("\"none\""), std::string::npos);
}

TEST(Jwt, WrongSecretOrTamperingIsRefused) {
  EXPECT_FALSE(hs256_only().verify(mint_hs256("other-secret", "1", false, kNow, 60), kNow).ok());
  std::string t = mint_hs256(kSecret, "1", false, kNow, 60);
  const auto dot = t.find('.');
  // Swap the payload for an admin one, keep the old signature.
  const std::string forged =
      t.substr(0, dot + 1) +
      sdk::base64url_encode(Json{{"sub", "1"}, {"exp", kNow + 60}, {"admin", true}}.dump()) +
      t.substr(t.rfind('.'));
  EXPECT_FALSE(hs256_only().verify(forged, kNow).ok());
  EXPECT_FALSE(hs256_only().verify("not-a-token", kNow).ok());
  EXPECT_FALSE(hs256_only().verify("a.b.c.d", kNow).ok());
}

TEST(Jwt, Rs256OnlyWhenConfigured) {
  auto pair = sdk::crypto::generate_rsa_keypair(2048);
  ASSERT_TRUE(pair.ok());
  auto priv = sdk::crypto::PrivateKey::parse(pair->private_key_pem);
  auto pub = sdk::crypto::PublicKey::parse(pair->public_key_pem);
  ASSERT_TRUE(priv.ok() && pub.ok());
  const std::string input = sdk::base64url_encode(Json{{"alg", "RS256"}}.dump()) + "." +
                            sdk::base64url_encode(Json{{"sub", "5"}, {"exp", kNow + 60}}.dump());
  const std::string token =
      input + "." + sdk::base64url_encode(*sdk::crypto::rsa_sha256_sign(*priv, input));
  JwtVerifier both(kSecret, *pub, {"HS256", "RS256"}, {});
  EXPECT_EQ(both.verify(token, kNow)->user_id, "5");
  EXPECT_FALSE(hs256_only().verify(token, kNow).ok());  // RS256 not accepted there
  // An HS256 token signed with the public key as the secret (the classic confusion).
  const std::string confused =
      sign_hs256({{"alg", "HS256"}}, {{"sub", "5"}, {"exp", kNow + 60}}, pair->public_key_pem);
  JwtVerifier rs_only("", *pub, {"RS256"}, {});
  EXPECT_FALSE(rs_only.verify(confused, kNow).ok());
}

TEST(Jwt, BearerHeaderParsing) {
  sdk::HttpRequest r;
  EXPECT_EQ(bearer_token(r), "");
  r.headers.add("authorization", "Bearer abc.def.ghi");
  EXPECT_EQ(bearer_token(r), "abc.def.ghi");
  sdk::HttpRequest basic;
  basic.headers.add("Authorization", "Basic dXNlcjpwYXNz");
  EXPECT_EQ(bearer_token(basic), "");
}

}  // namespace
}  // namespace payhost::host
