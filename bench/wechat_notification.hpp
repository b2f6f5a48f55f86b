// WeChat Pay v3 payment notifications as the sandbox's simulated WeChat Pay sends them
// (see plugins/sandbox/wechat/README.md), built from the sandbox key pair in a data
// directory, for the settlement benchmark.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "payhost/sdk/crypto.hpp"

namespace payhost::bench {

struct WechatNotification {
  std::vector<std::string> headers;  // "Name: value" lines
  std::string body;
};

class WechatNotifier {
 public:
  // Reads <data_dir>/sandbox-keys/wechat-platform.key.pem; throws std::runtime_error.
  WechatNotifier(const std::string& data_dir, std::string mchid, std::string app_id);

  // TRANSACTION.SUCCESS for `out_trade_no`, encrypted with the sandbox APIv3 key and signed
  // at `timestamp` with the platform key.
  WechatNotification paid(const std::string& out_trade_no, long long amount,
                          std::int64_t timestamp) const;

 private:
  sdk::crypto::PrivateKey key_;
  std::string serial_;
  std::string api_v3_key_;
  std::string mchid_;
  std::string app_id_;
};

}  // namespace payhost::bench
