#include "http/jwt.hpp"

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

std::string with_claims(const Json& payload) {
  return sign_hs256({{"alg", "HS256"}}, payload, kSecret);
}

TEST(Jwt, TimeClaimsMustBeIntegers) {
  // Skipping an nbf that is not an integer would make the token valid before its time.
  for (const Json& bad : {Json(std::to_string(kNow + 50)), Json(true), Json(kNow + 50.5),
                          Json::array({kNow + 50}), Json(nullptr)}) {
    EXPECT_FALSE(
        hs256_only()
            .verify(with_claims({{"sub", "1"}, {"exp", kNow + 100}, {"nbf", bad}}), kNow + 60)
            .ok())
        << "nbf " << bad.dump();
    EXPECT_FALSE(hs256_only().verify(with_claims({{"sub", "1"}, {"exp", bad}}), kNow).ok())
        << "exp " << bad.dump();
    EXPECT_FALSE(hs256_only()
                     .verify(with_claims({{"sub", "1"}, {"exp", kNow + 100}, {"iat", bad}}), kNow)
                     .ok())
        << "iat " << bad.dump();
  }
  const auto string_exp =
      hs256_only().verify(with_claims({{"sub", "1"}, {"exp", std::to_string(kNow + 100)}}), kNow);
  ASSERT_FALSE(string_exp.ok());
  EXPECT_EQ(string_exp.error().message, "exp must be an integer number of seconds");
  // Beyond 64 bits is not a time.
  EXPECT_FALSE(hs256_only()
                   .verify(with_claims({{"sub", "1"}, {"exp", 18446744073709551615ULL}}), kNow)
                   .ok());
  EXPECT_TRUE(
      hs256_only()
          .verify(with_claims({{"sub", "1"}, {"exp", kNow + 100}, {"nbf", kNow}, {"iat", kNow}}),
                  kNow)
          .ok());
}

TEST(Jwt, SubMustBeAPlainUserIdAndIsTakenAsItIs) {
  for (const Json& bad :
       {Json("+7"), Json(" 7"), Json("7 "), Json("7\n[host] forged"), Json("a&b"), Json("a=b"),
        Json("a/b"), Json(""), Json(std::string(65, '1')), Json(-1), Json(0), Json(7.0), Json(true),
        Json(nullptr), Json::array({7}), Json{{"id", 7}}}) {
    const auto r = hs256_only().verify(with_claims({{"sub", bad}, {"exp", kNow + 10}}), kNow);
    EXPECT_FALSE(r.ok()) << "sub " << bad.dump() << " read as user " << (r ? r->user_id : "");
  }
  auto user_of = [](const Json& sub) {
    const auto r = hs256_only().verify(with_claims({{"sub", sub}, {"exp", kNow + 10}}), kNow);
    return r ? r->user_id : "refused: " + r.error().message;
  };
  // A spelling is never reinterpreted: "007" is not user 7 (the wallet refuses it).
  EXPECT_EQ(user_of("007"), "007");
  EXPECT_EQ(user_of("S-2021.01_a"), "S-2021.01_a");
  EXPECT_EQ(user_of(std::string(64, '9')), std::string(64, '9'));
  // Integers are read unsigned: 2^63 stays 2^63 instead of wrapping negative.
  EXPECT_EQ(user_of(9223372036854775808ULL), "9223372036854775808");
  EXPECT_EQ(user_of(999999999999999999LL), "999999999999999999");
}

TEST(Jwt, UserIdForm) {
  EXPECT_TRUE(is_user_id("1"));
  EXPECT_TRUE(is_user_id("10129580"));
  EXPECT_TRUE(is_user_id("01"));
  EXPECT_TRUE(is_user_id("stu_2021-01.a"));
  EXPECT_FALSE(is_user_id(std::string(65, 'a')));
  EXPECT_FALSE(is_user_id("a b"));
  EXPECT_FALSE(is_user_id(std::string("a\0b", 3)));
}

TEST(Jwt, ANonStringAlgIsRefusedNotThrown) {
  const auto r = hs256_only().verify(
      sign_hs256({{"alg", 5}}, {{"sub", "1"}, {"exp", kNow + 10}}, kSecret), kNow);
  EXPECT_FALSE(r.ok());
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
