#include "unionpay_notification.hpp"

#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "payhost/sdk/encoding.hpp"

namespace payhost::bench {

namespace crypto = sdk::crypto;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// strftime `format` of a Unix time in Beijing time (UTC+8, no daylight saving).
std::string beijing(std::int64_t unix_seconds, const char* format) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds + 8 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

std::string digits(std::size_t count) {
  std::string out;
  for (unsigned char c : crypto::random_bytes(count))
    out += static_cast<char>('0' + c % 10);
  return out;
}

// UnionPay sends the certificate's PEM with CRLF line ends.
std::string with_crlf(const std::string& pem) {
  std::string out;
  for (char c : pem) {
    if (c == '\r') continue;
    if (c == '\n') out += '\r';
    out += c;
  }
  while (out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0)
    out.resize(out.size() - 2);
  return out;
}

}  // namespace

UnionpayNotifier::UnionpayNotifier(const std::string& data_dir, std::string mer_id)
    : mer_id_(std::move(mer_id)) {
  auto key = crypto::PrivateKey::parse(read_file(data_dir + "/sandbox-keys/unionpay-sign.key.pem"));
  if (!key) throw std::runtime_error("unionpay-sign key: " + key.error().message);
  key_ = *key;
  const std::string certificate = data_dir + "/sandbox-unionpay/sign.cer";
  certificate_ = with_crlf(read_file(certificate));
  if (certificate_.find("BEGIN CERTIFICATE") == std::string::npos) {
    throw std::runtime_error(certificate + " is not a PEM certificate");
  }
}

std::string UnionpayNotifier::paid(const std::string& order_id, long long amount,
                                   std::int64_t created, const std::string& charge_id,
                                   std::int64_t paid_at) const {
  const std::string txn_amt = std::to_string(amount);
  // Sorted by key: the string to sign is the map's order (notes §4.3).
  std::map<std::string, std::string> fields = {{"accessType", "0"},
                                               {"bizType", "000201"},
                                               {"currencyCode", "156"},
                                               {"encoding", "UTF-8"},
                                               {"merId", mer_id_},
                                               {"orderId", order_id},
                                               {"queryId", digits(21)},
                                               {"reqReserved", charge_id},
                                               {"respCode", "00"},
                                               {"respMsg", "成功[0000000]"},
                                               {"settleAmt", txn_amt},
                                               {"settleCurrencyCode", "156"},
                                               {"settleDate", beijing(paid_at, "%m%d")},
                                               {"signMethod", "01"},
                                               {"signPubKeyCert", certificate_},
                                               {"traceNo", digits(6)},
                                               {"traceTime", beijing(paid_at, "%m%d%H%M%S")},
                                               {"txnAmt", txn_amt},
                                               {"txnSubType", "01"},
                                               {"txnTime", beijing(created, "%Y%m%d%H%M%S")},
                                               {"txnType", "01"},
                                               {"version", "5.1.0"}};
  std::string signed_text;
  for (const auto& [k, v] : fields)
    signed_text += (signed_text.empty() ? "" : "&") + k + "=" + v;
  auto signature = crypto::rsa_sha256_sign(key_, sdk::hex_lower(crypto::sha256(signed_text)));
  if (!signature) throw std::runtime_error(signature.error().message);
  std::vector<std::pair<std::string, std::string>> form(fields.begin(), fields.end());
  form.emplace_back("signature", sdk::base64_encode(*signature));
  return sdk::form_encode(form);
}

}  // namespace payhost::bench
