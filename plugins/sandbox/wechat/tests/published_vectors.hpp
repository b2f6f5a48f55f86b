// Test vectors published in the official WeChat Pay SDKs' own tests, copied byte for byte
// (string concatenations kept as the originals split them):
//  - wechatpay-apiv3/wechatpay-go core/notify/notify_test.go, TestHandler_ParseNotifyRequest
//    (commit 10b581e92a93933b822603bd502dbe1bd521f9fd): a signed notification, the platform
//    certificate D7CE59D1F522D701 that verifies it, and its resource's plaintext under the
//    APIv3 key "testMchAPIv3Key0" (16 bytes: AES-128-GCM);
//  - wechatpay-go utils/sign_test.go (commit 4a01b1d5ea7700054d3583f119dd02cbcf38ce0c):
//    the private key of that certificate (a PKCS#8 body under a "TESTING KEY" header, which
//    the Go test renames) and its SHA256-RSA signature of "source";
//  - wechatpay-go utils/aes_test.go (commit 192b913ad3a14b232869a5aeb9a764f52a460c3b);
//  - TheNorthMemory/wechatpay-axios-plugin tests/lib/aes.test.js
//    (commit 15a984c79d83225f2dca82d0e43e694b7ff55f8b): AES-256-GCM with a 16-byte IV.
#pragma once

#include <string>

namespace payhost::sandbox_wechat::testing::vectors {

// --- wechatpay-go core/notify/notify_test.go ---
inline const std::string kNotifyApiV3Key = "testMchAPIv3Key0";
inline const std::string kNotifyTimestamp = "1624523846";
inline const std::string kNotifyNonce = "EcZ9Cmy4Xyx1i6RlJQzLcCyEqDa26NBz";
inline const std::string kNotifySerial = "D7CE59D1F522D701";
inline const std::string kNotifySignature =
    std::string(
        "tJHIiIS9eB2hAYstmAmbbD3ZE5LiIm/Ug5tuL4fC0YOFRWIHV39UFIZXC0e9Wl6lBu6sKvkqDkzpqzBsVHyXF") +
    "lbYZTOQrVdG4b6LfTnK4mikv9++ixJMd3vTf2yCqvBkh98zs3Ds5zsYQakzbcwhmw4fMJs4nPLws28H0UW9FjDR//"
    "rxELLwXvV1VEA1I" +
    "BLX70xptjL8hrfUjEE8kkry6yNJTHZRU8CAc7qHli2Ng1V1qb9ARbK8A3ThmFmPQvRGrapI/"
    "jS2laKKgYUmfdEdkNO6B2Cke5e8VTxY4" +
    "06ArAmQ90GAihDwIcb16TQMnzCMBoutnwZKNiKRACrFmtxw2Q==";
inline const std::string kNotifyBody =
    std::string("{") + "\"id\":\"3119dfba-e649-5eec-ab1e-3412bc4d2e17\"," +
    "\"create_time\":\"2021-06-24T16:37:26+08:00\"," + "\"resource_type\":\"encrypt-resource\"," +
    "\"event_type\":\"PAYSCORE.USER_OPEN_SERVICE\"," + "\"summary\":\"签约成功\"," +
    "\"resource\":{" + "\"original_type\":\"payscore\"," + "\"algorithm\":\"AEAD_AES_256_GCM\"," +
    "\"ciphertext\":\"YDS3lKPaC4Y52Gf3uhft5qUBlIa8b428AWTtTauHQfQrRw+"
    "X1WpiuHIDy0vo1Vd6VEq67aVyqPdDYMkRVSDaZL3iZt" +
    "tevRMOoPKMifozg6XPWjIZumks/"
    "GpT48lI4NizyeaqLBokNebthah3o1H76qSlO9NkDjp9bzmKLEYYH9TEklFUpsvPqOTOcgSLgh21YJXYR" +
    "7dEBXFgRLiNIKRgO5JdXh1hccRUAlyVWxE54PXpnQ==\"," + "\"associated_data\":\"payscore\"," +
    "\"nonce\":\"Kj7QIyUiYx1q\"}" + "}";
inline const std::string kNotifyPlaintext =
    std::string("{") + "\"mchid\":\"1234567890\"," +
    "\"appid\":\"054aa7d7a2a54ab5898df65bd96f001c\"," +
    "\"create_time\":\"2020-06-30T12:12:00+08:00\"," +
    "\"out_contract_code\":\"21640bdbd08e473e828f3206a2741c6e\"" + "}";
inline const std::string kPlatformCertificate = R"(-----BEGIN CERTIFICATE-----
MIIDVzCCAj+gAwIBAgIJANfOWdH1ItcBMA0GCSqGSIb3DQEBCwUAMEIxCzAJBgNV
BAYTAlhYMRUwEwYDVQQHDAxEZWZhdWx0IENpdHkxHDAaBgNVBAoME0RlZmF1bHQg
Q29tcGFueSBMdGQwHhcNMjEwNDI3MDg1NTIzWhcNMzEwNDI1MDg1NTIzWjBCMQsw
CQYDVQQGEwJYWDEVMBMGA1UEBwwMRGVmYXVsdCBDaXR5MRwwGgYDVQQKDBNEZWZh
dWx0IENvbXBhbnkgTHRkMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA
2VCTd91fnUn73Xy9DLvt/V62TVxRTEEstVdeRaZ3B3leO0pldE806mXO4RwdHXag
HQ4vGeZN0yqm++rDsGK+U3AH7kejyD2pXshNP9Cq5YwbptiLGtjcquw4HNxJQUOm
DeJf2vg6byms9RUipiq4SzbJKqJFlUpbuIPDpSpWz10PYmyCNeDGUUK65E5h2B83
4uxl1zNLYQCrkdBzb8oUxwYeP5a2DNxmjL5lsJML7DGr5znsevnoqGRwTm9fxCGf
y8wus7hwKz6clt3Whmmda7UAdb1c08hEQFVRbF14AR73xbnd8N0obCWJPCbzMCtk
aSef4FdEEgEXJiw0VAJT8wIDAQABo1AwTjAdBgNVHQ4EFgQUT1c7nd/SUO76HSoZ
umNUJv1R5PwwHwYDVR0jBBgwFoAUT1c7nd/SUO76HSoZumNUJv1R5PwwDAYDVR0T
BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAfTjxKRQMzNB/U6ZoCUS+BSNfa2Oh
0plMN6ZuzwiVVZwg1jywvv5yv04koS7Pd4i9E4gt9ZBUQXlpq+A3oOCEEHNRR6b2
kyazGRM7s0OP5X21WrbpSmKmU6K7hkfx30yYs08LVs/Q8DIhvaj1FCFeJzUCzYn/
fHMq4tsbKO0dKAeydPM/nrUZBmaYQVKMVOORGLFjFKVO7JV6Kq/R86ouhjEPgJOe
2xulNBUcjicqtZlBdEh/PWCYP2SpGVDclKm8jeo175T3EVAkdKzzmfpxtMmnMlmq
cTJOU9TxuGvNASMtjj7pYIerTx+xgZDXEVBWFW9PjJ0TV06tCRsgSHItgg==
-----END CERTIFICATE-----)";

