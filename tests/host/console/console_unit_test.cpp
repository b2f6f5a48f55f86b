// The console's pieces that need no server: password hashes, the session cookie's parsing,
// the audit ids, the config block.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "config/config_fixture.hpp"
#include "console/audit_log.hpp"
#include "console/operator_store.hpp"
#include "console/password_hash.hpp"
#include "console/session_store.hpp"
#include "payhost/sdk/encoding.hpp"

namespace payhost::host::console {
namespace {

TEST(PasswordHash, FormatAndVerify) {
  const std::string hash = hash_password("correct horse battery");
  ASSERT_TRUE(hash.starts_with("scrypt$15$8$1$")) << hash;
  const auto parsed = parse_password_hash(hash);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->params.log2_n, 15);
  EXPECT_EQ(parsed->params.r, 8);
  EXPECT_EQ(parsed->params.p, 1);
  EXPECT_EQ(parsed->salt.size(), 16u);
  EXPECT_EQ(parsed->key.size(), 32u);
  EXPECT_TRUE(verify_password("correct horse battery", hash));
  EXPECT_FALSE(verify_password("correct horse batterz", hash));
  EXPECT_FALSE(verify_password("", hash));
  // A fresh salt each time.
  EXPECT_NE(hash, hash_password("correct horse battery"));
}

// RFC 7914 section 12's second vector: "password", "NaCl", N=1024, r=8, p=16; its 64-byte
// key begins fdbabe1c...b373162, which is the whole of a 32-byte key (PBKDF2's first block).
TEST(PasswordHash, Rfc7914Vector) {
  EXPECT_EQ(hash_password("password", "NaCl", ScryptParams{10, 8, 16}),
            "scrypt$10$8$16$TmFDbA==$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWI=");
}

TEST(PasswordHash, ParseRefusesMalformedAndExpensive) {
  const std::string good =
      hash_password("0123456789", std::string(16, 'a'), ScryptParams{10, 8, 1});
  ASSERT_TRUE(parse_password_hash(good));
  const std::string key = good.substr(good.rfind('$') + 1);
  const std::string salt = sdk::base64_encode(std::string(16, 'a'));
  for (const std::string& bad :
       {std::string(), std::string("scrypt"), "bcrypt$10$8$1$" + salt + "$" + key,
        "scrypt$10$8$1$" + salt, "scrypt$10$8$1$" + salt + "$" + key + "$x",
        "scrypt$25$8$1$" + salt + "$" + key,   // N too large: unbounded memory
        "scrypt$10$99$1$" + salt + "$" + key,  // r too large
        "scrypt$10$8$9$" + salt + "$" + key,   // p too large
        "scrypt$010$8$1$" + salt + "$" + key,  // not canonical
        "scrypt$-1$8$1$" + salt + "$" + key, "scrypt$10$8$1$!!!$" + key,
        "scrypt$10$8$1$" + salt + "$" + key.substr(0, 8),  // key too short
        "scrypt$10$8$1$" + salt + "$ " + key}) {
    EXPECT_FALSE(parse_password_hash(bad)) << bad;
    EXPECT_FALSE(verify_password("0123456789", bad)) << bad;
  }
}

TEST(PasswordHash, ComparesInConstantTime) {
  // The comparison is CRYPTO_memcmp over the whole key: a key differing in its first byte
  // and one differing in its last are both refused (no early exit is observable here, but
  // both paths must refuse; the timing property is OpenSSL's).
  const std::string hash =
      hash_password("0123456789", std::string(16, 's'), ScryptParams{10, 8, 1});
  auto parsed = parse_password_hash(hash);
  ASSERT_TRUE(parsed);
  for (std::size_t at : {std::size_t{0}, parsed->key.size() - 1}) {
    std::string key = parsed->key;
    key[at] = static_cast<char>(key[at] ^ 1);
    const std::string tampered = hash.substr(0, hash.rfind('$') + 1) + sdk::base64_encode(key);
    EXPECT_FALSE(verify_password("0123456789", tampered));
  }
  EXPECT_TRUE(verify_password("0123456789", hash));
}

TEST(PasswordHash, DummyCostsLikeARealCheck) {
  const std::string hash = hash_password("0123456789abc");
  // The fastest of a few runs each, so a busy machine does not decide the outcome.
  const auto fastest = [](auto&& f) {
    auto best = std::chrono::steady_clock::duration::max();
    for (int i = 0; i < 3; ++i) {
      const auto start = std::chrono::steady_clock::now();
      f();
      best = std::min(best, std::chrono::steady_clock::now() - start);
    }
    return best;
  };
  const auto real = fastest([&] { EXPECT_FALSE(verify_password("wrong-password", hash)); });
  const auto dummy = fastest([&] { EXPECT_FALSE(verify_against_dummy("wrong-password")); });
  // The same scrypt parameters: within a factor of three either way.
  EXPECT_LT(dummy, real * 3) << "dummy much slower";
  EXPECT_GT(dummy * 3, real) << "dummy much cheaper than a real check: names would show";
}

TEST(PasswordHash, AcceptableLengths) {
  EXPECT_FALSE(is_acceptable_password("123456789"));
  EXPECT_TRUE(is_acceptable_password("1234567890"));
  EXPECT_TRUE(is_acceptable_password(std::string(256, 'x')));
  EXPECT_FALSE(is_acceptable_password(std::string(257, 'x')));
}

TEST(OperatorName, Form) {
  EXPECT_TRUE(is_operator_name("alice"));
  EXPECT_TRUE(is_operator_name("A.b_c-9"));
  EXPECT_TRUE(is_operator_name(std::string(64, 'a')));
  EXPECT_FALSE(is_operator_name(std::string(65, 'a')));
  EXPECT_FALSE(is_operator_name(""));
  EXPECT_FALSE(is_operator_name("al ice"));
  EXPECT_FALSE(is_operator_name("alice\n"));
  EXPECT_FALSE(is_operator_name("ali:ce"));
}

TEST(SessionCookie, Parse) {
  const std::string v(43, 'A');
  EXPECT_EQ(session_cookie("payhost_console=" + v), v);
  EXPECT_EQ(session_cookie("a=b; payhost_console=" + v + "; c=d"), v);
  EXPECT_EQ(session_cookie("payhost_console=\"" + v + "\""), v);
  EXPECT_EQ(session_cookie("payhost_console=short"), "");
  EXPECT_EQ(session_cookie("payhost_console=" + std::string(42, 'A') + "%"), "");
  EXPECT_EQ(session_cookie("xpayhost_console=" + v), "");
  EXPECT_EQ(session_cookie("payhost_console=bad; payhost_console=" + v), v);
  EXPECT_EQ(session_cookie(""), "");
}

TEST(AuditIds, SortByCreation) {
  std::string previous = new_audit_id();
  EXPECT_EQ(previous.size(), 28u);
  EXPECT_TRUE(previous.starts_with("aud_"));
  for (int i = 0; i < 2000; ++i) {
    const std::string next = new_audit_id();
    EXPECT_LT(previous, next);
    previous = next;
  }
}

class ConsoleConfigTest : public ConfigTest {};

TEST_F(ConsoleConfigTest, DefaultsAndValues) {
  auto c = load_config(write("app_id: app_5anXP4ezfXvL8m5e\n"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_TRUE(c->console.enabled);
  EXPECT_EQ(c->console.session_minutes, 480);
  EXPECT_EQ(c->console.utc_offset_minutes, 480);
  EXPECT_EQ(c->console.secure_cookie, "auto");
  c =
      load_config(write("console:\n  enabled: false\n  session_minutes: 5\n"
                        "  utc_offset_minutes: -720\n  secure_cookie: true\n"));
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_FALSE(c->console.enabled);
  EXPECT_EQ(c->console.session_minutes, 5);
  EXPECT_EQ(c->console.utc_offset_minutes, -720);
  EXPECT_EQ(c->console.secure_cookie, "true");
}

TEST_F(ConsoleConfigTest, Refusals) {
  EXPECT_NE(error_of("console:\n  sesion_minutes: 5\n").find("console.sesion_minutes"),
            std::string::npos);
  EXPECT_NE(error_of("console:\n  sesion_minutes: 5\n").find("session_minutes"),
            std::string::npos);  // the allowed keys are listed
  EXPECT_NE(error_of("console:\n  session_minutes: 4\n").find("console.session_minutes"),
            std::string::npos);
  EXPECT_NE(error_of("console:\n  session_minutes: 10081\n").find("console.session_minutes"),
            std::string::npos);
  EXPECT_NE(error_of("console:\n  utc_offset_minutes: 841\n").find("console.utc_offset_minutes"),
            std::string::npos);
  const std::string secure = error_of("console:\n  secure_cookie: maybe\n");
  EXPECT_NE(secure.find("console.secure_cookie"), std::string::npos) << secure;
  EXPECT_NE(secure.find("auto, true, false"), std::string::npos) << secure;
  EXPECT_NE(error_of("console:\n  enabled: yes please\n").find("console.enabled"),
            std::string::npos);
  EXPECT_NE(error_of("console: 5\n").find("console"), std::string::npos);
}

}  // namespace
}  // namespace payhost::host::console
