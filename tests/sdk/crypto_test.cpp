// Known-answer and behaviour tests of payhost::sdk::crypto. Published vectors come from the
// providers' own SDK test suites (data only), so a plugin built on these functions
// reproduces exactly what the providers compute.
#include "payhost/sdk/crypto.hpp"

#include <gtest/gtest.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <array>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include "payhost/sdk/encoding.hpp"

namespace payhost::sdk::crypto {
namespace {

std::string unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

std::string b64(std::string_view data) {
  return base64_encode(data);
}

std::string unb64(std::string_view text) {
  auto v = base64_decode(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v.value_or("");
}

// ---------------------------------------------------------------------------------------
// Digests and HMAC

TEST(Digest, Sha256KnownAnswers) {
  // FIPS 180-2 appendix B.
  EXPECT_EQ(hex_lower(sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(hex_lower(sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(hex_lower(sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(hex_lower(sha256(std::string(1000000, 'a'))),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  EXPECT_EQ(sha256("abc").size(), 32u);  // raw bytes, not hex
}

TEST(Digest, Md5KnownAnswers) {
  // RFC 1321 appendix A.5.
  EXPECT_EQ(hex_lower(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_lower(md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(hex_lower(md5("message digest")), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5("abc").size(), 16u);
}

TEST(Digest, HmacSha256Rfc4231) {
  // Test case 1.
  EXPECT_EQ(hex_lower(hmac_sha256(std::string(20, '\x0b'), "Hi There")),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  // Test case 2.
  EXPECT_EQ(hex_lower(hmac_sha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // Test case 6: a key longer than the block size is hashed first.
  EXPECT_EQ(hex_lower(hmac_sha256(std::string(131, '\xaa'),
                                  "Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

TEST(Digest, HmacSha256EmptyKeyIsAValidKey) {
  EXPECT_EQ(hex_lower(hmac_sha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(Digest, WechatV2SignExample) {
  // WeChat Pay v2's documented example: MD5 and HMAC-SHA256 over the sorted string plus
  // "&key=", upper-case hex.
  const std::string key = "192006250b4c09247ec02edce69f6a2d";
  const std::string text =
      "appid=wxd930ea5d5a258f4f&body=test&device_info=1000&mch_id=10000100&nonce_str="
      "ibuaiVcKdpRxkhJA&key=" +
      key;
  EXPECT_EQ(hex_upper(md5(text)), "9A0A8659F005D6984697E2CA0A9CF3B7");
  EXPECT_EQ(hex_upper(hmac_sha256(key, text)),
            "6A9AE1657590FD6257D693A078E1C3E4BB6BA4DC30B23E0EE2496E54170DACD6");
}

// ---------------------------------------------------------------------------------------
// AES-GCM

struct GcmVector {
  const char* name;
  std::string key, nonce, aad, plaintext, ciphertext_and_tag;
};

std::vector<GcmVector> gcm_vectors() {
  const std::string nist_key =
      unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const std::string nist_pt = unhex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
      "49a6b525b16aedf5aa0de657ba637b39");
  const std::string nist_aad = unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  return {
      // The GCM specification's (McGrew & Viega) test case 14: AES-256, zero key and IV.
      {"gcm-spec-14", std::string(32, '\0'), std::string(12, '\0'), "", std::string(16, '\0'),
       unhex("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919")},
      // Test case 16: AES-256, 96-bit IV, AAD, a plaintext that is not a block multiple.
      {"gcm-spec-16", nist_key, unhex("cafebabefacedbaddecaf888"), nist_aad, nist_pt,
       unhex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7"
             "b08b1056828838c5f61e6393ba7a0abcc9f66276fc6ece0f4e1768cddf8853bb2d551b")},
      // Test case 18: a 60-byte IV, which only works when the IV length is set explicitly.
      {"gcm-spec-18", nist_key,
       unhex("9313225df88406e555909c5aff5269aa6a7a9538534f7da1e4c303d2a318a728c3c0c95156809539fcf0"
             "e2429a6b525416aedbf5a0de6a57a637b39b"),
       nist_aad, nist_pt,
       unhex("5a8def2f0c9e53f1f75d7853659e2a20eeb2b22aafde6419a058ab4f6f746bf40fc0c3b780f244452da3"
             "ebf1c5d82cdea2418997200ef82e44ae7e3fa44a8266ee1c8eb0c8b5d4cf5ae9f19a")},
      // wechatpay-go utils/aes_test.go: a 16-byte APIv3 key, so really AES-128-GCM.
      {"wechatpay-go", "testAPIv3Key0000", "wCq51qZv4Yfg", "Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8",
       "Hello World", unb64("FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC")},
      // TheNorthMemory/wechatpay-axios-plugin tests/lib/aes.test.js: AES-256, 16-byte IV.
      {"axios-empty", "0123456789abcdef0123456789abcdef", "0123456789abcdef", "", "",
       unb64("GvpmmdtYwexXIPhySs9Tlg==")},
      {"axios-hello", "0123456789abcdef0123456789abcdef", "0123456789abcdef", "world", "hello",
       unb64("APoZlYpivU3HjbAiB4CvW1rAFr8J")},
  };
}

TEST(AesGcm, KnownAnswersEncrypt) {
  for (const auto& v : gcm_vectors()) {
    SCOPED_TRACE(v.name);
    auto out = aes_gcm_encrypt(v.key, v.nonce, v.aad, v.plaintext);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(hex_lower(*out), hex_lower(v.ciphertext_and_tag));
  }
}

TEST(AesGcm, KnownAnswersDecrypt) {
  for (const auto& v : gcm_vectors()) {
    SCOPED_TRACE(v.name);
    auto out = aes_gcm_decrypt(v.key, v.nonce, v.aad, v.ciphertext_and_tag);
    ASSERT_TRUE(out.ok()) << out.error().message;
    EXPECT_EQ(*out, v.plaintext);
  }
}

TEST(AesGcm, EveryTamperedByteFailsCleanly) {
  const auto v = gcm_vectors()[3];  // wechatpay-go
  for (std::size_t i = 0; i < v.ciphertext_and_tag.size(); ++i) {
    std::string bad = v.ciphertext_and_tag;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    auto out = aes_gcm_decrypt(v.key, v.nonce, v.aad, bad);
    ASSERT_FALSE(out.ok()) << "byte " << i;
    EXPECT_EQ(out.error().kind, ErrorKind::invalid_request);
    EXPECT_EQ(out.error().code, "bad_ciphertext");
  }
}

TEST(AesGcm, WrongKeyNonceOrAadFails) {
  const auto v = gcm_vectors()[3];
  // The wrong-key case from wechatpay-go's own table.
  EXPECT_FALSE(aes_gcm_decrypt("testAPIv3Key1111", v.nonce, v.aad, v.ciphertext_and_tag).ok());
  EXPECT_FALSE(aes_gcm_decrypt(v.key, "wCq51qZv4Yfh", v.aad, v.ciphertext_and_tag).ok());
  EXPECT_FALSE(aes_gcm_decrypt(v.key, v.nonce, "", v.ciphertext_and_tag).ok());
  EXPECT_FALSE(aes_gcm_decrypt(v.key, v.nonce, v.aad + "x", v.ciphertext_and_tag).ok());
  // "invalid ciphertext" case: well-formed base64 that was never encrypted.
  EXPECT_FALSE(aes_gcm_decrypt(v.key, v.nonce, v.aad, unb64("SGVsbG8gV29ybGQK")).ok());
}

TEST(AesGcm, RejectsBadArguments) {
  // "invalid aes key" case from wechatpay-go: 13 bytes.
  auto bad_key = aes_gcm_decrypt("not a aes key", "wCq51qZv4Yfg", "", std::string(32, 'x'));
  ASSERT_FALSE(bad_key.ok());
  EXPECT_EQ(bad_key.error().code, "bad_key");
  EXPECT_FALSE(aes_gcm_encrypt(std::string(15, 'k'), "nonce", "", "x").ok());
  EXPECT_FALSE(aes_gcm_encrypt(std::string(33, 'k'), "nonce", "", "x").ok());
  EXPECT_FALSE(aes_gcm_encrypt(std::string(32, 'k'), "", "", "x").ok());
  // Shorter than the tag.
  auto short_input = aes_gcm_decrypt(std::string(32, 'k'), "nonce", "", std::string(15, 'x'));
  ASSERT_FALSE(short_input.ok());
  EXPECT_EQ(short_input.error().code, "bad_ciphertext");
}

TEST(AesGcm, RoundTripAllKeySizesAndOddNonces) {
  for (std::size_t key_size : {16u, 24u, 32u}) {
    for (std::size_t nonce_size : {1u, 8u, 12u, 16u, 32u}) {
      for (std::size_t len : {0u, 1u, 15u, 16u, 17u, 1000u}) {
        SCOPED_TRACE(testing::Message() << key_size << "/" << nonce_size << "/" << len);
        const std::string key = random_bytes(key_size);
        const std::string nonce = random_bytes(nonce_size);
        const std::string plaintext = random_bytes(len);
        auto sealed = aes_gcm_encrypt(key, nonce, "aad", plaintext);
        ASSERT_TRUE(sealed.ok());
        ASSERT_EQ(sealed->size(), len + 16);
        auto opened = aes_gcm_decrypt(key, nonce, "aad", *sealed);
        ASSERT_TRUE(opened.ok());
        EXPECT_EQ(*opened, plaintext);
      }
    }
  }
}

TEST(AesGcm, KeyLengthSelectsTheCipher) {
  // The same 16 key bytes zero-extended to 32 must not give the same ciphertext: a
  // 16-byte key is AES-128, not AES-256 with padding.
  const std::string k16 = "testAPIv3Key0000";
  auto a = aes_gcm_encrypt(k16, "wCq51qZv4Yfg", "", "Hello World");
  auto b = aes_gcm_encrypt(k16 + std::string(16, '\0'), "wCq51qZv4Yfg", "", "Hello World");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(*a, *b);
}

// ---------------------------------------------------------------------------------------
// RSA fixtures

// yansongda/pay tests/TestCase.php `app_secret_cert`: bare base64 PKCS#1, Alipay style.
constexpr const char* kYansongdaAlipayKey =
    "MIIEpAIBAAKCAQEApSA9oxvcqfbgpgkxXvyCpnxaR6TPaEMh/ij+PhF8180zL82ic4whkrRlcu1Y179AKEZNar71Ugi3"
    "7fKcXWLerjPOeb8WHnZgNG19gkAcOIqZPRPpJ1eRtwKEclIzt+j3H/wgXWkD7BTr61RjuAcviyvDVbAJ/TPlMqXdJFIu"
    "JwZblN2WblIv+4Dm1iPOB+fVCU3rsgg4eajf3HrZ7sq6fBhQhO5krDmIIYGsFZ+fohEgnLkBaF0gqNUb5Yb4PBfaEcu8"
    "Hcwq+XyBSMOVOIABRPQVDedW2sE/2NsLkR62DaEe/Ri9VUDJe0pE39P+X22DicJ3E3yrxvdioMnLtDqEuwIDAQABAoIB"
    "AQCSHZ1tH9J7c8IGKkxNyROzToZ0rxn5IK6LwKp5MfBO5X1N56DArldnAcpjkDL1dn7HJK6Mrr1WAfD/1ZcX680wSReE"
    "E9r2ybkHq3tMLn7KaZp/uYavEYYXc1rP7n1lV/iVjPz2q16VIU5Bx0MWLQWdGPSYdlXggHNoBe1RnobIcCGOVe9HlzCB"
    "tWzGpCZvMlqRbCuWAdp14aCkaJqpRxG4PY9Kd/NzELvhnCd9k8e7G2qcwx6gAoXN8OXO8jmZg/6fOvFnrGl6CBp8sioe"
    "5F3R023fDum546IqS8EZdCl5T0gW/boTbSV8luitab65xBO3PmUI+V2OEFCL6WcJxawBAoGBAOZoft6/LatdoXzr8vh+"
    "rKzacUHw246fpacbgx0B5DDymM7hbhXbY/NoCWPgBJtV3XI3DtMJ5yvlEVDQvPfbSHRPx2XQknwrM7ly2SLbaC+tuhcv"
    "oG6F1RLWFx+y/583seSlVNuWC9KdpLTKzo8wl8Z4/kheLTBxTxL20NZu79XBAoGBALd3fNoXk5V+T16hnSinPtt2NEsZ"
    "pn+4w07DikzcpdyjCL5PYjp/BppmX3xly96fCZh3MO3Vkuya1xgauMzxVKQlR/aD5yVmsqK7wxNTY1ZQM74B44/4Mks/"
    "8MG2r7o3DElA4/qIeMP4CwkWmYcuij7npm2bgIqFzS+4aGZfDRF7AoGAKMO2Jpy2bMo9BwgLzdFDpbVkMmF1xu8R9NXW"
    "RayO/eX+CSQzQOS281qlxqjcx8rSSiHZmpb28notrRmxRTzjvchbo/TZ5eQS262pIxSkg0L+WJnRjZxaDWIZZz9ZIIdP"
    "Dv/9WnhakSHZAS+cihLz12aSvqUC4744WkeWvUmVX0ECgYAGLDoCKHrps7c96tgbzwy5W4/E2xcUAwZnNwMHNQFLnBym"
    "MouOhkmVlk4uJEqosdcjzxbRWbc4yLjl8bg4BQKhBzQVojh7tKnb+c9Fbi/QbqBfCzc519LxXzRdgCUHceSy7kD9Y+wU"
    "Q9szMhR2TOWP2kFqPKolfvz5Vw4EK7yH0wKBgQDerq9Pthbii7lNt528/q0cH9vOMn9z76o6jMMea9EibclVHtdcQBWL"
    "On8Yw97k+WSXYGuUrQUWWQbyabZqWkkS4cEjJf5/DiwOuYdNVXg7FK56ucTczBA7lR4dnunPW6U1HbSWf0Cn4Y/cl/z7"
    "B5QBSQt0W38IYHSaf6/sqsV6SA==";

// alipay/alipay-sdk-nodejs-all test/fixtures/app-private-key.pem (PKCS#1 PEM, no final newline).
constexpr const char* kNodeAppKeyPkcs1Pem = R"(-----BEGIN RSA PRIVATE KEY-----
MIIEowIBAAKCAQEAvpjRtB7IcjsA9LwjZhiK20y3pEoLnEdUASaY1R20eKxhzKC1
Y/GFIVAxTLDS8QddHdY+r4tHAKnQe2+rl6cZ883GgJh200G83WVbsjiED+cHf6+R
rlW2zkZgAR7QwgacWGVSgQTRaOu3TSa3SH2+ZhY/g2yaITvjtqrnbySY/KmFm3G5
kMdJuEHfcqOqHnpUtrAH5qwSB7+ZicPtLLjPTewjeBTl/sJVN39whDHG9tPaZ4B3
hvwyFaXUDc4jHtGQl9Ed+3XYPJQafmmiLJ9eh/WcjhgHYWTEkjyHDK0HuCbNfJ7r
zHs4ZTbnxf/f0KTZHvb7Y03Z7KO/8ZnG1kLD+QIDAQABAoIBAGQXuyEdfWTH6cOc
vfZS8zEhw9tKa3iB2PLVwzNAa1NoK+AbkcbPwntxMsK0pcKgfF078yWbPglyJKN+
TJ3SyoVHznQgHV7qSfX20cXxeiEj0cNTf20PZHZFbQuJlFYgxKCDbWWGEzdHerbQ
mzY9muzfyDELqpHDct2uOOYcUR92ObvmnjH2zNUHYvzMroDLFcJZZXX40VcxVhK9
6Oze9dTm1xAFa+pEiVqtxt6pkGoHgAp9k4Kbr1ysIo1FEmBDFEo55y7CLx05bOL/
/NcwLZPZkEC6LcOa5esFT3aRtpLjmsdxWcYR6QRU8bFW8mQgn/1SSq3DHqHRdOMl
9hzG2rUCgYEA+AmQmJrBnpdM4RNghvSC0c9cPn/UhR2H5L9CoMmphXwhq0CcisHc
netRhi39JbIpAFTXWmRYRiyMHzKiW61KvrwaGXUj90fsLtlVjtqxpMPQifaOrk37
DKAfAtdRmcU27LtvYvCqxytWsyaS5g2pS8rxTHMZ4ena2+9N8VPXm/8CgYEAxLcx
tLVziC93n3eJF1si5Ofp66MPORJVie5/onxORvEjSgqdQfkBcshpM3kf6BcYIhT/
wPenUizs7zLAQVw6TI5ojoFqVDjh5JNNVfcBDUJ1giXNr7PZhJum8ru6BRLSvNPt
zydfqA0XPZGbtE2nD5QjI3jQb32rme12hvqigAcCgYEA5STo+aKW1y2N761YErVX
Gf/Ih1DPA/9JKRFsu2AyhUgtTqmNNT9t0lKwaRaZdLbH3C+FGFP1nTbQaI39olZQ
5C6gqf4nMO64Cnvr5+KwFLh2Ms6d9/fAw2Q14gkLsNSaLk/m0m/mRcQK/8zWD0R1
r7iX/XmkYqoJ7/9/cUB0wv8CgYAZ1OykDEfVlFYjDLFl7cPRR1sCZHE1T2EIMdd0
4Nnumu/FY0tvRGGaTxLxfXBhK9cxcox7LIo+UkPyzTlN2+yT7Qdx3zC1SprvRyCa
r0rmENoZcxllfzqLHV149ong7K3bugC6eTMogD+TCDHoJWJQu2U53T2RxnDoT7SG
2RbJtQKBgDpcl1phYQfGOHDddOXhXpG+h9rKlbvDTDy+KbeBIBaUMTFQV3g3q5Cp
D2TW/C4Pu4xk9Yrt44xdLcuaZ0iyqNL7JmYtaVlZ/5YU9ijV/yRQ07PuHem+08br
awarfVnUiPtuiOwSfYw3//irBNow2h7BvzGx1lbvUI4tXJwTR6ov
-----END RSA PRIVATE KEY-----)";

// Same repo, app-private-key-no-wrapper.pem: the same key as bare base64 PKCS#1.
constexpr const char* kNodeAppKeyPkcs1Bare =
    "MIIEowIBAAKCAQEAvpjRtB7IcjsA9LwjZhiK20y3pEoLnEdUASaY1R20eKxhzKC1Y/GFIVAxTLDS8QddHdY+r4tHAKnQ"
    "e2+rl6cZ883GgJh200G83WVbsjiED+cHf6+RrlW2zkZgAR7QwgacWGVSgQTRaOu3TSa3SH2+ZhY/g2yaITvjtqrnbySY/"
    "KmFm3G5kMdJuEHfcqOqHnpUtrAH5qwSB7+ZicPtLLjPTewjeBTl/sJVN39whDHG9tPaZ4B3hvwyFaXUDc4jHtGQl9Ed+"
    "3XYPJQafmmiLJ9eh/WcjhgHYWTEkjyHDK0HuCbNfJ7rzHs4ZTbnxf/f0KTZHvb7Y03Z7KO/8ZnG1kLD+QIDAQABAoIBA"
    "GQXuyEdfWTH6cOcvfZS8zEhw9tKa3iB2PLVwzNAa1NoK+AbkcbPwntxMsK0pcKgfF078yWbPglyJKN+TJ3SyoVHznQgH"
    "V7qSfX20cXxeiEj0cNTf20PZHZFbQuJlFYgxKCDbWWGEzdHerbQmzY9muzfyDELqpHDct2uOOYcUR92ObvmnjH2zNUHY"
    "vzMroDLFcJZZXX40VcxVhK96Oze9dTm1xAFa+pEiVqtxt6pkGoHgAp9k4Kbr1ysIo1FEmBDFEo55y7CLx05bOL//NcwL"
    "ZPZkEC6LcOa5esFT3aRtpLjmsdxWcYR6QRU8bFW8mQgn/1SSq3DHqHRdOMl9hzG2rUCgYEA+AmQmJrBnpdM4RNghvSC0"
    "c9cPn/UhR2H5L9CoMmphXwhq0CcisHcnetRhi39JbIpAFTXWmRYRiyMHzKiW61KvrwaGXUj90fsLtlVjtqxpMPQifaOr"
    "k37DKAfAtdRmcU27LtvYvCqxytWsyaS5g2pS8rxTHMZ4ena2+9N8VPXm/8CgYEAxLcxtLVziC93n3eJF1si5Ofp66MPO"
    "RJVie5/onxORvEjSgqdQfkBcshpM3kf6BcYIhT/wPenUizs7zLAQVw6TI5ojoFqVDjh5JNNVfcBDUJ1giXNr7PZhJum8"
    "ru6BRLSvNPtzydfqA0XPZGbtE2nD5QjI3jQb32rme12hvqigAcCgYEA5STo+aKW1y2N761YErVXGf/Ih1DPA/9JKRFsu"
    "2AyhUgtTqmNNT9t0lKwaRaZdLbH3C+FGFP1nTbQaI39olZQ5C6gqf4nMO64Cnvr5+KwFLh2Ms6d9/fAw2Q14gkLsNSaL"
    "k/m0m/mRcQK/8zWD0R1r7iX/XmkYqoJ7/9/cUB0wv8CgYAZ1OykDEfVlFYjDLFl7cPRR1sCZHE1T2EIMdd04Nnumu/FY"
    "0tvRGGaTxLxfXBhK9cxcox7LIo+UkPyzTlN2+yT7Qdx3zC1SprvRyCar0rmENoZcxllfzqLHV149ong7K3bugC6eTMog"
    "D+TCDHoJWJQu2U53T2RxnDoT7SG2RbJtQKBgDpcl1phYQfGOHDddOXhXpG+h9rKlbvDTDy+KbeBIBaUMTFQV3g3q5CpD"
    "2TW/C4Pu4xk9Yrt44xdLcuaZ0iyqNL7JmYtaVlZ/5YU9ijV/yRQ07PuHem+08brawarfVnUiPtuiOwSfYw3//irBNow2"
    "h7BvzGx1lbvUI4tXJwTR6ov";

// Same repo, app-public-key.pem and app-public-key-no-wrapper.pem (SPKI of the key above).
constexpr const char* kNodeAppPublicPem = R"(-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvpjRtB7IcjsA9LwjZhiK
20y3pEoLnEdUASaY1R20eKxhzKC1Y/GFIVAxTLDS8QddHdY+r4tHAKnQe2+rl6cZ
883GgJh200G83WVbsjiED+cHf6+RrlW2zkZgAR7QwgacWGVSgQTRaOu3TSa3SH2+
ZhY/g2yaITvjtqrnbySY/KmFm3G5kMdJuEHfcqOqHnpUtrAH5qwSB7+ZicPtLLjP
TewjeBTl/sJVN39whDHG9tPaZ4B3hvwyFaXUDc4jHtGQl9Ed+3XYPJQafmmiLJ9e
h/WcjhgHYWTEkjyHDK0HuCbNfJ7rzHs4ZTbnxf/f0KTZHvb7Y03Z7KO/8ZnG1kLD
+QIDAQAB
-----END PUBLIC KEY-----
)";
constexpr const char* kNodeAppPublicBare =
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAvpjRtB7IcjsA9LwjZhiK20y3pEoLnEdUASaY1R20eKxhzKC1"
    "Y/GFIVAxTLDS8QddHdY+r4tHAKnQe2+rl6cZ883GgJh200G83WVbsjiED+cHf6+RrlW2zkZgAR7QwgacWGVSgQTRaOu3"
    "TSa3SH2+ZhY/g2yaITvjtqrnbySY/KmFm3G5kMdJuEHfcqOqHnpUtrAH5qwSB7+ZicPtLLjPTewjeBTl/sJVN39whDHG"
    "9tPaZ4B3hvwyFaXUDc4jHtGQl9Ed+3XYPJQafmmiLJ9eh/WcjhgHYWTEkjyHDK0HuCbNfJ7rzHs4ZTbnxf/f0KTZHvb7"
    "Y03Z7KO/8ZnG1kLD+QIDAQAB";

// Same repo, app-private-key-pkcs8.pem at commit bf1c026: PKCS#8 PEM whose body is one
// long line. app-private-key-pkcs8-no-wrapper.pem holds the same key bare. (In that repo
// the PKCS#8 fixtures are a different key from the PKCS#1 ones.)
constexpr const char* kNodePkcs8Body =
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCEvelY/nkHV8WS9g461x84RSG8Gh0ekudz0qa4BTgf"
    "xX6hzIpNyRpwGEmvAhPwgszOl+V+qnOX52+kkizHchs0HU+bLRX3j368KiIERrQxrDV2Al8jCCGuwovjXCrN5oWoLoJ6"
    "GJ5+/BMqtLzPEgrWAMeKmyKY2wNuoJiaiMPGHKis7gILSJeV37X4tDFqN/1l0bWcsN312BUaIyQQNRIZcoK3o2mgMen/"
    "qm0BxhK+eflbhhQ1Z3L7BXFPSPKts/WA1QMbUNW0Uutlc1D29jnBHJqLHy9RxxDezmjXzq0+Cm6n76VTe/Y2DPJsX0nM"
    "lY91qcO/lwlwnIV7jcs10P2bAgMBAAECggEATqiGxSCOMWa2gh5iUkW1j0+P7PoAdWSR2JVkC7m0B0etgU1GS0+25ePO"
    "jfEKRcQMfwONj6CLvOD8zCV+eXVJX3la+dYepUMX04KYA7auAp1MVLCVFZo082z/Hew4xSgr3Xwp/xXlndPbu7u8Amxr"
    "lWKC28SQHMnzX7O0miYe9J6aswahA09JZ6dpEezFuRO28dY4cstiPNqEUNRvNXHZB1V4E9c86cbg2STW4hthqypIk1QC"
    "VpIKyGmAglDczsjUJ5/uFwtw5Sf05qaRReKkRBEo27peFnfbJluGRy8zuKu1a0tFo86P3xTv8W6XRbWozb8LWNMnepg/"
    "UIGtkqxbwQKBgQDdv+Gd4tqx6gToBMVaGOt1Bj1U+MmPPtVAa4PPLeUsOJEvb/0quFTUfIBhAVoLTf51mP02vYYO5rzy"
    "+t3A+05mh7lESf5T5jIAeE2yopgahUv9FvIdqCYMMQl+E86/e0wSUj2FmV+wXlBGypL0KeEt6PsYk0DnASFcEp4kvngl"
    "OwKBgQCZPpvkXbDLaMGLuj2roij4AU5yoTOx/Rymh4AlBTdhFOGRBmgIOZy9+HbWOXsDnnfxi6VWjzGc9xJ6rdLOZb2n"
    "fgdbtQ1lojhl4f1+V5yKY24SZYAzqkneOe4nAVJlKzytA51GHkSQsMeSzCyxDSOtRpIk/MqtzhWm+31Fp2WDIQKBgQCA"
    "4yJz7oNGncq0QPGkaI+SuUm0tdYRmGfCxbsbFIX7qfVZKTJxPiqwRp0nxO1dXLvmBkJHKulch+iTIhT6MhdjqMeaVZep"
    "lEbD1yjyB2d5IrkEJe4cJrvWojnuOf0VdsjEbWCs4nSnwmnOe7fmiuEDGkO4CP7URefp6DhbCwoyOQKBgFoDM5B1E+a2"
    "9pC7aYQKMSRTqB+e3n2a3hxXFQcpxDirCj+kUrEaHh5b9nmos8ARcgSYcRqh65N2cQ1MUrnXewoJ9gqBE4hyO8xkbQCs"
    "N4/2DW6S3jX6vX7h6ihRF3PDbNV3fQb1unJ+1As/ELVCsYUTIb7GGcrzdTZrHE8wn2jhAoGABwMegLxuhhgnt+TvZFsm"
    "/gbq4YqR09N67VPPAwd5MHq4RrSNMofDFzzc7SthWAFWOHZZyQRTXzOGwBP9iOk3KrnCXZlfOh4esAA1Nma1XEEIQOaT"
    "DLnfmGPOjg0i8MmhSgDKx/FHz7970wYMnFigew5WdfHklRZE7RdsHkXajVg=";

// Same repo, app-private-key-pkcs8.pem at commit 8c730f5 (bare PKCS#8) and
// app-public-key-pkcs8.pem (bare SPKI): a third key pair.
constexpr const char* kNodePkcs8KeyC =
    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDaR58+HHpuQUURKiyNi7JAMpcw7bE7fubvvwfGZeSt"
    "WhAU65tkJV92o16ynuc3Ry51/lDI2mn+7pNlrAJU/FMs+8kJWkfQN6KqOt5e4NYAsqY+mTW5P58Gz0rUX+53iOaXGXmu"
    "JkAOlcVaBXe0YrAy7+mq42wS6Tm4pr3eFG+MymO0ellp0O4G9H+deRS38MOaRohDXyT66vaFetSELHlrU7sU/xK+f51B"
    "CYa4NiDRPGVeeEXRvGlRh6Xnh41AVcJHZZRXX9K5PojMS83Hj6NpOyW21qZ8n5lo8XGp68CsXQZIFGUQcWnN3OOL1nNy"
    "DnFWvifNqlG3++2k1FLzHuxzAgMBAAECggEAY4Cwu8yZlvcT9/4kryWWTSOCvmAsIbX4qiOH9M3wD4H1wMOiY2WR/e/9"
    "NCmxtwYwzMLwqo6+MOMqt/dQXNNlSyVAAI5yHB2wfi81vUR66XiGxhRrZBX3dVA7iVJtz3nNu+V2DYgMPVnSy/WgGs++"
    "CIpLF4ZydrBwipcgCEOCkke85Dh55gDH1yW3zJ5QgqECeXxlVTFH1eLrbdK6dIBThI9ec2y2HOK3ukIctevEDLmqJQof"
    "maqfPEOLUpbnAwnxYOZNTdZrU7OT27dFWJOpWh/D0L/0i1lbEDSN42jD3SM5n0RJtjTaL7Dk4o0nq3JhzaIw+ZFuRFiI"
    "7Fk4O0QVuQKBgQDtpk09PVJf37dCvZOb+a9tMABXTClgGchyrwVYwMskTA+O+ylzZsCwUJuTCVHxzKQ8m1b0ws/dnMOV"
    "hj93UvPD8HeojdWJ+GS3yKnfQBwe/DTWRfhbKKciBf5EOsr+4tvka0Yx7Xc25t3zINaW3YAraIl4D42o3zXnHDfBhqyl"
    "PwKBgQDrIm4l5UNAFNYyEO+dxT48FAcmgaM4nIZOq0c3gkQWEncSf5ckFtQGnLp/1ot1yRFVyVckUAVlkysnLlqW8XZI"
    "Cw/V5pdx4AacT+VYBhn/RgAQYrBEdiujGdeXyxXUQRWnJCBXvUQ/xLOuUAYW5WDjr7QK+q7ZR+g2s4HI684nzQKBgQCy"
    "g4JvpvmStQ0HIDqaJpOFFFKdQMOvwY5Vv2znv2KY8F2bjMUVP7EsgFBswcqBNLSGJjXKg+/6y0ALuJ1B99jObXqk7W3j"
    "Ruf5Oc2IurKk/9R8xHCLoVzybMgT3ooPrr94tLA03uj3H7LHZ/pptxcJBGyG+D/0Az+NTCAByjUzpwKBgGLQx2WZodeO"
    "ai4EPA8b03nAGPkvxf6GmVL6XCWR0zdLb0sQ393E0jotJ5uN+HH5nBVnVf3muz3iyWHf8yY4N7MzIuaLz92FfoG2efWy"
    "Kr7DFkfMkbNTzibvN1GNgZEAAS+K2STGX6ZE7hY1fzmkEEHfl1R94Xli5M4IRmS/5JWJAoGAbbdScG7cVvMcnZNUzeYn"
    "Ud4XJvkyqiN8efsLLNhHZlJtD6d+PHGb0p/nisAx5zytBDhoK4WHq747mzuVeoUgM/7GQ8b8EP6TQml1ZS7B7vJo2Jmg"
    "30vjrZlGgmY/q5Hxah/+lVpDJX48zGjxT4wu74lnm4w471Z8kFANSySA3E8=";
constexpr const char* kNodePublicKeyC =
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2kefPhx6bkFFESosjYuyQDKXMO2xO37m778HxmXkrVoQFOub"
    "ZCVfdqNesp7nN0cudf5QyNpp/u6TZawCVPxTLPvJCVpH0DeiqjreXuDWALKmPpk1uT+fBs9K1F/ud4jmlxl5riZADpXF"
    "WgV3tGKwMu/pquNsEuk5uKa93hRvjMpjtHpZadDuBvR/nXkUt/DDmkaIQ18k+ur2hXrUhCx5a1O7FP8Svn+dQQmGuDYg"
    "0TxlXnhF0bxpUYel54eNQFXCR2WUV1/SuT6IzEvNx4+jaTslttamfJ+ZaPFxqevArF0GSBRlEHFpzdzji9Zzcg5xVr4n"
    "zapRt/vtpNRS8x7scwIDAQAB";

// wechatpay-apiv3/wechatpay-go utils/sign_test.go: a PKCS#8 body under a "TESTING KEY"
// label (so scanners do not flag it); the label must not matter to us.
constexpr const char* kWechatGoTestingKey = R"(-----BEGIN TESTING KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDZUJN33V+dSfvd
fL0Mu+39XrZNXFFMQSy1V15FpncHeV47SmV0TzTqZc7hHB0ddqAdDi8Z5k3TKqb7
6sOwYr5TcAfuR6PIPaleyE0/0KrljBum2Isa2Nyq7Dgc3ElBQ6YN4l/a+DpvKaz1
FSKmKrhLNskqokWVSlu4g8OlKlbPXQ9ibII14MZRQrrkTmHYHzfi7GXXM0thAKuR
0HNvyhTHBh4/lrYM3GaMvmWwkwvsMavnOex6+eioZHBOb1/EIZ/LzC6zuHArPpyW
3daGaZ1rtQB1vVzTyERAVVFsXXgBHvfFud3w3ShsJYk8JvMwK2RpJ5/gV0QSARcm
LDRUAlPzAgMBAAECggEBAMc7rDeUaXiWv6bMGbZ3BTXpg1FhdddnWUnYE8HfX/km
OFI7XtBHXcgYFpcjYz4D5787pcsk7ezPidAj58zqenuclmjKnUmT3pfbI5eCA2v4
C9HnbYDrmUPK1ZcADtka4D6ScDccpNYNa1g2TFHzkIrEa6H+q7S3O2fqxY/DRVtN
0JIXalBb8daaqL5QVzSmM2BMVnHy+YITJWIkP2a3pKs9C0W65JGDsnG0wVrHinHF
+cnhFZIbaPEI//DAFMc9NkrWOKVRTEgcCUxCFaHOZVNxDWZD7A2ZfJB2rK6eg//y
gEiFDR2h6mTaDowMB4YF2n2dsIO4/dCG8vPHI20jn4ECgYEA/ZGu6lEMlO0XZnam
AZGtiNgLcCfM/C2ZERZE7QTRPZH1WdK92Al9ndldsswFw4baJrJLCmghjF/iG4zi
hhBvLnOLksnZUfjdumxoHDWXo2QBWbI5QsWIE7AuTiWgWj1I7X4fCXSQf6i+M/y2
6TogQ7d0ANpZFyOkTNMn/tiJvLECgYEA22XqlamG/yfAGWery5KNH2DGlTIyd6xJ
WtJ9j3jU99lZ0bCQ5xhiBbU9ImxCi3zgTsoqLWgA/p00HhNFNoUcTl9ofc0G3zwT
D1y0ZzcnVKxGJdZ6ohW52V0hJStAigtjYAsUgjm7//FH7PiQDBDP1Wa6xSRkDQU/
aSbQxvEE8+MCgYEA3bb8krW7opyM0XL9RHH0oqsFlVO30Oit5lrqebS0oHl3Zsr2
ZGgoBlWBsEzk3UqUhTFwm/DhJLTSJ/TQPRkxnhQ5/mewNhS9C7yua7wQkzVmWN+V
YeUGTvDGDF6qDz12/vJAgSwDDRym8x4NcXD5tTw7mmNRcwIfL22SkysThIECgYAV
BgccoEoXWS/HP2/u6fQr9ZIR6eV8Ij5FPbZacTG3LlS1Cz5XZra95UgebFFUHHtC
EY1JHJY7z8SWvTH8r3Su7eWNaIAoFBGffzqqSVazfm6aYZsOvRY6BfqPHT3p/H1h
Tq6AbBffxrcltgvXnCTORjHPglU0CjSxVs7awW3AEQKBgB5WtaC8VLROM7rkfVIq
+RXqE5vtJfa3e3N7W3RqxKp4zHFAPfr82FK5CX2bppEaxY7SEZVvVInKDc5gKdG/
jWNRBmvvftZhY59PILHO2X5vO4FXh7suEjy6VIh0gsnK36mmRboYIBGsNuDHjXLe
BDa+8mDLkWu5nHEhOxy2JJZl
-----END TESTING KEY-----)";

std::string sign_b64(const PrivateKey& key, std::string_view data) {
  auto sig = rsa_sha256_sign(key, data);
  EXPECT_TRUE(sig.ok()) << (sig.ok() ? "" : sig.error().message);
  return sig.ok() ? b64(*sig) : std::string();
}

PrivateKey must_parse_private(std::string_view text) {
  auto key = PrivateKey::parse(text);
  EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message);
  return key.ok() ? *key : PrivateKey();
}

PublicKey must_parse_public(std::string_view text) {
  auto key = PublicKey::parse(text);
  EXPECT_TRUE(key.ok()) << (key.ok() ? "" : key.error().message);
  return key.ok() ? *key : PublicKey();
}

// Wraps a base64 body at `width` columns (0 = one line) under `label`.
std::string pem(std::string_view label, std::string_view body, std::size_t width = 64,
                std::string_view eol = "\n") {
  std::string out = "-----BEGIN " + std::string(label) + "-----" + std::string(eol);
  if (width == 0) width = body.size();
  for (std::size_t i = 0; i < body.size(); i += width) {
    out += std::string(body.substr(i, width)) + std::string(eol);
  }
  out += "-----END " + std::string(label) + "-----" + std::string(eol);
  return out;
}

// The base64 body of a PEM text, on one line.
std::string pem_body(std::string_view text) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 5) != "-----") out += line;
    pos = eol + 1;
  }
  return out;
}

TEST(RsaVectors, AlipayRequestSigningYansongda) {
  // yansongda/pay tests/Plugin/Alipay/V2/AddPayloadSignaturePluginTest.php::testSignNormal:
  // every parameter but sign, sorted, raw values joined with '&'.
  const std::string string_to_sign =
      "alipay_root_cert_sn=687b59193f3f462dd5336e5abf83c5d8_02941eef3187dddf3d3b83462e1dfcf6"
      "&app_cert_sn=e90dd23a37c5c7b616e003970817ff82&app_id=9021000122682882"
      "&biz_content={\"out_trade_no\":\"1703141270\"}&charset=utf-8&format=JSON"
      "&method=alipay.trade.query&notify_url=http://hk.ysdor.cn/index.php"
      "&return_url=http://hk.ysdor.cn/index.php&sign_type=RSA2&timestamp=2023-12-21 06:54:37"
      "&version=1.0";
  const std::string expected =
      "FrzUwXziVWK2x5glZkGoQ6dGR87O33APv3D/lWjVqPrFnMwcYjOYyln1B1bw5VuOwokLRmqcwWuTumBg8Q+n4FkVR3"
      "DMCvL8ywTBp5+6pRAETfhFop4m+r6jI+dgOavwyoZ69CWCzCcEyb0vMjgrV2eoSI4bgLjJyPcGpZ+iDBTSvE6eVxs0"
      "5bUjainAOB5NnAvME06nkaxGLB4qwF9c3SQoiZt7QcMRdyy6mRItZxRaEjMm6qX8dfPuuquJC4wpTRk8PQeu5EMR4y"
      "yc1atxso3CMovjkGr5LzDtqLNseyqqorYW+Gfu3ugHSs9aqkwAAysg79O6TsvuFa9OHq64Tg==";
  const auto key = must_parse_private(kYansongdaAlipayKey);
  EXPECT_EQ(sign_b64(key, string_to_sign), expected);

  // And the public half derived from it verifies the published signature.
  const auto pub = must_parse_public(key.public_key_pem());
  EXPECT_TRUE(rsa_sha256_verify(pub, string_to_sign, unb64(expected)));
  EXPECT_FALSE(rsa_sha256_verify(pub, string_to_sign + " ", unb64(expected)));
}

TEST(RsaVectors, WechatpayGoSignVector) {
  // wechatpay-go utils/sign_test.go TestSha256WithRsa.
  const auto key = must_parse_private(kWechatGoTestingKey);
  EXPECT_EQ(
      sign_b64(key, "source"),
      "BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hA"
      "m6pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUH"
      "lCqIMzoZUguLli/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4h"
      "vMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg==");
  // WeChat Pay v3 request message (METHOD\nURL\nTS\nNONCE\nBODY\n), value checked with
  // `openssl dgst -sha256 -sign` (see the provider-protocols notes, §2.5).
  EXPECT_EQ(
      sign_b64(key, "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n"),
      "RjVFHMcrr9NsM4SiNmpFx6QPR99WztxatBshmr/6f7pXnt2YSPAhmNrEEAjWgpOcf5Zxbwl2qdPACOsEOeGrnL"
      "D81nVK3ucJq50iD0FAyF11knd1C9ic7zV9Jg3zao0+Wx3yAI6jXx6NLBEfNNspCazrQ+IHsUi04tubSBsT+4LH"
      "T9j0rL9axFBl7jVYe7uZ1ZQzap8EokLHDQbYw6qPEOs85+a2rnudh3TCPe81oUfe0zPqwEE6sWxxeSCYx+1mbU"
      "RsOAN4Z8/uKgOIZxbDAkqYWFb7VOaHFeejC1rsxUc7wkw0zQWxae1giswROXii1DorwdJ3CGlPchx0PyDjkQ==");
}

// The alipay-sdk-nodejs-all fixtures. Expected signatures of "hello payhost" were computed
// with `openssl dgst -sha256 -sign` (OpenSSL 3.0) on the same files.
TEST(RsaVectors, AlipayNodeFixturesAllEncodingsSignIdentically) {
  const std::string message = "hello payhost";
  const std::string expected_a =
      "bbJBG1EP4uTNVI5D2VKUySpY4v/8IwcJg1Nty7Y2ET55CZdRGx7FK6qWr2jeGFULdGXLpdMQ93EpUKM1hsyY1jVn7x"
      "50VsByN/cRLAEXAgmsEeMPbXJZ9RBXDVmMrYtjLVB19llt+WJPQKg0QfpXeDStjjjzr7p65xeSF40/sElsuQpGKLgR"
      "fdgcdi5OY3oCUcbNBisTodGZbxK0hA9Gv9ef65jjaXp4kuWctOJztW9NC8+HqTxX09mF+EeUir7FbyeKITFCHF1/vN"
      "nv7KpmlBNRtOs7Zc9BbglDL3CM2PuumqhENDu56VBY4u1v+vxoGCfv9A77rZqGh4PUaY1YYA==";
  const std::string expected_b =
      "Y0xNGL9vYtSVRDF0e0vn1NhVOSdXrO7HRzUaCSsQpL7T0fVW7/S9vEj5jpSU4Hd4lTV1UEj+SRcOtktwMHkvt9Gw4d"
      "VZwKJ3qvkbV6i3jlS9jxl9LE2AjcX9/ruDoASih551wtPrbVHabhl/Ijd6Z49uuVTAH0dd0LlgL1GRYrf7LOiq9u1b"
      "7WF5pcCEc6h41SydRiV/MOWu9wywNDz5G4DbOKg1J3bWBWV6u4njJ6NK6nIURCzoA4OonTzddV43vtBi/LPcWFLeFX"
      "lD93lyX4XO4tm5vBCthRa9zAhTp+3EyUbmDXYxTYWAL+eZbY7fqiFoKc0777FOgPa57sY1VQ==";
  const std::string expected_c =
      "pmIPdu/J8W28OGUWf5fDhgOVcmvGpdci+J7M2z2FK73jVFKOEokq494jJX0Aka/8Uo+b+2/wIJX6ZlSguqQh+Ob5IA"
      "IVjP9QGXBQ9UW0FI9SQ3hemPHXpDTQN/uZTssS1E8jU2XmUmwNdZu1L2EJROwv9nSFEcXTdaHejA5TSMHL3kJMP3JA"
      "6sAbb0xM0eZRoolUi4+D3yqdtTBstv0gDDUucYI5B0jwlIS3MHq3rSFChgH0ofZfS1G3jBixsYurKptXeoTrTmJ6sn"
      "HwYudmfK+XsU6wTRlJI2i3mMGIYxKmJELW/i591ICWjcsc0l86GfY4ejHsCvfMlQfuiom+gQ==";

  // Key A: PKCS#1 PEM and bare PKCS#1 as published.
  EXPECT_EQ(sign_b64(must_parse_private(kNodeAppKeyPkcs1Pem), message), expected_a);
  EXPECT_EQ(sign_b64(must_parse_private(kNodeAppKeyPkcs1Bare), message), expected_a);
  // Key B: PKCS#8 PEM with a one-line body, and bare PKCS#8.
  EXPECT_EQ(sign_b64(must_parse_private(pem("PRIVATE KEY", kNodePkcs8Body, 0)), message),
            expected_b);
  EXPECT_EQ(sign_b64(must_parse_private(kNodePkcs8Body), message), expected_b);
  // Key C: bare PKCS#8 with its bare SPKI public key.
  EXPECT_EQ(sign_b64(must_parse_private(kNodePkcs8KeyC), message), expected_c);
  EXPECT_TRUE(rsa_sha256_verify(must_parse_public(kNodePublicKeyC), message, unb64(expected_c)));

  // Key A's public key in both published encodings.
  for (const char* pub_text : {kNodeAppPublicPem, kNodeAppPublicBare}) {
    const auto pub = must_parse_public(pub_text);
    EXPECT_TRUE(rsa_sha256_verify(pub, message, unb64(expected_a)));
    EXPECT_FALSE(rsa_sha256_verify(pub, message, unb64(expected_b)));  // another key's
  }
  // The public key we derive is byte-identical to the published SPKI.
  EXPECT_EQ(pem_body(must_parse_private(kNodeAppKeyPkcs1Bare).public_key_pem()),
            kNodeAppPublicBare);
}

// ---------------------------------------------------------------------------------------
// Key parsing in every encoding, using a key generated at test time and converted with
// OpenSSL's own encoders.

struct PkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyDeleter>;

// OpenSSL-side encoding of `pkey`: output "PEM" or "DER", structure e.g. "PrivateKeyInfo"
// (PKCS#8), "type-specific" (PKCS#1), "SubjectPublicKeyInfo".
std::string openssl_encode(EVP_PKEY* pkey, int selection, const char* output,
                           const char* structure) {
  OSSL_ENCODER_CTX* ctx =
      OSSL_ENCODER_CTX_new_for_pkey(pkey, selection, output, structure, nullptr);
  unsigned char* data = nullptr;
  std::size_t len = 0;
  std::string out;
  if (ctx != nullptr && OSSL_ENCODER_CTX_get_num_encoders(ctx) > 0 &&
      OSSL_ENCODER_to_data(ctx, &data, &len) == 1) {
    out.assign(reinterpret_cast<const char*>(data), len);
  }
  OPENSSL_free(data);
  OSSL_ENCODER_CTX_free(ctx);
  return out;
}

std::string self_signed_cert_pem(EVP_PKEY* pkey) {
  X509* cert = X509_new();
  std::string out;
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("payhost test"), -1, -1, 0);
  if (X509_set_version(cert, 2) == 1 && ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) == 1 &&
      X509_gmtime_adj(X509_getm_notBefore(cert), 0) != nullptr &&
      X509_gmtime_adj(X509_getm_notAfter(cert), 3600) != nullptr &&
      X509_set_issuer_name(cert, name) == 1 && X509_set_pubkey(cert, pkey) == 1 &&
      X509_sign(cert, pkey, EVP_sha256()) > 0) {
    BIO* bio = BIO_new(BIO_s_mem());
    if (PEM_write_bio_X509(bio, cert) == 1) {
      char* data = nullptr;
      const long len = BIO_get_mem_data(bio, &data);
      out.assign(data, static_cast<std::size_t>(len));
    }
    BIO_free(bio);
  }
  X509_free(cert);
  return out;
}

class KeyEncodings : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pair = generate_rsa_keypair(2048);
    ASSERT_TRUE(pair.ok()) << pair.error().message;
    pair_ = new GeneratedKeyPair(*pair);
    BIO* bio = BIO_new_mem_buf(pair_->private_key_pem.data(),
                               static_cast<int>(pair_->private_key_pem.size()));
    pkey_ = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    ASSERT_NE(pkey_, nullptr);
  }
  static void TearDownTestSuite() {
    EVP_PKEY_free(pkey_);
    delete pair_;
  }

  static std::string private_pem(const char* structure) {
    return openssl_encode(pkey_, EVP_PKEY_KEYPAIR, "PEM", structure);
  }
  static std::string public_pem(const char* structure) {
    return openssl_encode(pkey_, EVP_PKEY_PUBLIC_KEY, "PEM", structure);
  }

  static inline GeneratedKeyPair* pair_ = nullptr;
  static inline EVP_PKEY* pkey_ = nullptr;
};

TEST_F(KeyEncodings, GeneratedPairHasTheDocumentedFormats) {
  EXPECT_EQ(pair_->private_key_pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
  EXPECT_EQ(pair_->public_key_pem.rfind("-----BEGIN PUBLIC KEY-----\n", 0), 0u);
  EXPECT_EQ(EVP_PKEY_get_bits(pkey_), 2048);
  EXPECT_EQ(must_parse_private(pair_->private_key_pem).public_key_pem(), pair_->public_key_pem);
}

TEST_F(KeyEncodings, RejectsWeakKeySizes) {
  auto weak = generate_rsa_keypair(1024);
  ASSERT_FALSE(weak.ok());
  EXPECT_EQ(weak.error().kind, ErrorKind::invalid_request);
}

TEST_F(KeyEncodings, PublicExponentIsTheOneAskedFor) {
  EXPECT_EQ(rsa_public_exponent(must_parse_public(pair_->public_key_pem)), 65537u);
  auto marked = generate_rsa_keypair(2048, 65539);
  ASSERT_TRUE(marked.ok()) << marked.error().message;
  const PublicKey key = must_parse_public(marked->public_key_pem);
  EXPECT_EQ(rsa_public_exponent(key), 65539u);
  const std::string signature = *rsa_sha256_sign(must_parse_private(marked->private_key_pem), "x");
  EXPECT_TRUE(rsa_sha256_verify(key, "x", signature));
  EXPECT_FALSE(generate_rsa_keypair(2048, 65538).ok());
  EXPECT_FALSE(generate_rsa_keypair(2048, 1).ok());
}

TEST_F(KeyEncodings, EveryPrivateKeyEncodingSignsIdentically) {
  const std::string pkcs8_pem = private_pem("PrivateKeyInfo");
  const std::string pkcs1_pem = private_pem("type-specific");
  ASSERT_EQ(pkcs8_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  ASSERT_EQ(pkcs1_pem.rfind("-----BEGIN RSA PRIVATE KEY-----", 0), 0u);
  const std::string pkcs8 = pem_body(pkcs8_pem);
  const std::string pkcs1 = pem_body(pkcs1_pem);
  // The prefixes providers' consoles show. The DER length moves with the key: d, dp, dq and
  // qinv each take a leading zero byte only if their top bit is set, so about one key in
  // sixteen is four bytes shorter (MIIEu..., MIIEn...).
  const std::string pkcs8_prefix = pkcs8.substr(0, 5), pkcs1_prefix = pkcs1.substr(0, 5);
  ASSERT_TRUE(pkcs8_prefix == "MIIEv" || pkcs8_prefix == "MIIEu") << pkcs8;
  ASSERT_TRUE(pkcs1_prefix == "MIIEp" || pkcs1_prefix == "MIIEo" || pkcs1_prefix == "MIIEn")
      << pkcs1;

  const std::map<std::string, std::string> encodings = {
      {"generated PKCS#8 PEM", pair_->private_key_pem},
      {"PKCS#8 PEM", pkcs8_pem},
      {"PKCS#1 PEM", pkcs1_pem},
      {"PKCS#8 PEM one line", pem("PRIVATE KEY", pkcs8, 0)},
      {"PKCS#1 PEM one line", pem("RSA PRIVATE KEY", pkcs1, 0)},
      {"PKCS#8 body under RSA label", pem("RSA PRIVATE KEY", pkcs8)},
      {"PKCS#1 body under PKCS#8 label", pem("PRIVATE KEY", pkcs1)},
      {"PKCS#8 PEM CRLF", pem("PRIVATE KEY", pkcs8, 64, "\r\n")},
      {"PKCS#1 PEM 76 columns", pem("RSA PRIVATE KEY", pkcs1, 76)},
      {"PKCS#8 bare", pkcs8},
      {"PKCS#1 bare", pkcs1},
      {"PKCS#1 bare wrapped", pem_body(pkcs1_pem).insert(64, "\n").insert(129, "\n")},
      {"PKCS#8 bare padded", "  \n" + pkcs8 + "\n\n"},
      {"PKCS#1 PEM with escaped newlines", pem("RSA PRIVATE KEY", pkcs1, 64, "\\n")},
      {"PKCS#8 PEM all on one line", pem("PRIVATE KEY", pkcs8, 0, "")},
  };
  const std::string message = "payhost: the same bytes whatever the key encoding";
  const auto reference = sign_b64(must_parse_private(pair_->private_key_pem), message);
  ASSERT_FALSE(reference.empty());
  const auto pub = must_parse_public(pair_->public_key_pem);
  EXPECT_TRUE(rsa_sha256_verify(pub, message, unb64(reference)));
  for (const auto& [name, text] : encodings) {
    SCOPED_TRACE(name);
    auto key = PrivateKey::parse(text);
    ASSERT_TRUE(key.ok()) << key.error().message;
    EXPECT_EQ(sign_b64(*key, message), reference);
  }
}

TEST_F(KeyEncodings, EveryPublicKeyEncodingVerifies) {
  const std::string spki_pem = public_pem("SubjectPublicKeyInfo");
  const std::string pkcs1_pem = public_pem("type-specific");
  const std::string cert_pem = self_signed_cert_pem(pkey_);
  ASSERT_EQ(spki_pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  ASSERT_EQ(pkcs1_pem.rfind("-----BEGIN RSA PUBLIC KEY-----", 0), 0u);
  ASSERT_EQ(cert_pem.rfind("-----BEGIN CERTIFICATE-----", 0), 0u);
  const std::string spki = pem_body(spki_pem);
  const std::string pkcs1 = pem_body(pkcs1_pem);
  const std::string cert = pem_body(cert_pem);
  ASSERT_EQ(spki.substr(0, 6), "MIIBIj");
  ASSERT_EQ(pkcs1.substr(0, 6), "MIIBCg");

  const std::map<std::string, std::string> encodings = {
      {"generated SPKI PEM", pair_->public_key_pem},
      {"SPKI PEM", spki_pem},
      {"PKCS#1 PEM", pkcs1_pem},
      {"certificate PEM", cert_pem},
      {"SPKI PEM one line", pem("PUBLIC KEY", spki, 0)},
      {"PKCS#1 body under SPKI label", pem("PUBLIC KEY", pkcs1)},
      {"SPKI PEM CRLF", pem("PUBLIC KEY", spki, 64, "\r\n")},
      {"SPKI bare", spki},
      {"PKCS#1 bare", pkcs1},
      {"certificate bare", cert},
      {"certificate one line", pem("CERTIFICATE", cert, 0)},
  };
  const std::string message = "verify me";
  const auto sig = rsa_sha256_sign(must_parse_private(pair_->private_key_pem), message);
  ASSERT_TRUE(sig.ok());
  for (const auto& [name, text] : encodings) {
    SCOPED_TRACE(name);
    auto key = PublicKey::parse(text);
    ASSERT_TRUE(key.ok()) << key.error().message;
    EXPECT_TRUE(rsa_sha256_verify(*key, message, *sig));
    EXPECT_FALSE(rsa_sha256_verify(*key, message + ".", *sig));
  }
}

TEST_F(KeyEncodings, BadKeysFailClearlyWithoutLeakingKeyMaterial) {
  const std::string pkcs8 = pem_body(pair_->private_key_pem);
  const std::string fragment = pkcs8.substr(100, 24);  // some secret-bearing base64
  const std::string ec_pem = [] {
    EVP_PKEY* ec = EVP_EC_gen("P-256");
    std::string out = openssl_encode(ec, EVP_PKEY_KEYPAIR, "PEM", "PrivateKeyInfo");
    EVP_PKEY_free(ec);
    return out;
  }();
  ASSERT_FALSE(ec_pem.empty());

  const std::map<std::string, std::string> bad = {
      {"empty", ""},
      {"whitespace", " \n\t"},
      {"not base64", "this is not a key"},
      {"truncated", pkcs8.substr(0, pkcs8.size() / 2)},
      {"truncated PEM", pem("PRIVATE KEY", pkcs8.substr(0, 800))},
      {"trailing garbage", pem("PRIVATE KEY", b64(unb64(pkcs8) + "junk"))},
      {"flipped base64 char", std::string("NIIEv") + pkcs8.substr(5)},
      {"public key", pair_->public_key_pem},
      {"EC key", ec_pem},
      {"encrypted PKCS#8 label", "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + pkcs8 +
                                     "\n-----END ENCRYPTED PRIVATE KEY-----\n"},
      {"encrypted traditional PEM",
       "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n" +
           pkcs8 + "\n-----END RSA PRIVATE KEY-----\n"},
      {"unterminated armour", "-----BEGIN PRIVATE KEY\n" + pkcs8},
  };
  for (const auto& [name, text] : bad) {
    SCOPED_TRACE(name);
    auto key = PrivateKey::parse(text);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().kind, ErrorKind::invalid_request);
    EXPECT_EQ(key.error().code, "bad_key");
    EXPECT_FALSE(key.error().message.empty());
    EXPECT_EQ(key.error().message.find(fragment), std::string::npos);
    EXPECT_EQ(key.error().message.find("MII"), std::string::npos);
  }
  // A private key is not a public key (and must not be silently accepted as one).
  for (const std::string& text :
       {pair_->private_key_pem, pkcs8, std::string("garbage"), std::string()}) {
    auto key = PublicKey::parse(text);
    ASSERT_FALSE(key.ok());
    EXPECT_EQ(key.error().code, "bad_key");
    EXPECT_EQ(key.error().message.find(fragment), std::string::npos);
  }
}

// ---------------------------------------------------------------------------------------
// Signatures

TEST_F(KeyEncodings, SignVerifyRoundTripAndTampering) {
  const auto key = must_parse_private(pair_->private_key_pem);
  const auto pub = must_parse_public(pair_->public_key_pem);
  for (const std::string& message :
       {std::string(), std::string("a"), std::string(10000, 'x'), std::string("\0binary\xff", 8)}) {
    auto sig = rsa_sha256_sign(key, message);
    ASSERT_TRUE(sig.ok());
    ASSERT_EQ(sig->size(), 256u);  // raw bytes of a 2048-bit signature, not base64
    EXPECT_TRUE(rsa_sha256_verify(pub, message, *sig));
    // Deterministic: PKCS#1 v1.5 has no randomness.
    EXPECT_EQ(*rsa_sha256_sign(key, message), *sig);

    for (std::size_t bit : {0u, 7u, 1000u, 2047u}) {
      std::string flipped = *sig;
      flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
      EXPECT_FALSE(rsa_sha256_verify(pub, message, flipped)) << "bit " << bit;
    }
    EXPECT_FALSE(rsa_sha256_verify(pub, message + "!", *sig));
    EXPECT_FALSE(rsa_sha256_verify(pub, message, sig->substr(1)));
    EXPECT_FALSE(rsa_sha256_verify(pub, message, *sig + '\0'));
    EXPECT_FALSE(rsa_sha256_verify(pub, message, ""));
    EXPECT_FALSE(rsa_sha256_verify(pub, message, std::string(256, '\0')));
  }
  // Another key's public half.
  EXPECT_FALSE(
      rsa_sha256_verify(must_parse_public(kNodeAppPublicPem), "m", *rsa_sha256_sign(key, "m")));
}

TEST(Rsa, EmptyKeysFailWithoutCrashing) {
  const PrivateKey no_private;
  const PublicKey no_public;
  auto sig = rsa_sha256_sign(no_private, "data");
  EXPECT_FALSE(sig.ok());
  EXPECT_TRUE(no_private.public_key_pem().empty());
  EXPECT_FALSE(rsa_sha256_verify(no_public, "data", std::string(256, 'x')));
}

TEST(Rsa, SharedKeyIsSafeAcrossThreads) {
  const auto key = must_parse_private(kNodeAppKeyPkcs1Pem);
  const auto pub = must_parse_public(kNodeAppPublicPem);
  const std::string expected = sign_b64(key, "hello payhost");
  std::vector<std::thread> threads;
  std::array<int, 4> failures{};
  for (std::size_t t = 0; t < failures.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        auto sig = rsa_sha256_sign(key, "hello payhost");
        if (!sig.ok() || base64_encode(*sig) != expected ||
            !rsa_sha256_verify(pub, "hello payhost", *sig)) {
          ++failures[t];
        }
      }
    });
  }
  for (auto& th : threads)
    th.join();
  for (int f : failures)
    EXPECT_EQ(f, 0);
}

// ---------------------------------------------------------------------------------------
// Randomness and comparison

TEST(Random, BytesHaveTheRequestedLengthAndDiffer) {
  EXPECT_TRUE(random_bytes(0).empty());
  EXPECT_EQ(random_bytes(1).size(), 1u);
  const auto a = random_bytes(32);
  const auto b = random_bytes(32);
  ASSERT_EQ(a.size(), 32u);
  EXPECT_NE(a, b);
}

TEST(Random, SmallDrawsNeverRepeatWithinOrAcrossThreads) {
  // Enough 24-byte draws to use each thread's block many times over.
  std::vector<std::vector<std::string>> drawn(4);
  std::vector<std::thread> threads;
  for (auto& mine : drawn) {
    threads.emplace_back([&mine] {
      for (int i = 0; i < 500; ++i)
        mine.push_back(random_bytes(24));
    });
  }
  for (auto& th : threads)
    th.join();
  std::set<std::string> all;
  for (const auto& mine : drawn)
    all.insert(mine.begin(), mine.end());
  EXPECT_EQ(all.size(), 2000u);
}

TEST(Random, AForkedChildDoesNotRepeatItsParent) {
  random_bytes(8);  // this thread now holds drawn bytes a child would inherit
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    const std::string mine = random_bytes(16);
    const ssize_t written = write(fds[1], mine.data(), mine.size());
    _exit(written == 16 ? 0 : 1);
  }
  close(fds[1]);
  const std::string parent = random_bytes(16);
  std::string from_child(16, '\0');
  EXPECT_EQ(read(fds[0], from_child.data(), from_child.size()), 16);
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_NE(parent, from_child);
}

TEST(Random, AlnumIsUniformOverSixtyTwoSymbols) {
  EXPECT_TRUE(random_alnum(0).empty());
  EXPECT_EQ(random_alnum(32).size(), 32u);
  constexpr std::size_t kPerSymbol = 2000;
  const std::string text = random_alnum(62 * kPerSymbol);
  ASSERT_EQ(text.size(), 62 * kPerSymbol);
  std::map<char, std::size_t> counts;
  for (char c : text) {
    ASSERT_TRUE((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))
        << static_cast<int>(c);
    ++counts[c];
  }
  EXPECT_EQ(counts.size(), 62u);
  // Standard deviation is about 44; a modulo bias (byte % 62) would put the first eight
  // symbols near 2420 and the rest near 1940. 5.6 sigma keeps false alarms below 1e-6.
  for (const auto& [c, n] : counts) {
    EXPECT_NEAR(static_cast<double>(n), static_cast<double>(kPerSymbol), 250.0) << c;
  }
}

TEST(Random, TimeOrderedKeysSortByTimeThenAreRandom) {
  const auto ms_now = [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  const auto decode = [](const std::string& key) {
    const std::string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    long long ms = 0;
    for (char c : key.substr(0, 8))
      ms = ms * 62 + static_cast<long long>(alphabet.find(c));
    return ms;
  };
  const long long before = ms_now();
  const std::string first = time_ordered_alnum(24);
  const long long after = ms_now();
  ASSERT_EQ(first.size(), 24u);
  EXPECT_EQ(
      first.find_first_not_of("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"),
      std::string::npos);
  EXPECT_GE(decode(first), before);
  EXPECT_LE(decode(first), after);
  std::this_thread::sleep_for(std::chrono::milliseconds(2));
  const std::string later = time_ordered_alnum(16);
  EXPECT_GT(later, first);
  // Two in the same millisecond share the prefix and differ in the random part.
  const std::string a = time_ordered_alnum(24);
  const std::string b = time_ordered_alnum(24);
  EXPECT_NE(a.substr(8), b.substr(8));
  EXPECT_THROW(time_ordered_alnum(15), std::invalid_argument);
}

TEST(ConstantTime, Equals) {
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "ab"));
  EXPECT_FALSE(constant_time_equals("", "a"));
  EXPECT_TRUE(constant_time_equals(std::string("a\0b", 3), std::string("a\0b", 3)));
  EXPECT_FALSE(constant_time_equals(std::string("a\0b", 3), std::string("a\0c", 3)));
  EXPECT_FALSE(constant_time_equals(std::string("a\0b", 3), "a"));
  // A longer left side whose extra byte is NUL: only the length check tells these apart.
  EXPECT_FALSE(constant_time_equals(std::string("a\0", 2), std::string("a")));
}

}  // namespace
}  // namespace payhost::sdk::crypto
