// UnionPay ACP 5.1.0 back notifications (consume, respCode 00) as the sandbox's simulated
// UnionPay sends them (docs/plugins/unionpay.md, "Test mode"), signed with the simulator's
// signing key and certificate from a data directory, for the settlement benchmark.
#pragma once

#include <cstdint>
#include <string>

#include "payhost/sdk/crypto.hpp"

namespace payhost::bench {

class UnionpayNotifier {
 public:
  // Reads the simulator's signing certificate from <data_dir>/sandbox-unionpay/ and its key
  // from <data_dir>/sandbox-keys/unionpay-sign.key.pem (the host's sandbox key pair
  // "unionpay-sign"); throws std::runtime_error.
  UnionpayNotifier(const std::string& data_dir, std::string mer_id);

  // The form body of the notification that reports `order_id` paid: `amount` fen,
  // `created` the charge's creation (Unix seconds, sent as txnTime in Beijing time, as the
  // channel sent it), `charge_id` echoed as reqReserved, paid at `paid_at`.
  std::string paid(const std::string& order_id, long long amount, std::int64_t created,
                   const std::string& charge_id, std::int64_t paid_at) const;

 private:
  sdk::crypto::PrivateKey key_;
  std::string certificate_;  // PEM with \r\n line ends, as signPubKeyCert carries it
  std::string mer_id_;
};

}  // namespace payhost::bench