// --- wechatpay-go utils/sign_test.go (header renamed from "TESTING KEY", as the test does) ---
inline const std::string kPlatformPrivateKey = R"(-----BEGIN PRIVATE KEY-----
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
-----END PRIVATE KEY-----)";
inline const std::string kSignSource = "source";
inline const std::string kSignExpected =
    std::string("BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoV") +
    "z+pp4hAm6pHU4ld815U4jsKu1RkyaII+"
    "1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLl" +
    "i/K8V29QiOhuH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/"
    "RAJbknXG23bSlObuTCN7Ndj" +
    "1aJGH6/L+hdwfLpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg==";

// --- wechatpay-go utils/aes_test.go ---
inline const std::string kAesGoKey = "testAPIv3Key0000";
inline const std::string kAesGoCiphertext = "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC";
inline const std::string kAesGoPlaintext = "Hello World";
inline const std::string kAesGoNonce = "wCq51qZv4Yfg";
inline const std::string kAesGoAad = "Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8";
inline const std::string kAesGoWrongKey = "testAPIv3Key1111";
inline const std::string kAesGoNotCiphertext = "SGVsbG8gV29ybGQK";

// --- wechatpay-axios-plugin tests/lib/aes.test.js ---
inline const std::string kAxiosIv = "0123456789abcdef";
inline const std::string kAxiosKey = "0123456789abcdef0123456789abcdef";
inline const std::string kAxiosEmptyCiphertext = "GvpmmdtYwexXIPhySs9Tlg==";
inline const std::string kAxiosHelloCiphertext =
    "APoZlYpivU3HjbAiB4CvW1rAFr8J";  // "hello", AAD "world"

}  // namespace payhost::sandbox_wechat::testing::vectors
