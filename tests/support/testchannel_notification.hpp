// The test channel's provider notification (format: tests/testplugins/README.md), signed
// here with OpenSSL's HMAC directly so that the signer shares no code with the plugin.
#pragma once

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

namespace payhost::testing {

inline std::string hmac_sha256_hex(const std::string& key, const std::string& data) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  std::string hex;
  char buf[3];
  for (unsigned int i = 0; i < len; ++i) {
    std::snprintf(buf, sizeof buf, "%02x", mac[i]);
    hex += buf;
  }
  return hex;
}

struct TestchannelNotice {
  std::string order_no;
  long long amount = 0;
  std::string status = "paid";
  std::string transaction_no = "T1";
  std::string app_id = "test-merchant";
  std::string secret = "testchannel-secret";
  bool break_signature = false;
  std::string payer = "buyer@example.com";  // left out of the body when empty
};

// The JSON body to POST to /notify/testchannel.
inline std::string testchannel_notification(const TestchannelNotice& n) {
  std::string sig =
      hmac_sha256_hex(n.secret, n.order_no + "|" + std::to_string(n.amount) + "|" + n.app_id + "|" +
                                    n.status + "|" + n.transaction_no);
  if (n.break_signature) sig[0] = sig[0] == 'a' ? 'b' : 'a';
  nlohmann::ordered_json body = {{"order_no", n.order_no},
                                 {"amount", n.amount},
                                 {"app_id", n.app_id},
                                 {"status", n.status},
                                 {"transaction_no", n.transaction_no}};
  if (!n.payer.empty()) body["payer"] = n.payer;
  body["signature"] = sig;
  return body.dump();
}

}  // namespace payhost::testing
