// The plugin started on the kit's FakeHost, with a merchant-side client that signs requests as the
// unionpay channel would (with the SDK's crypto and a signing string of its own: an
// implementation independent of the simulator's), a router for the plugin's routes, and
// checks of UnionPay's answers (signPubKeyCert chaining to root.cer with UnionPay's CN,
// the signature verifying with the SDK's crypto).
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "acp_signature.hpp"
#include "payhost/sdk/json.hpp"
#include "payhost/sdk/testing/fake_host.hpp"
#include "sandbox_unionpay_plugin.hpp"
#include "test_keys.hpp"

namespace payhost::sandbox_unionpay::testing {

// The kit's host as the simulator's tests want it: the seven unionpay-* sandbox pairs are
// test keys 0-6 (so tests can sign as UnionPay or the merchant), notifications go to
// http://sandbox.test and the merchant answers "ok".
class SandboxHost : public sdk::testing::FakeHost {
 public:
  explicit SandboxHost(std::string data_dir = "");
};

// A fresh directory under the system's temporary one, removed with the object.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct Answer {
  int status = 0;
  std::string body;
  Fields fields;  // the raw k=v body as an ACP client splits it (empty if it does not split)
  sdk::Headers headers;
};

// The merchant's side of the signature, written apart from acp_signature.cpp.
std::string merchant_signing_string(const Fields& fields);
std::string merchant_signature(const Fields& fields, int key_slot = kMerchantSlot);
// True when `signature` verifies over `fields` with the certificate `pem` (SDK crypto).
bool unionpay_signature_verifies(const Fields& fields, const std::string& pem);

class Harness {
 public:
  explicit Harness(sdk::Json options = sdk::Json::object(), bool start = true,
                   std::string data_dir = "");

  // Sends a request through the plugin's own route table; `path` is under /sandbox/unionpay.
  Answer post(const std::string& path, const std::string& body);
  // `fields` with certId and signature set (unless `sign` is false), form-encoded, posted.
  Answer send(const std::string& path, Fields fields, bool sign = true,
              int key_slot = kMerchantSlot);

  // Complete, valid requests (unsigned; send() signs them).
  Fields consume(const std::string& order_id, long long amount,
                 const std::string& channel_type = "08") const;
  Fields front(const std::string& order_id, long long amount,
               const std::string& channel_type = "07") const;
  Fields query(const std::string& order_id, const std::string& txn_time) const;
  Fields refund(const std::string& refund_order_id, const std::string& orig_query_id,
                long long amount) const;

  // A signed answer: signPubKeyCert present, chaining to the data directory's root.cer
  // through middle.cer with a CN whose third '@' element is 中国银联股份有限公司, and the
  // signature verifying over every other field.
  ::testing::AssertionResult signed_by_unionpay(const Answer& answer) const;

  std::string txn_time() const;  // the fake clock's now, Beijing YYYYMMDDhhmmss
  std::string cert_id() const;   // the decimal serial in merchant.pfx
  std::string pki_dir() const { return host.data_dir() + "/sandbox-unionpay"; }

  SandboxHost host;
  SandboxUnionpayPlugin plugin;
  sdk::Status started;
  std::vector<sdk::Route> routes;
};

inline constexpr const char* kBase = "/sandbox/unionpay";
inline constexpr const char* kMerId = "777290058167151";
inline constexpr const char* kApp = "/gateway/api/appTransReq.do";
inline constexpr const char* kFront = "/gateway/api/frontTransReq.do";
inline constexpr const char* kBack = "/gateway/api/backTransReq.do";
inline constexpr const char* kQuery = "/gateway/api/queryTrans.do";

// The whole content of a file.
std::string read_file(const std::string& path);

}  // namespace payhost::sandbox_unionpay::testing
